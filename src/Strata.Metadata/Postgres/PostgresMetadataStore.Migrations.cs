using System.Data;
using Npgsql;

namespace Strata.Metadata.Postgres;

public sealed partial class PostgresMetadataStore
{
    private const int MigrationTimeoutSeconds = 600;

    /// <summary>The schema version this build creates and expects.</summary>
    public static int LatestSchemaVersion => PostgresSchema.LatestVersion;

    /// <summary>
    /// Brings the database's schema to <see cref="LatestSchemaVersion"/> (for <c>strata migrate</c>;
    /// <see cref="InitializeAsync"/> does the same at every start). Safe to run at any time and from
    /// several processes at once; refuses a database whose schema is newer than this build.
    /// </summary>
    /// <remarks>
    /// All pending migrations run in one transaction under a transaction-level advisory lock
    /// (<see cref="PostgresSchema.MigrationLockKey"/>): replicas starting together queue on the lock, and
    /// the ones that come after the first find the schema current and change nothing. DDL is
    /// transactional in PostgreSQL, so a failed migration leaves the previous version whole.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The database has a newer schema version than this build supports.</exception>
    public static async Task<PostgresMigrationResult> MigrateAsync(string connectionString, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(timeProvider);
        await using var dataSource = CreateDataSource(connectionString);
        return await MigrateAsync(dataSource, timeProvider, PostgresRetryPolicy.Default, cancellationToken).ConfigureAwait(false);
    }

    private static Task<PostgresMigrationResult> MigrateAsync(
        NpgsqlDataSource dataSource,
        TimeProvider timeProvider,
        PostgresRetryPolicy retry,
        CancellationToken cancellationToken) =>
        retry.ExecuteAsync(
            nameof(MigrateAsync),
            async token =>
            {
                await using var connection = await dataSource.OpenConnectionAsync(token).ConfigureAwait(false);
                await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, token).ConfigureAwait(false);

                // The lock comes first: two "CREATE TABLE IF NOT EXISTS" racing each other can still fail.
                // Waiting for it, and migrating, may take longer than a request's command timeout (a future
                // migration may rewrite a large table), so both get MigrationTimeoutSeconds.
                await transaction.Command("SELECT pg_advisory_xact_lock(@key)")
                    .With("@key", PostgresSchema.MigrationLockKey)
                    .WithTimeout(MigrationTimeoutSeconds)
                    .ExecuteAsync(token).ConfigureAwait(false);
                await transaction.Command(PostgresSchema.CreateVersionTable).ExecuteAsync(token).ConfigureAwait(false);
                var current = await transaction.Command("SELECT COALESCE(MAX(version), 0) FROM schema_version")
                    .ScalarAsync<int>(token).ConfigureAwait(false);
                if (current > PostgresSchema.LatestVersion)
                {
                    throw new InvalidOperationException(
                        $"The metadata database has schema version {current}, newer than this build supports ({PostgresSchema.LatestVersion}); refusing to run an older Strata against it.");
                }

                foreach (var (version, sql) in PostgresSchema.Migrations)
                {
                    if (version <= current)
                    {
                        continue;
                    }

                    await transaction.Command(sql).WithTimeout(MigrationTimeoutSeconds).ExecuteAsync(token).ConfigureAwait(false);
                    await transaction.Command("INSERT INTO schema_version (version, applied_at) VALUES (@version, @now)")
                        .With("@version", version)
                        .With("@now", timeProvider.GetUtcNow().ToUnixTimeMilliseconds())
                        .ExecuteAsync(token).ConfigureAwait(false);
                }

                await CommitAsync(transaction, nameof(MigrateAsync), token).ConfigureAwait(false);
                return new PostgresMigrationResult(current, Math.Max(current, PostgresSchema.LatestVersion));
            },
            cancellationToken);
}
