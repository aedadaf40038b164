using System.Collections.Concurrent;
using Strata.Cvmfs.Reading;
using Strata.Publish.Gc;
using Strata.Publish.Publishing;
using Strata.Publish.Repository;
using Strata.Publish.Tests.Support;
using Strata.Publish.Trees;

namespace Strata.Publish.Tests.Gc;

/// <summary>
/// The race test of the CernVM-FS collector with a real client: <c>strata mount</c> (its own process,
/// FUSE) of the repository served over HTTP keeps reading every live image while images are
/// published, unpublished, pruned and collected round after round; afterwards exactly what the
/// preserved revisions reach is stored.
/// </summary>
/// <remarks>
/// The contract asserted is the documented one (docs/architecture.md, "CernVM-FS repository"): the
/// collector keeps every object a <em>preserved</em> revision reaches (current, tagged
/// <c>trunk-previous</c>, younger than the retention), so a client that serves a preserved revision
/// keeps reading it. A client still on an older revision may lose that revision's catalogs; the real
/// client does not stay there, it moves to the newest revision on its TTL. So the test lets the mount
/// reload by itself (<c>--ttl 1</c>) and waits, before each round, until it has; each round is a
/// publisher-clock day and the retention a day and a half, so the collection of round k runs while the
/// client serves round k-1's last revision (preserved by age) or a newer one, and the test checks that
/// premise against every collection's result. An image is read only while it is live: it joins the
/// reader once the client serves a revision that has it and leaves before it is unpublished.
/// </remarks>
public sealed class MountedClientGcRaceTests : IAsyncLifetime
{
    private const int Rounds = 6;
    private const int LiveImages = 3;
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private static readonly TimeSpan Retention = TimeSpan.FromHours(36);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
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
    public async Task Mounted_client_keeps_reading_every_live_image_while_images_are_published_deleted_and_collected()
    {
        Assert.True(Environment.UserName == "root" && File.Exists("/dev/fuse"), "needs root and /dev/fuse (FUSE mounts)");
        await PublishAsync(1);
        await using var server = await StaticRepositoryServer.StartAsync(RepositoryDirectory, Publication.Fqrn);
        await using var mount = await StrataMountProcess.StartAsync(server.Url, Path.Combine(_registry.Directory, "mnt"),
            ["--key", Path.Combine(_registry.Directory, "keys", Publication.Fqrn + ".pub"), "--cache", Path.Combine(_registry.Directory, "client-cache"),
             "--ttl", "1", "--kernel-cache", "1", "--timeout", "10"]);
        var reader = new LiveImageReader(mount.Mountpoint);
        reader.Add(Image(1));
        var reading = Task.Run(reader.RunAsync);

        var collector = new RepositoryGarbageCollector(_registry.Driver, Options(), _clock);
        var pruner = new ImageTreePruner(_registry.Driver, _publisher.Repository, _keys.MasterPublicKey);
        RepositoryGcResult? last = null;
        long deleted = 0;
        for (var round = 2; round <= Rounds + 1; round++)
        {
            _clock.Now += Day;
            var published = await PublishAsync(round);
            if (round > LiveImages)
            {
                // Out of the reader first (after its last read of it), then out of the repository.
                var leaving = Image(round - LiveImages);
                await reader.RemoveAsync(leaving, Patience);
                await _publisher.UnpublishAsync("team/app", leaving.Tag, Ct);
                var (flats, layers) = await pruner.FindUnreachableAsync(Ct);
                Assert.NotEmpty(flats);
                await pruner.PruneAsync(flats, layers, Ct);
            }

            var servedDuringCollection = mount.Revision();
            last = await collector.CollectAsync(dryRun: false, Ct);
            deleted += last.ObjectsDeleted;
            Assert.True(servedDuringCollection >= last.OldestPreservedRevision,
                $"round {round}: the client served revision {servedDuringCollection}, older than every preserved one ({last.OldestPreservedRevision}..{last.Revision})");

            // The client moves on by itself (its TTL); the new image joins the reader once it is served.
            await mount.WaitForRevisionAsync(last.Revision, Patience);
            Assert.True(published.Revision <= last.Revision);
            reader.Add(Image(round));
        }

        // Every image still live is read once more on the final revision, then the reader stops.
        await reader.WaitForPassAsync(Patience);
        await reader.StopAsync(reading);
        Assert.True(reader.Failures.IsEmpty, $"reads of live images failed:\n{string.Join('\n', reader.Failures.Take(20))}\n{mount.Output()}");
        Assert.All(Enumerable.Range(1, Rounds + 1), i => Assert.True(reader.ReadsOf(Image(i)) > 0, $"app:{i} was never read while live"));
        Assert.True(deleted > 0, "the collections swept nothing: the test would prove nothing");

        // After the last collection: exactly what the preserved revisions reach is stored, found
        // independently (the preserved set from the documented rule, the objects by walking catalogs).
        var preserved = await PreservedRevisionsAsync(_clock.Now - Retention);
        Assert.Equal(last!.PreservedRevisions, preserved.Length);
        Assert.Equal(last.OldestPreservedRevision, preserved.Min());
        await using var current = await OpenReaderAsync();
        var reachable = await RepositoryObjects.ReachableAsync(current, RepositoryDirectory, _registry.Directory, preserved, Ct);
        var stored = RepositoryObjects.Stored(RepositoryDirectory);
        Assert.Empty(reachable.Except(stored));
        Assert.Empty(stored.Except(reachable));
    }

