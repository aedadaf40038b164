using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Strata.Metadata.Contracts;

namespace Strata.Metadata.Sqlite;

/// <summary>
/// The embedded metadata store: one SQLite database file, for a single registry process.
/// Call <see cref="InitializeAsync"/> once before anything else.
/// </summary>
/// <remarks>
/// <para>
/// Writes: every write runs on one dedicated connection, one at a time (a <see cref="SemaphoreSlim"/>),
/// each in a <c>BEGIN IMMEDIATE</c> transaction. Serializing in-process means concurrent pushes queue
/// instead of failing with SQLITE_BUSY; IMMEDIATE takes the database write lock up front, so another
/// process or store instance on the same file waits on <c>busy_timeout</c> instead of deadlocking on a
/// read-to-write upgrade.
/// </para>
/// <para>
/// Reads: short-lived connections from Microsoft.Data.Sqlite's pool (keyed by connection string).
/// WAL journal mode lets them run alongside the writer and see the last committed state.
/// </para>
/// <para>
/// Durability: WAL with <c>synchronous=NORMAL</c> fsyncs at checkpoints, not at every commit. A committed
/// write survives a crash of this process, but a power loss or OS crash may lose the last commits
/// (the database itself stays consistent). <c>FULL</c> would close that window at the cost of an
/// fsync per push; blobs are written and verified before their metadata, so a lost commit only
/// means the client pushes its manifest again.
/// </para>
/// </remarks>
public sealed partial class SqliteMetadataStore : IMetadataStore
{
    // Long enough to outlast a checkpoint or another instance's write transaction.
    private const int BusyTimeoutSeconds = 30;

    private readonly string _readConnectionString;
    private readonly string _writeConnectionString;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private int _foregroundWriters;
    private SqliteConnection? _writeConnection;
    private volatile bool _disposed;

    public SqliteMetadataStore(string databasePath, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentNullException.ThrowIfNull(timeProvider);

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            ForeignKeys = true,
            // Microsoft.Data.Sqlite retries SQLITE_BUSY for this long on every command.
            DefaultTimeout = BusyTimeoutSeconds,
            Pooling = true,
        };
        _readConnectionString = builder.ConnectionString;

        // The writer lives as long as the store, so pooling it buys nothing; turning pooling off also
        // keeps it out of the readers' pool, which DisposeAsync clears.
        builder.Pooling = false;
        _writeConnectionString = builder.ConnectionString;
        _timeProvider = timeProvider;
    }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_writeConnection is null)
            {
                _writeConnection = OpenWriteConnection();
            }

            Migrate(_writeConnection);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Waits for the write in progress, closes every connection of this database and clears its pool.</summary>
    public async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_writeConnection is not null)
            {
                await _writeConnection.DisposeAsync().ConfigureAwait(false);
                _writeConnection = null;
            }

            // Pooled read connections keep the file (and its -wal/-shm) open until cleared; connections
            // still in use are discarded when returned.
            using var pooled = new SqliteConnection(_readConnectionString);
            SqliteConnection.ClearPool(pooled);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private SqliteConnection OpenWriteConnection()
    {
        var connection = new SqliteConnection(_writeConnectionString);
        try
        {
            connection.Open();
            using var command = connection.Command($"""
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = NORMAL;
                PRAGMA busy_timeout = {BusyTimeoutSeconds * 1000};
                """);
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Migrate(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        transaction.Execute(SqliteSchema.CreateVersionTable);
        var current = (long)transaction.Scalar("SELECT COALESCE(MAX(version), 0) FROM schema_version")!;
        if (current > SqliteSchema.LatestVersion)
        {
            throw new InvalidOperationException(
                $"The metadata database has schema version {current}, newer than this build supports ({SqliteSchema.LatestVersion}); refusing to run an older Strata against it.");
        }

        foreach (var (version, sql) in SqliteSchema.Migrations)
        {
            if (version <= current)
            {
                continue;
            }

            transaction.Execute(sql);
            transaction.Execute(
                "INSERT INTO schema_version (version, applied_at) VALUES (@version, @now)",
                ("@version", version),
                ("@now", NowMilliseconds()));
        }

        transaction.Commit();
    }

    /// <summary>Runs <paramref name="work"/> in one IMMEDIATE transaction on the write connection, committed if it returns.</summary>
    /// <remarks>A foreground write: background writes (<see cref="BackgroundWriteAsync"/>) let it go first.</remarks>
    private async Task<T> WriteAsync<T>(Func<SqliteTransaction, T> work, CancellationToken cancellationToken, [CallerMemberName] string operation = "")
    {
        var waitStarted = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _foregroundWriters);
        try
        {
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _foregroundWriters);
        }

        return RunWriteHeld(work, operation, waitStarted);
    }

    /// <summary>Runs <paramref name="work"/> with the write lock already taken; releases it and records wait and hold times.</summary>
    private T RunWriteHeld<T>(Func<SqliteTransaction, T> work, string operation, long waitStarted)
    {
        var held = Stopwatch.GetTimestamp();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var connection = _writeConnection ?? throw NotInitialized();

            // deferred: false is BEGIN IMMEDIATE (see the class remarks).
            using var transaction = connection.BeginTransaction(deferred: false);
            var result = work(transaction);
            transaction.Commit();
            return result;
        }
        finally
        {
            _writeLock.Release();
            SqliteWriteMetrics.Record(operation, waitStarted, held, Stopwatch.GetTimestamp());
        }
    }

    private async Task<SqliteConnection> OpenReadAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_writeConnection is null)
        {
            throw NotInitialized();
        }

        var connection = new SqliteConnection(_readConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private long NowMilliseconds() => UnixMilliseconds.From(_timeProvider.GetUtcNow());

    private static InvalidOperationException NotInitialized() =>
        new($"{nameof(SqliteMetadataStore)}.{nameof(InitializeAsync)} must be called first.");

    private static async Task<IReadOnlyList<string>> ReadStringsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
