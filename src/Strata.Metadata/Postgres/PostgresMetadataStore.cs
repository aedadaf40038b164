using System.Data;
using System.Runtime.CompilerServices;
using Npgsql;
using Strata.Metadata.Contracts;

namespace Strata.Metadata.Postgres;

/// <summary>
/// The scale-out metadata store: one PostgreSQL database shared by any number of Strata replicas.
/// Call <see cref="InitializeAsync"/> once before anything else (it migrates the schema).
/// </summary>
/// <remarks>
/// <para>
/// Same semantics as the SQLite store, without its global write lock: every write is one READ
/// COMMITTED transaction on a pooled connection (<see cref="NpgsqlDataSource"/>), and concurrent
/// writers (threads or replicas) meet on row locks and unique indexes instead. A manifest write
/// <c>FOR KEY SHARE</c>-locks the blob links and child manifests it checked, so an unlink or delete
/// cannot slip in between check and commit; repositories, blobs, links, manifests and tags are
/// created with <c>INSERT … ON CONFLICT</c>, so racing pushes of the same content all succeed and
/// exactly one of them writes the event; a delete locks its manifest <c>FOR UPDATE</c> first; the job
/// queue keeps one active job per (kind, key) with a unique partial index and leases with
/// <c>FOR UPDATE SKIP LOCKED</c>, so workers on every replica lease without waiting for each other.
/// </para>
/// <para>
/// Outbox: ids come from a sequence, and concurrent transactions could commit them out of order, so
/// a consumer paging "after id N" would skip an event that commits late. Each write therefore buffers
/// its events and appends them as its last statement under one transaction-level advisory lock
/// (<see cref="PostgresSchema.OutboxLockKey"/>), held until commit: events become visible in id order,
/// and the lock is held only for that insert and the commit.
/// </para>
/// <para>
/// Failures: every unit of work (a read, or a whole write transaction) goes through
/// <see cref="PostgresRetryPolicy"/>, which retries transient errors on a fresh connection with
/// bounded backoff. A write whose connection breaks during COMMIT is not retried (it may have been
/// applied): it surfaces as <see cref="MetadataStoreUnavailableException"/> with
/// <see cref="MetadataStoreUnavailableException.OutcomeUnknown"/> set.
/// </para>
/// </remarks>
public sealed partial class PostgresMetadataStore : IMetadataStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _timeProvider;
    private readonly PostgresRetryPolicy _retry;
    private volatile bool _initialized;
    private volatile bool _disposed;

    /// <param name="connectionString">An Npgsql connection string; pooling settings in it apply.</param>
    /// <param name="timeProvider">The clock for every stored time and lease.</param>
    public PostgresMetadataStore(string connectionString, TimeProvider timeProvider)
        : this(connectionString, timeProvider, PostgresRetryPolicy.Default)
    {
    }

    internal PostgresMetadataStore(string connectionString, TimeProvider timeProvider, PostgresRetryPolicy retryPolicy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(retryPolicy);
        _dataSource = CreateDataSource(connectionString);
        _timeProvider = timeProvider;
        _retry = retryPolicy;
    }

    /// <inheritdoc />
    /// <remarks>Runs <see cref="MigrateAsync(string, TimeProvider, CancellationToken)"/>; safe with several replicas starting at once.</remarks>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await MigrateAsync(_dataSource, _timeProvider, _retry, cancellationToken).ConfigureAwait(false);
        _initialized = true;
    }

    /// <summary>Closes the pool's idle connections; connections still in use close when returned.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// A pooled data source with the store's defaults where the connection string leaves them open:
    /// an application name (so the store's sessions are recognizable in <c>pg_stat_activity</c>) and
    /// automatic preparation of the store's few, constantly repeated statements.
    /// </summary>
    private static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var settings = builder.ConnectionStringBuilder;
        if (string.IsNullOrEmpty(settings.ApplicationName))
        {
            settings.ApplicationName = "strata";
        }

        if (settings.MaxAutoPrepare == 0)
        {
            settings.MaxAutoPrepare = 64;
        }

        return builder.Build();
    }

    /// <summary>Runs one read on a pooled connection (autocommit), retried as a whole on transient errors.</summary>
    private async Task<T> ReadAsync<T>(
        Func<NpgsqlConnection, CancellationToken, Task<T>> read,
        CancellationToken cancellationToken,
        [CallerMemberName] string operation = "")
    {
        ThrowIfNotReady();
        return await _retry.ExecuteAsync(
            operation,
            async token =>
            {
                await using var connection = await _dataSource.OpenConnectionAsync(token).ConfigureAwait(false);
                return await read(connection, token).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one READ COMMITTED transaction, committed if it returns, and
    /// retried as a whole on transient errors before the commit (see the class remarks).
    /// </summary>
    private async Task<T> WriteAsync<T>(
        Func<NpgsqlTransaction, CancellationToken, Task<T>> work,
        CancellationToken cancellationToken,
        [CallerMemberName] string operation = "")
    {
        ThrowIfNotReady();
        return await _retry.ExecuteAsync(
            operation,
            async token =>
            {
                await using var connection = await _dataSource.OpenConnectionAsync(token).ConfigureAwait(false);
                await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, token).ConfigureAwait(false);
                var result = await work(transaction, token).ConfigureAwait(false);
                await CommitAsync(transaction, operation, token).ConfigureAwait(false);
                return result;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static async Task CommitAsync(NpgsqlTransaction transaction, string operation, CancellationToken cancellationToken)
    {
        try
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (PostgresRetryPolicy.IsTransient(exception))
        {
            throw new MetadataStoreUnavailableException(
                $"The PostgreSQL metadata store lost its connection while committing {operation}; the change was applied whole or not at all, and was not retried: {exception.Message}",
                exception,
                outcomeUnknown: true);
        }
    }

    private void ThrowIfNotReady()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_initialized)
        {
            throw new InvalidOperationException($"{nameof(PostgresMetadataStore)}.{nameof(InitializeAsync)} must be called first.");
        }
    }

    private long NowMilliseconds() => _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private static long ToMilliseconds(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    private static DateTimeOffset FromMilliseconds(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);
}