    /// <summary>Image <paramref name="index"/>: a file every image shares, a small and a larger file of its own.</summary>
    private static LiveImage Image(int index)
    {
        var large = new byte[300_000];
        new Random(index).NextBytes(large);
        return new LiveImage($"{Publication.Host}/team/app:{index}", index.ToString(System.Globalization.CultureInfo.InvariantCulture), new Dictionary<string, byte[]>
        {
            ["etc/common"] = "shared by every image\n"u8.ToArray(),
            [$"data/{index}.txt"] = System.Text.Encoding.UTF8.GetBytes($"image {index}\n"),
            ["data/large.bin"] = large,
        });
    }

    private async Task<PublishResult> PublishAsync(int index)
    {
        var image = Image(index);
        var layer = new LayerBuilder();
        foreach (var (path, content) in image.Files)
        {
            layer.File(path, content);
        }

        _clock.Now += TimeSpan.FromSeconds(1);
        await _registry.PushImageAsync("team/app", image.Tag, [layer.TarGz()], configSeed: image.Tag);
        return await _publisher.PublishAsync("team/app", image.Tag, Ct);
    }

    /// <summary>The documented preservation rule applied independently: current, <c>trunk-previous</c>, and back along previous_revision while younger than the retention.</summary>
    private async Task<long[]> PreservedRevisionsAsync(DateTimeOffset retainSince)
    {
        await using var current = await OpenReaderAsync();
        await using var previous = await OpenReaderAsync("trunk-previous");
        var preserved = new SortedSet<long> { current.Revision, previous.Revision };
        foreach (var (revision, published) in await RepositoryObjects.RevisionsAsync(current, RepositoryDirectory, _registry.Directory, Ct))
        {
            if (published < retainSince)
            {
                break;
            }

            preserved.Add(revision);
        }

        return [.. preserved];
    }

    private RepositoryGcOptions Options() => new()
    {
        RepositoryName = Publication.Fqrn,
        WorkDirectory = Path.Combine(_registry.Directory, "gc-work"),
        RevisionRetention = Retention,
        ObjectGrace = TimeSpan.Zero,
    };

    private Task<RepositoryReader> OpenReaderAsync(string? tag = null)
    {
        var master = System.Security.Cryptography.RSA.Create();
        master.ImportFromPem(File.ReadAllText(Path.Combine(_registry.Directory, "keys", Publication.Fqrn + ".pub")));
        return RepositoryReader.OpenAsync(
            new FileSystemRepositorySource(RepositoryDirectory),
            new RepositoryReaderOptions { RepositoryName = Publication.Fqrn, MasterKeys = [master], SymlinkVariables = _ => null, Tag = tag },
            Ct);
    }

    /// <summary>A published image as the mount shows it: its directory below the mount point and the files pushed in it.</summary>
    private sealed record LiveImage(string Directory, string Tag, IReadOnlyDictionary<string, byte[]> Files);

    /// <summary>
    /// Reads every file of every live image through the mount, over and over, comparing each with what
    /// was pushed. One image is read at a time under a gate, so removing an image can wait out a read of it.
    /// </summary>
    private sealed class LiveImageReader(string mountpoint)
    {
        private readonly ConcurrentDictionary<string, LiveImage> _live = new();
        private readonly ConcurrentDictionary<string, int> _reads = new();
        private readonly SemaphoreSlim _gate = new(1, 1);
        private readonly CancellationTokenSource _stop = new();
        private long _passes;

        public ConcurrentQueue<string> Failures { get; } = new();

        public int ReadsOf(LiveImage image) => _reads.GetValueOrDefault(image.Directory);

        public void Add(LiveImage image) => _live[image.Directory] = image;

        /// <summary>Waits until the image was read at least once, then takes it out; no read of it is running when this returns.</summary>
        public async Task RemoveAsync(LiveImage image, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (ReadsOf(image) == 0 && Failures.IsEmpty)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{image.Directory} was not read within {timeout}");
                await Task.Delay(50);
            }

            _live.TryRemove(image.Directory, out _);
            await _gate.WaitAsync();
            _gate.Release();
        }

        /// <summary>Waits for a whole pass over the images live now.</summary>
        public async Task WaitForPassAsync(TimeSpan timeout)
        {
            var target = Interlocked.Read(ref _passes) + 2;
            var deadline = DateTime.UtcNow + timeout;
            while (Interlocked.Read(ref _passes) < target)
            {
                Assert.True(DateTime.UtcNow < deadline, $"the reader made no pass within {timeout}");
                await Task.Delay(50);
            }
        }

        public async Task StopAsync(Task reading)
        {
            await _stop.CancelAsync();
            await reading;
        }

        public async Task RunAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                foreach (var image in _live.Values.OrderBy(i => i.Directory, StringComparer.Ordinal).ToArray())
                {
                    await _gate.WaitAsync();
                    try
                    {
                        if (_live.ContainsKey(image.Directory))
                        {
                            Read(image);
                        }
                    }
                    finally
                    {
                        _gate.Release();
                    }
                }

                Interlocked.Increment(ref _passes);
                await Task.Delay(20);
            }
        }

        private void Read(LiveImage image)
        {
            foreach (var (path, expected) in image.Files)
            {
                var file = Path.Combine(mountpoint, image.Directory, path);
                try
                {
                    if (!File.ReadAllBytes(file).AsSpan().SequenceEqual(expected))
                    {
                        Failures.Enqueue($"{file}: contents differ from what was pushed");
                    }
                }
                catch (IOException e)
                {
                    Failures.Enqueue($"{file}: {e.GetType().Name}: {e.Message}");
                }
                catch (UnauthorizedAccessException e)
                {
                    Failures.Enqueue($"{file}: {e.GetType().Name}: {e.Message}");
                }
            }

            _reads.AddOrUpdate(image.Directory, 1, (_, n) => n + 1);
        }
    }
}
