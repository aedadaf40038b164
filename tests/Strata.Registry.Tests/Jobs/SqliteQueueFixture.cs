using Strata.Metadata.Sqlite;

namespace Strata.Registry.Tests.Jobs;

/// <summary>A real SQLite metadata store in a temporary folder.</summary>
internal sealed class SqliteQueueFixture : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("strata-jobs-").FullName;

    private SqliteQueueFixture() => Store = new SqliteMetadataStore(Path.Combine(_directory, "strata.db"), TimeProvider.System);

    public SqliteMetadataStore Store { get; }

    public static async Task<SqliteQueueFixture> CreateAsync()
    {
        var fixture = new SqliteQueueFixture();
        await fixture.Store.InitializeAsync(default);
        return fixture;
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
