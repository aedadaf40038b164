namespace Strata.Metadata.Postgres;

public sealed partial class PostgresMetadataStore
{
    /// <summary>
    /// Opens the store on a schema someone else migrated (<c>strata migrate</c>), changing nothing:
    /// for fleets whose replicas must not alter the schema as they start (a rolling upgrade, a role
    /// without DDL rights). Use instead of <see cref="InitializeAsync"/>.
    /// </summary>
    /// <exception cref="MetadataSchemaOutdatedException">The schema is older than <see cref="LatestSchemaVersion"/>.</exception>
    /// <exception cref="InvalidOperationException">The schema is newer than this build supports.</exception>
    public async Task InitializeWithoutMigratingAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var found = await ReadSchemaVersionAsync(cancellationToken).ConfigureAwait(false);
        if (found < PostgresSchema.LatestVersion)
        {
            throw new MetadataSchemaOutdatedException(found, PostgresSchema.LatestVersion);
        }

        if (found > PostgresSchema.LatestVersion)
        {
            throw new InvalidOperationException(
                $"The metadata database has schema version {found}, newer than this build supports ({PostgresSchema.LatestVersion}); refusing to run an older Strata against it.");
        }

        _initialized = true;
    }

    /// <summary>The schema version of the database (0 when it has none yet), read without changing anything.</summary>
    public Task<int> ReadSchemaVersionAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _retry.ExecuteAsync(
            nameof(ReadSchemaVersionAsync),
            async token =>
            {
                await using var connection = await _dataSource.OpenConnectionAsync(token).ConfigureAwait(false);
                var exists = await connection.Command("SELECT to_regclass('schema_version') IS NOT NULL").ScalarAsync<bool>(token).ConfigureAwait(false);
                return exists
                    ? await connection.Command("SELECT COALESCE(MAX(version), 0) FROM schema_version").ScalarAsync<int>(token).ConfigureAwait(false)
                    : 0;
            },
            cancellationToken);
    }
}
