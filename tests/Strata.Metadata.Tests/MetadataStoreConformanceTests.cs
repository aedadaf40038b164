using Strata.Metadata.Contracts;

namespace Strata.Metadata.Tests;

/// <summary>
/// The behaviour every <see cref="IMetadataStore"/> backend must show, written against the contracts
/// only. A backend's test class derives from this and implements <see cref="CreateStoreAsync"/>.
/// </summary>
public abstract partial class MetadataStoreConformanceTests : IAsyncLifetime
{
    private readonly List<IMetadataStore> _stores = [];

    protected static CancellationToken Ct => CancellationToken.None;

    /// <summary>The clock the derived class must give every store it creates.</summary>
    protected ManualTimeProvider Clock { get; } = new(TestData.Epoch);

    /// <summary>The store opened for the test.</summary>
    protected IMetadataStore Store { get; private set; } = null!;

    /// <summary>
    /// A new, initialized store instance over this test's database, using <see cref="Clock"/>. The
    /// database is empty at the first call of a test; later calls open the same database again
    /// (to test persistence and several instances at once).
    /// </summary>
    protected abstract Task<IMetadataStore> CreateStoreAsync();

    /// <summary>Opens another store over the test's database; it is disposed with the test.</summary>
    protected async Task<IMetadataStore> OpenStoreAsync()
    {
        var store = await CreateStoreAsync();
        _stores.Add(store);
        return store;
    }

    public virtual async Task InitializeAsync() => Store = await OpenStoreAsync();

    public virtual async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
    }

    /// <summary>Links a config and a layer, then stores a manifest referencing both.</summary>
    protected Task<ManifestRecord> PushImageAsync(string repository, string seed, params string[] tags) =>
        PushImageAsync(Store, repository, seed, tags);

    protected static async Task<ManifestRecord> PushImageAsync(IMetadataStore store, string repository, string seed, params string[] tags)
    {
        var config = TestData.Blob(seed + "-config");
        var layer = TestData.Blob(seed + "-layer");
        await store.LinkBlobAsync(repository, config, Ct);
        await store.LinkBlobAsync(repository, layer, Ct);
        var manifest = TestData.Manifest(repository, seed);
        var result = await store.PutManifestAsync(new ManifestWrite(manifest, [config.Digest, layer.Digest], [], tags), Ct);
        Assert.True(result.Succeeded);
        return manifest;
    }

    protected Task<IReadOnlyList<OutboxEvent>> ReadAllEventsAsync() => Store.ReadEventsAsync(0, 10_000, Ct);

    /// <summary>Events as (kind, repository, digest, tag), the parts tests compare.</summary>
    protected async Task<List<(string Kind, string Repository, string? Digest, string? Tag)>> ReadEventSummariesAsync(long afterId = 0) =>
        (await Store.ReadEventsAsync(afterId, 10_000, Ct)).Select(e => (e.Kind, e.Repository, e.Digest, e.Tag)).ToList();

    protected async Task<long> LastEventIdAsync()
    {
        var events = await ReadAllEventsAsync();
        return events.Count == 0 ? 0 : events[^1].Id;
    }

    /// <summary>Walks every page of a keyset-paginated listing.</summary>
    protected static async Task<List<string>> ReadAllPagesAsync(Func<string?, int, Task<IReadOnlyList<string>>> list, int pageSize)
    {
        var all = new List<string>();
        string? last = null;
        while (true)
        {
            var page = await list(last, pageSize);
            Assert.True(page.Count <= pageSize);
            all.AddRange(page);
            if (page.Count < pageSize)
            {
                return all;
            }

            last = page[^1];
        }
    }

    protected static void AssertSameManifest(ManifestRecord expected, ManifestRecord? actual, bool compareContent = true)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Repository, actual.Repository);
        Assert.Equal(expected.Digest, actual.Digest);
        Assert.Equal(expected.MediaType, actual.MediaType);
        Assert.Equal(expected.Size, actual.Size);
        Assert.Equal(expected.ArtifactType, actual.ArtifactType);
        Assert.Equal(expected.Subject, actual.Subject);
        Assert.Equal(expected.AnnotationsJson, actual.AnnotationsJson);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        if (compareContent)
        {
            Assert.Equal(expected.Content, actual.Content);
        }
    }
}
