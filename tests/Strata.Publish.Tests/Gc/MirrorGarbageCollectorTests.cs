using System.Diagnostics;
using System.Security.Cryptography;
using Strata.Client.Mirror;
using Strata.Client.Repository;
using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Reading;
using Strata.Publish.Gc.Mirror;
using Strata.Publish.Publishing;
using Strata.Publish.Repository;
using Strata.Publish.Tests.Support;
using Strata.Publish.Trees;

namespace Strata.Publish.Tests.Gc;

/// <summary>
/// Garbage collection of a Stratum 1 made by the real <see cref="RepositoryMirror"/> from a Stratum 0
/// served over HTTP: revisions published over days are mirrored one by one, then the mirror is
/// collected with the repository's preservation rules; a dry run lists exactly what the run deletes,
/// what preserved revisions reach stays (and reads), the rest goes, the mirror syncs on afterwards,
/// and a collection never overlaps a sync.
/// </summary>
public sealed class MirrorGarbageCollectorTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly TestClock _clock = new(DateTimeOffset.UtcNow - TimeSpan.FromDays(4));
    private TestRegistry _registry = null!;
    private RepositoryKeys _keys = null!;
    private ImagePublisher _publisher = null!;
    private StaticRepositoryServer _upstream = null!;
    private RSA _master = null!;

    private string Stratum0 => Path.Combine(_registry.Driver.RootDirectory, "cvmfs", Publication.Fqrn);

    private string Stratum1 => Path.Combine(_registry.Directory, "stratum1");

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
        _master = RSA.Create();
        _master.ImportFromPem(File.ReadAllText(Path.Combine(_registry.Directory, "keys", Publication.Fqrn + ".pub")));
        _upstream = await StaticRepositoryServer.StartAsync(Stratum0, Publication.Fqrn);
    }

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        _master.Dispose();
        _keys.Dispose();
        await _registry.DisposeAsync();
    }

    [Fact]
    public async Task Mirror_keeps_exactly_what_preserved_revisions_reach_and_syncs_on_after_collection()
    {
        // Revisions 1-4, four days ago, each mirrored: the mirror accumulates every revision's objects.
        await PublishAndMirrorAsync("team/app", "1", "one");
        await PublishAndMirrorAsync("team/app", "2", "two");
        await PublishAndMirrorAsync("team/app", "1", "one again");
        await _publisher.UnpublishAsync("team/app", "2", Ct);
        await SyncAsync();

        // Revisions 5 and 6 now.
        _clock.Now = DateTimeOffset.UtcNow;
        await PublishAndMirrorAsync("team/tool", "1", "tool");
        await PublishAndMirrorAsync("team/tool", "2", "tool two");
        var before = MirroredObjects();
        await using (var mounted = await OpenMirrorAsync())
        {
            Assert.Equal(6, mounted.Revision);
        }

        var collector = new MirrorGarbageCollector(new MirrorGcOptions { Directory = Stratum1, ObjectGrace = TimeSpan.Zero });
        var dry = await collector.CollectAsync(dryRun: true, Ct);
        Assert.Equal(before, MirroredObjects());
        var result = await collector.CollectAsync(dryRun: false, Ct);

        // The dry run listed exactly what the run deleted; revisions 5 (recent, trunk-previous) and 6 are preserved.
        Assert.Equal(dry.Objects, result.Objects);
        Assert.Equal(dry.Summary.BytesFreed, result.Summary.BytesFreed);
        Assert.Equal((6L, 2, 5L), (result.Summary.Revision, result.Summary.PreservedRevisions, result.Summary.OldestPreservedRevision));
        Assert.True(result.Summary.ObjectsDeleted > 0, "revisions 1 to 4 left nothing to sweep");

        // Exactly what revisions 5 and 6 reach is left (found by walking their catalogs independently).
        var after = MirroredObjects();
        var reachable = await ReachableAsync([5, 6]);
        Assert.Equal(before.Except(result.Objects).Order(StringComparer.Ordinal), after.Order(StringComparer.Ordinal));
        Assert.Empty(after.Except(reachable));
        Assert.Empty(reachable.Except(after));

        // A client of the mirror reads revision 6 and trunk-previous whole.
        await using (var current = await OpenMirrorAsync())
        {
            Assert.NotNull(await Publication.ResolveAsync(current, $"/{Publication.Host}/team/tool:2/dir/tool-two"));
            Assert.NotNull(await Publication.ResolveAsync(current, $"/{Publication.Host}/team/app:1/dir/one-again"));
            await ReadEveryFileAsync(current);
        }

        await using (var previous = await OpenMirrorAsync("trunk-previous"))
        {
            Assert.Equal(5, previous.Revision);
            await ReadEveryFileAsync(previous);
        }

        // The mirror syncs on: a new revision arrives whole, and a second collection finds nothing more.
        await PublishAndMirrorAsync("team/app", "1", "one");
        await using (var next = await OpenMirrorAsync())
        {
            Assert.Equal(7, next.Revision);
            await ReadEveryFileAsync(next);
        }

        // Revision 5 is still younger than the retention, so 5, 6 (trunk-previous) and 7 are preserved;
        // only revision 6's history database goes (each manifest names its own, as in the repository).
        var again = await collector.CollectAsync(dryRun: false, Ct);
        Assert.Equal(3, again.Summary.PreservedRevisions);
        var history = Assert.Single(again.Objects);
        Assert.True(ObjectId.TryParsePath(history, out var historyId) && historyId.Kind == ObjectKind.History, history);
        var preserved = await ReachableAsync([5, 6, 7]);
        Assert.Empty(MirroredObjects().Except(preserved));
        Assert.Empty(preserved.Except(MirroredObjects()));
    }

    [Fact]
    public async Task Collection_and_sync_exclude_each_other_through_the_mirror_lock()
    {
        await PublishAndMirrorAsync("team/app", "1", "one");
        var lockFile = Path.Combine(Stratum1, "data", "txn", ".lock");

        // A sync holds the lock (as RepositoryMirror does for a run): the collection waits, then gives up.
        using (new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var waiting = Stopwatch.StartNew();
            var busy = new MirrorGarbageCollector(new MirrorGcOptions { Directory = Stratum1, LockTimeout = TimeSpan.FromMilliseconds(500) });
            await Assert.ThrowsAsync<MirrorBusyException>(() => busy.CollectAsync(dryRun: false, Ct));
            Assert.True(waiting.Elapsed >= TimeSpan.FromMilliseconds(450), $"gave up after {waiting.Elapsed}");
        }

        // A collection holds it: a sync (a strata mirror --watch round) fails and leaves the mirror as it was.
        await _registry.PushImageAsync("team/app", "2", [new LayerBuilder().File("file", "two").TarGz()], configSeed: "two");
        await _publisher.PublishAsync("team/app", "2", Ct);
        var manifestFile = Path.Combine(Stratum1, ".cvmfspublished");
        var manifestBefore = await File.ReadAllBytesAsync(manifestFile);
        await using (var held = await MirrorDirectoryLock.AcquireAsync(Stratum1, TimeSpan.FromSeconds(5), Ct))
        {
            await Assert.ThrowsAnyAsync<IOException>(SyncAsync);
        }

        Assert.Equal(manifestBefore, await File.ReadAllBytesAsync(manifestFile));
        await SyncAsync();
        await using var current = await OpenMirrorAsync();
        Assert.Equal(2, current.Revision);
    }

    [Fact]
    public async Task Strata_gc_mirror_dry_run_prints_what_the_real_run_deletes()
    {
        await PublishAndMirrorAsync("team/app", "1", "one");
        await PublishAndMirrorAsync("team/app", "1", "two");
        await PublishAndMirrorAsync("team/app", "1", "three");
        var before = MirroredObjects();

        // Revision 1 is neither current, tagged (trunk-previous is 2) nor younger than the retention of zero.
        var dry = await RunStrataAsync("gc", "--mirror", Stratum1, "--dry-run", "--revision-retention", "00:00:00", "--object-grace", "00:00:00");
        Assert.Equal(before, MirroredObjects());
        var real = await RunStrataAsync("gc", "--mirror", Stratum1, "--revision-retention", "00:00:00", "--object-grace", "00:00:00");

        var listed = dry.Where(l => l.StartsWith("object ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(listed);
        Assert.Equal(listed, real.Where(l => l.StartsWith("object ", StringComparison.Ordinal)).ToList());
        Assert.Contains(dry, l => l.StartsWith("mirror gc (dry run): revision 3, 2 revisions preserved", StringComparison.Ordinal));
        Assert.Equal(before.Except(listed.Select(l => l["object ".Length..])).Order(StringComparer.Ordinal), MirroredObjects().Order(StringComparer.Ordinal));
        Assert.Empty(MirroredObjects().Except(await ReachableAsync([2, 3])));
    }

    private async Task PublishAndMirrorAsync(string repository, string tag, string text)
    {
        _clock.Now += TimeSpan.FromSeconds(1);
        await _registry.PushImageAsync(repository, tag, [new LayerBuilder().File("file", text).File("dir/" + text.Replace(' ', '-'), text).TarGz()], configSeed: text);
        await _publisher.PublishAsync(repository, tag, Ct);
        await SyncAsync();
    }

    private async Task SyncAsync()
    {
        using var mirror = new RepositoryMirror(new MirrorOptions
        {
            Upstreams = [RepositoryAddress.Parse(_upstream.Url)],
            Directory = Stratum1,
            MasterKeys = [_master],
        });
        await mirror.SyncAsync(Ct);
    }

    private Task<RepositoryReader> OpenMirrorAsync(string? tag = null) => RepositoryReader.OpenAsync(
        new FileSystemRepositorySource(Stratum1),
        new RepositoryReaderOptions { RepositoryName = Publication.Fqrn, MasterKeys = [_master], SymlinkVariables = _ => null, Tag = tag },
        Ct);

    private static async Task ReadEveryFileAsync(RepositoryReader reader)
    {
        var tree = await Publication.ObserveAsync(reader, "/");
        Assert.NotEmpty(tree);
    }

    private HashSet<string> MirroredObjects() => RepositoryObjects.Stored(Stratum1);

    /// <summary>Every object the given revisions reach in the mirror, plus the current certificate and history: their catalogs walked.</summary>
    private async Task<HashSet<string>> ReachableAsync(long[] revisions)
    {
        await using var current = await OpenMirrorAsync();
        return await RepositoryObjects.ReachableAsync(current, Stratum1, _registry.Directory, revisions, Ct);
    }

    private static async Task<List<string>> RunStrataAsync(params string[] arguments)
    {
        var info = StrataServerProcess.StartInfo();
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"strata {string.Join(' ', arguments)} exited {process.ExitCode}: {await error}");
        return [.. (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}
