using Strata.Metadata.Contracts;

namespace Strata.Metadata.Tests;

public abstract partial class MetadataStoreConformanceTests
{
    [Fact]
    public async Task CreateUpload_then_GetUpload_returns_the_session()
    {
        var session = new UploadSession(Guid.NewGuid(), "r", 0, TestData.Epoch, TestData.Epoch);

        await Store.CreateUploadAsync(session, Ct);

        Assert.Equal(session, await Store.GetUploadAsync("r", session.Id, Ct));
    }

    [Fact]
    public async Task CreateUpload_does_not_create_the_repository()
    {
        await Store.CreateUploadAsync(new UploadSession(Guid.NewGuid(), "r", 0, TestData.Epoch, TestData.Epoch), Ct);

        Assert.False(await Store.RepositoryExistsAsync("r", Ct));
        Assert.Empty(await Store.ListRepositoriesAsync(null, 10, Ct));
    }

    [Fact]
    public async Task GetUpload_of_another_repositorys_session_or_unknown_id_is_null()
    {
        var session = new UploadSession(Guid.NewGuid(), "r", 0, TestData.Epoch, TestData.Epoch);
        await Store.CreateUploadAsync(session, Ct);

        Assert.Null(await Store.GetUploadAsync("other", session.Id, Ct));
        Assert.Null(await Store.GetUploadAsync("r", Guid.NewGuid(), Ct));
    }

    [Fact]
    public async Task UpdateUpload_records_size_and_time()
    {
        var session = new UploadSession(Guid.NewGuid(), "r", 0, TestData.Epoch, TestData.Epoch);
        await Store.CreateUploadAsync(session, Ct);
        var later = TestData.Epoch.AddSeconds(90);

        await Store.UpdateUploadAsync(session.Id, 5_000_000_000, later, Ct);

        Assert.Equal(session with { Size = 5_000_000_000, UpdatedAt = later }, await Store.GetUploadAsync("r", session.Id, Ct));
    }

    [Fact]
    public async Task UpdateUpload_of_a_gone_session_changes_nothing()
    {
        var id = Guid.NewGuid();

        await Store.UpdateUploadAsync(id, 10, TestData.Epoch, Ct);

        Assert.Null(await Store.GetUploadAsync("r", id, Ct));
    }

    [Fact]
    public async Task DeleteUpload_returns_true_once()
    {
        var session = new UploadSession(Guid.NewGuid(), "r", 0, TestData.Epoch, TestData.Epoch);
        await Store.CreateUploadAsync(session, Ct);

        Assert.True(await Store.DeleteUploadAsync(session.Id, Ct));
        Assert.False(await Store.DeleteUploadAsync(session.Id, Ct));

        Assert.Null(await Store.GetUploadAsync("r", session.Id, Ct));
    }

    [Fact]
    public async Task ListStaleUploads_returns_sessions_idle_since_before_the_cutoff_oldest_first()
    {
        var sessions = Enumerable.Range(0, 6)
            .Select(i => new UploadSession(Guid.NewGuid(), $"r{i % 2}", i, TestData.Epoch, TestData.Epoch.AddMinutes(10 - i)))
            .ToList();
        foreach (var session in sessions)
        {
            await Store.CreateUploadAsync(session, Ct);
        }

        // Updated at minute 10, 9, 8, 7, 6, 5; cutoff minute 8 keeps those strictly before it.
        var cutoff = TestData.Epoch.AddMinutes(8);
        Assert.Equal([sessions[5], sessions[4], sessions[3]], await Store.ListStaleUploadsAsync(cutoff, 10, Ct));
        Assert.Equal([sessions[5], sessions[4]], await Store.ListStaleUploadsAsync(cutoff, 2, Ct));
        Assert.Empty(await Store.ListStaleUploadsAsync(TestData.Epoch, 10, Ct));
    }
}
