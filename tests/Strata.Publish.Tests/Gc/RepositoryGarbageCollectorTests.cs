using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Reading;
using Strata.Publish.Gc;
using Strata.Publish.Publishing;
using Strata.Publish.Repository;
using Strata.Publish.Tests.Support;
using Strata.Publish.Trees;

namespace Strata.Publish.Tests.Gc;

/// <summary>
/// Garbage collection of the CernVM-FS repository: images published, retagged and unpublished over
/// days, then a collection: every object reachable from a preserved revision (current, recent,
/// tagged) exists, every other object is gone, and a client that mounted the previous revision keeps
/// reading it.
/// </summary>
public sealed class RepositoryGarbageCollectorTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly TestClock _clock = new(DateTimeOffset.UtcNow);
    private TestRegistry _registry = null!;
    private RepositoryKeys _keys = null!;
    private ImagePublisher _publisher = null!;

    private string RepositoryDirectory => Path.Combine(_registry.Driver.RootDirectory, "cvmfs", Publication.Fqrn);

    public async Task InitializeAsync()
    {
        _registry = await TestRegistry.CreateAsync();
        _keys = RepositoryKeys.LoadOrCreate(Path.Combine(_registry.Directory, "keys"), Publication.Fqrn);
        _publisher = new ImagePublisher(
            _registry.Driver,
            _registry.Store,
            new ImagePublisherOptions { RepositoryName = Publication.Fqrn, RegistryHost = Publication.Host, WorkDirectory = Path.Combine(_registry.Directory, "work") },
            _keys,
            _clock);
    }

    public async Task DisposeAsync()
    {
        _keys.Dispose();
        await _registry.DisposeAsync();
    }

    [Fact]
    public async Task Objects_of_condemned_revisions_are_swept_and_everything_preserved_stays_readable()
    {
        await PushAndPublishAsync("team/app", "1", "one");
        await PushAndPublishAsync("team/app", "2", "two");
        await PushAndPublishAsync("team/app", "1", "one again");
        await _publisher.UnpublishAsync("team/app", "2", Ct);

        // Revision 5: the images of "one" (retagged away) and "two" (unpublished) leave the tree.
        var pruner = new ImageTreePruner(_registry.Driver, _publisher.Repository, _keys.MasterPublicKey);
        var (flats, layers) = await pruner.FindUnreachableAsync(Ct);
        Assert.Equal((2, 2), (flats.Count, layers.Count));
        Assert.Equal(5, (await pruner.PruneAsync(flats, layers, Ct))?.Revision);

        // A client mounts revision 5 now; revision 6 comes four days later.
        await using var mounted = await OpenReaderAsync();
        var mountedTree = await Publication.ObserveAsync(mounted, "/");
        _clock.Now += TimeSpan.FromDays(4);
        await PushAndPublishAsync("team/tool", "1", "tool");
        var before = StoredObjects();

        var collector = Collector(_clock.Now);
        var dry = await collector.CollectAsync(dryRun: true, Ct);
        Assert.Equal(before, StoredObjects());
        var result = await collector.CollectAsync(dryRun: false, Ct);

        Assert.Equal(6, result.Revision);
        Assert.Equal(2, result.PreservedRevisions);
        Assert.Equal(5, result.OldestPreservedRevision);
        Assert.True(result.ObjectsDeleted > 0, "revisions 1 to 4 left nothing to sweep");
        Assert.Equal(dry.ObjectsDeleted, result.ObjectsDeleted);
        Assert.Equal(dry.BytesFreed, result.BytesFreed);
        var after = StoredObjects();
        Assert.Equal(before.Count - result.ObjectsDeleted, after.Count);

        // Exactly what the preserved revisions reach is left: nothing else, and all of it that was stored.
        var reachable = await ReachableAsync([5, 6]);
        Assert.Empty(after.Except(reachable));
        Assert.Empty(reachable.Intersect(before).Except(after));

        // The client on revision 5 reads on; a new client reads revision 6 and trunk-previous whole.
        Assert.Equal(mountedTree.Keys, (await Publication.ObserveAsync(mounted, "/")).Keys);
        await using var current = await OpenReaderAsync();
        Assert.Equal(6, current.Revision);
        Assert.NotNull(await Publication.ResolveAsync(current, $"/{Publication.Host}/team/tool:1/file"));
        Assert.NotNull(await Publication.ResolveAsync(current, $"/{Publication.Host}/team/app:1/dir/one-again"));
        Assert.NotEmpty(await Publication.ObserveAsync(current, "/"));
        await using var previous = await OpenReaderAsync("trunk-previous");
        Assert.Equal(mountedTree.Keys, (await Publication.ObserveAsync(previous, "/")).Keys);

        // A second run finds nothing more.
        Assert.Equal(0, (await collector.CollectAsync(dryRun: false, Ct)).ObjectsDeleted);
    }

    [Fact]
    public async Task Recent_revisions_and_young_objects_are_kept()
    {
        // Published "four days ago" by the publisher's clock; the files themselves are written now.
        _clock.Now = DateTimeOffset.UtcNow - TimeSpan.FromDays(4);
        await PushAndPublishAsync("team/app", "1", "one");
        await PushAndPublishAsync("team/app", "1", "two");
        await PushAndPublishAsync("team/app", "1", "three");
        var before = StoredObjects();

        // Within the retention: every revision is preserved.
        var recent = await Collector(_clock.Now).CollectAsync(dryRun: false, Ct);
        Assert.Equal(3, recent.PreservedRevisions);
        Assert.Equal(0, recent.ObjectsDeleted);

        // Past the retention but within the object grace (the files were written just now): nothing either.
        var young = await new RepositoryGarbageCollector(_registry.Driver, Options(TimeSpan.FromHours(1)), new TestClock(DateTimeOffset.UtcNow)).CollectAsync(dryRun: false, Ct);
        Assert.Equal(2, young.PreservedRevisions);
        Assert.True(young.ObjectsTooYoung > 0, "revision 1 left nothing to keep");
        Assert.Equal(0, young.ObjectsDeleted);
        Assert.Equal(before, StoredObjects());
    }

    private RepositoryGarbageCollector Collector(DateTimeOffset now) =>
        new(_registry.Driver, Options(TimeSpan.Zero), new TestClock(now));

    private RepositoryGcOptions Options(TimeSpan objectGrace) => new()
    {
        RepositoryName = Publication.Fqrn,
        WorkDirectory = Path.Combine(_registry.Directory, "gc-work"),
        RevisionRetention = TimeSpan.FromDays(3),
        ObjectGrace = objectGrace,
    };

    private async Task PushAndPublishAsync(string repository, string tag, string text)
    {
        _clock.Now += TimeSpan.FromSeconds(1);
        await _registry.PushImageAsync(repository, tag, [new LayerBuilder().File("file", text).File("dir/" + text.Replace(' ', '-'), text).TarGz()], configSeed: text);
        await _publisher.PublishAsync(repository, tag, Ct);
    }

    private Task<RepositoryReader> OpenReaderAsync(string? tag = null)
    {
        var master = System.Security.Cryptography.RSA.Create();
        master.ImportFromPem(File.ReadAllText(Path.Combine(_registry.Directory, "keys", Publication.Fqrn + ".pub")));
        return RepositoryReader.OpenAsync(
            new FileSystemRepositorySource(RepositoryDirectory),
            new RepositoryReaderOptions { RepositoryName = Publication.Fqrn, MasterKeys = [master], SymlinkVariables = _ => null, Tag = tag },
            Ct);
    }

    private HashSet<string> StoredObjects() => RepositoryObjects.Stored(RepositoryDirectory);

    /// <summary>Every object the given revisions reach, found independently of the collector: each revision's tree walked through its catalogs.</summary>
    private async Task<HashSet<string>> ReachableAsync(long[] revisions)
    {
        await using var current = await OpenReaderAsync();
        return await RepositoryObjects.ReachableAsync(current, RepositoryDirectory, _registry.Directory, revisions, Ct);
    }
}
