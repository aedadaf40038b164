using Strata.Client.Mirror;
using Strata.Client.Network;
using Strata.Client.Repository;
using Strata.Client.Tests.Support;
using Strata.Cvmfs.Manifest;
using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Reading;

namespace Strata.Client.Tests.Mirror;

/// <summary><c>strata mirror</c>: a Stratum 1 copy of the test repository, made over HTTP, with faults.</summary>
public sealed class MirrorTests
{
    [Fact]
    public async Task Sync_makes_a_verified_copy_of_exactly_the_reachable_objects_and_a_second_run_fetches_nothing()
    {
        using var scratch = new TemporaryDirectory();
        await using var server = new RepositoryServer(TestVectors.Repo);
        var target = scratch.Sub("s1");

        using (var mirror = new RepositoryMirror(Options(server.Url, target)))
        {
            var result = await mirror.SyncAsync(CancellationToken.None);
            Assert.False(result.UpToDate);
            Assert.Equal(0, result.PreviousRevision);
            Assert.Equal(UpstreamRevision, result.Revision);
            Assert.Equal(57, result.Progress.ObjectsFetched);
        }

        await AssertMirrorIsCompleteAsync(target, includeTags: true);
        Assert.Equal(File.ReadAllBytes(Path.Combine(TestVectors.Repo, ".cvmfspublished")), File.ReadAllBytes(Path.Combine(target, ".cvmfspublished")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(TestVectors.Repo, ".cvmfswhitelist")), File.ReadAllBytes(Path.Combine(target, ".cvmfswhitelist")));
        var firstRunRequests = server.Requests.Count;

        using (var again = new RepositoryMirror(Options(server.Url, target)))
        {
            var result = await again.SyncAsync(CancellationToken.None);
            Assert.True(result.UpToDate);
            Assert.Equal(0, result.Progress.ObjectsFetched);
        }

        Assert.Equal([".cvmfspublished", ".cvmfswhitelist"], server.Requests.Skip(firstRunRequests).Select(r => r.Path).Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task Interrupted_sync_leaves_no_manifest_and_a_rerun_completes_without_refetching()
    {
        using var scratch = new TemporaryDirectory();
        var target = scratch.Sub("s1");
        var dying = new RepositoryServer(TestVectors.Repo);
        try
        {
            // The upstream dies after 20 objects arrived.
            using var mirror = new RepositoryMirror(Options(dying.Url, target), p =>
            {
                if (p.ObjectsFetched == 20)
                {
                    dying.Kill();
                }
            });
            await Assert.ThrowsAnyAsync<IOException>(() => mirror.SyncAsync(CancellationToken.None));
        }
        finally
        {
            await dying.DisposeAsync();
        }

        Assert.False(File.Exists(Path.Combine(target, ".cvmfspublished")));
        Assert.False(File.Exists(Path.Combine(target, ".cvmfswhitelist")));
        var survivors = MirroredObjects(target);
        Assert.InRange(survivors.Count, 1, 56);

        // The root catalog comes last of its walk: it cannot be there yet.
        Assert.DoesNotContain(new ObjectId(SignedManifest.Parse(File.ReadAllBytes(Path.Combine(TestVectors.Repo, ".cvmfspublished"))).Manifest.RootCatalogHash, ObjectKind.Catalog).Path, survivors);

        await using var server = new RepositoryServer(TestVectors.Repo);
        using (var rerun = new RepositoryMirror(Options(server.Url, target)))
        {
            var result = await rerun.SyncAsync(CancellationToken.None);
            Assert.Equal(UpstreamRevision, result.Revision);
            Assert.Equal(57 - survivors.Count, result.Progress.ObjectsFetched);
        }

        Assert.DoesNotContain(server.Requests, r => survivors.Contains(r.Path));
        await AssertMirrorIsCompleteAsync(target, includeTags: true);
    }

    [Fact]
    public async Task Corrupt_object_upstream_fails_the_sync_and_keeps_the_previous_manifest()
    {
        using var scratch = new TemporaryDirectory();
        var target = scratch.Sub("s1");
        var older = await OlderManifest.PointingToRevision1Async(UpstreamRevision - 1);
        string newObject;
        await using (var server = new RepositoryServer(TestVectors.Repo))
        {
            server.Override(".cvmfspublished", older);
            using var mirror = new RepositoryMirror(Options(server.Url, target) with { IncludeTaggedRevisions = false });
            Assert.Equal(UpstreamRevision - 1, (await mirror.SyncAsync(CancellationToken.None)).Revision);
            var r2 = await ReachableAsync(TestVectors.Repo, includeTags: false);
            newObject = r2.Except(MirroredObjects(target)).First(p => p.Length == "data/00/".Length + 38);

            // Revision 2 is published upstream, with one of its new objects corrupt.
            server.ClearOverride(".cvmfspublished");
            server.Corrupt(newObject);
            await Assert.ThrowsAnyAsync<IOException>(() => mirror.SyncAsync(CancellationToken.None));
        }

        Assert.Equal(older, File.ReadAllBytes(Path.Combine(target, ".cvmfspublished")));
        Assert.False(File.Exists(Path.Combine(target, newObject)));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(Path.Combine(target, "data", "txn")), f => Path.GetFileName(f) != ".lock");

        // Once the upstream is healthy again, the next run completes.
        await using var healthy = new RepositoryServer(TestVectors.Repo);
        using var retry = new RepositoryMirror(Options(healthy.Url, target) with { IncludeTaggedRevisions = false });
        Assert.Equal(UpstreamRevision, (await retry.SyncAsync(CancellationToken.None)).Revision);
        await AssertMirrorIsCompleteAsync(target, includeTags: false);
    }

    [Fact]
    public async Task Upstream_with_an_older_revision_than_the_mirror_is_refused()
    {
        using var scratch = new TemporaryDirectory();
        var target = scratch.Sub("s1");
        await using var server = new RepositoryServer(TestVectors.Repo);
        using var mirror = new RepositoryMirror(Options(server.Url, target));
        await mirror.SyncAsync(CancellationToken.None);
        var mirrored = File.ReadAllBytes(Path.Combine(target, ".cvmfspublished"));

        server.Override(".cvmfspublished", await OlderManifest.PointingToRevision1Async(UpstreamRevision - 1));
        var refused = await Assert.ThrowsAsync<MirrorRefusedException>(() => mirror.SyncAsync(CancellationToken.None));

        Assert.Contains("older", refused.Message, StringComparison.Ordinal);
        Assert.Equal(mirrored, File.ReadAllBytes(Path.Combine(target, ".cvmfspublished")));
    }

    [Fact]
    public async Task Watch_picks_up_a_new_revision()
    {
        using var scratch = new TemporaryDirectory();
        var target = scratch.Sub("s1");
        await using var server = new RepositoryServer(TestVectors.Repo);
        server.Override(".cvmfspublished", await OlderManifest.PointingToRevision1Async(UpstreamRevision - 1));
        using var mirror = new RepositoryMirror(Options(server.Url, target) with { IncludeTaggedRevisions = false });
        var revisions = new List<long>();
        var failures = new List<Exception>();

        await mirror.WatchAsync(TimeSpan.FromMilliseconds(50), 3, r =>
        {
            revisions.Add(r.Revision);
            server.ClearOverride(".cvmfspublished");
        }, failures.Add, CancellationToken.None);

        Assert.Empty(failures);
        Assert.Equal([UpstreamRevision - 1, UpstreamRevision, UpstreamRevision], revisions);
        await AssertMirrorIsCompleteAsync(target, includeTags: false);
    }

    private static long UpstreamRevision => SignedManifest.Parse(File.ReadAllBytes(Path.Combine(TestVectors.Repo, ".cvmfspublished"))).Manifest.Revision;

    private static MirrorOptions Options(string url, string directory) => new()
    {
        Upstreams = [RepositoryAddress.Parse(url)],
        Directory = directory,
        MasterKeys = Strata.Client.Hosting.MasterKeys.Load(TestVectors.MasterKeyFile),
        Network = new NetworkOptions { Timeout = TimeSpan.FromSeconds(3), MaxRetries = 0 },
    };

    private static HashSet<string> MirroredObjects(string directory)
    {
        var data = Path.Combine(directory, "data");
        return [.. Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/'))
            .Where(p => !p.StartsWith("data/txn/", StringComparison.Ordinal))];
    }

    private static async Task<HashSet<string>> ReachableAsync(string repository, bool includeTags)
    {
        using var key = Strata.Client.Hosting.MasterKeys.Load(TestVectors.MasterKeyFile)[0];
        var options = new RepositoryReaderOptions { RepositoryName = TestVectors.RepositoryName, MasterKeys = [key] };
        await using var reader = await RepositoryReader.OpenAsync(new FileSystemRepositorySource(repository), options, CancellationToken.None);
        var set = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var id in reader.EnumerateObjectsAsync(includeTags, CancellationToken.None))
        {
            set.Add(id.Path);
        }

        return set;
    }

    /// <summary>
    /// The mirror opens as a verified repository, every object hashes to its name, and data/ holds
    /// exactly what the upstream revision reaches (with tags); without tags, after a revision 1
    /// mirrored first, revision 1's catalogs stay too (a Stratum 1 keeps old objects), nothing else.
    /// </summary>
    private static async Task AssertMirrorIsCompleteAsync(string directory, bool includeTags)
    {
        var expected = await ReachableAsync(TestVectors.Repo, includeTags);
        var actual = MirroredObjects(directory);
        if (includeTags)
        {
            Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
        }
        else
        {
            Assert.Subset(actual, expected);
            Assert.Subset(await ReachableAsync(TestVectors.Repo, includeTags: true), actual);
        }

        Assert.Equal(expected, await ReachableAsync(directory, includeTags));
        foreach (var path in actual)
        {
            Assert.True(ObjectId.TryParsePath(path, out var id), path);
            Assert.Equal(id.Hash, ContentHasher.Compute(id.Hash.Algorithm, File.ReadAllBytes(Path.Combine(directory, path))));
        }
    }
}
