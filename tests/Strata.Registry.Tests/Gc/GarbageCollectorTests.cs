using Strata.Metadata.Contracts.Gc;
using Strata.Oci.Errors;
using Strata.Registry.Gc;
using Strata.Registry.Manifests;
using Strata.Registry.Tests.Gc.Support;
using Strata.Storage;

namespace Strata.Registry.Tests.Gc;

/// <summary>One collector run at a time, on SQLite and the filesystem driver, checked against storage.</summary>
public sealed class GarbageCollectorTests
{
    // Seconds, not milliseconds: the "too early" runs must start within the grace period, and on a
    // loaded 2-core CI machine the first (JIT-compiling) collector run alone took longer than 300 ms.
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);
    private static CancellationToken Ct => CancellationToken.None;

    private static GcOptions Settings(TimeSpan? uploadExpiry = null) => new()
    {
        GracePeriod = Grace,
        UploadExpiry = uploadExpiry ?? TimeSpan.FromHours(1),
        LeaseDuration = TimeSpan.FromSeconds(10),
        BlobDeletionWait = TimeSpan.FromSeconds(20),
    };

    private static Task PassGraceAsync() => Task.Delay(Grace + TimeSpan.FromMilliseconds(100));

    private static GcRunRequest Run(bool dryRun = false, bool sweep = false) => new(dryRun, sweep, "test");

    [Fact]
    public async Task A_deleted_image_is_removed_from_storage_and_metadata_after_the_grace_period_and_shared_layers_stay()
    {
        await using var registry = await RegistryHarness.SqliteFileSystemAsync(Settings());
        var shared = RegistryHarness.Content("shared");
        var own = RegistryHarness.Content("own");
        var config = RegistryHarness.Content("config");
        var keep = await registry.PushImageAsync("team/keep", "latest", RegistryHarness.Content("config-keep"), [shared], chunked: false, Ct);
        var gone = await registry.PushImageAsync("team/gone", "latest", config, [shared, own], chunked: true, Ct);
        await registry.Manifests.DeleteAsync("team/gone", new ManifestReference(null, gone), Ct);

        var early = await registry.Collector.RunAsync(Run(), Ct);
        Assert.Equal(0, early.BlobsDeleted);
        await PassGraceAsync();
        var report = await registry.Collector.RunAsync(Run(), Ct);

        Assert.Equal("succeeded", report.Status);
        Assert.Equal(
            new[] { RegistryHarness.DigestOf(own).ToString(), RegistryHarness.DigestOf(config).ToString() }.Order(StringComparer.Ordinal),
            report.Blobs.Order(StringComparer.Ordinal));
        Assert.Equal(own.Length + config.Length, report.BytesFreed);
        Assert.Equal(3, report.LinksPruned);
        Assert.Null(await registry.Driver.StatAsync(BlobPaths.Blob(RegistryHarness.DigestOf(own)), Ct));
        Assert.NotNull(await registry.Driver.StatAsync(BlobPaths.Blob(RegistryHarness.DigestOf(shared)), Ct));
        await registry.PullAndVerifyAsync("team/keep", "latest", Ct);
        Assert.Null(await registry.Store.GetBlobAsync(RegistryHarness.DigestOf(own), Ct));
        var history = Assert.Single(await registry.Store.ListGcRunsAsync(10, Ct), r => r.Id == report.Id);
        Assert.Equal((2L, (long)(own.Length + config.Length), false), (history.BlobsDeleted, history.BytesFreed, history.DryRun));
        Assert.NotEqual(keep, gone);
    }

    [Fact]
    public async Task A_dry_run_reports_exactly_what_the_real_run_then_deletes_and_changes_nothing()
    {
        await using var registry = await RegistryHarness.SqliteFileSystemAsync(Settings());
        await registry.PushImageAsync("team/app", "latest", RegistryHarness.Content("c1"), [RegistryHarness.Content("l1")], chunked: false, Ct);
        await registry.PushImageAsync("team/app", "latest", RegistryHarness.Content("c2"), [RegistryHarness.Content("l2")], chunked: false, Ct);
        await registry.UploadAsync("team/app", RegistryHarness.Content("abandoned"), chunked: false, Ct);
        await registry.Driver.PutAsync(BlobPaths.Blob(RegistryHarness.DigestOf(RegistryHarness.Content("orphan"))), new MemoryStream(RegistryHarness.Content("orphan")), Ct);
        await PassGraceAsync();
        var storedBefore = await registry.ListStoredBlobsAsync(Ct);

        var dry = await registry.Collector.RunAsync(Run(dryRun: true, sweep: true), Ct);

        Assert.Equal(storedBefore, await registry.ListStoredBlobsAsync(Ct));
        Assert.Equal(1, dry.ManifestsDeleted);
        Assert.Equal(3, dry.BlobsDeleted);
        Assert.Equal(1, dry.OrphansDeleted);
        await registry.PullAndVerifyAsync("team/app", "latest", Ct);

        var real = await registry.Collector.RunAsync(Run(sweep: true), Ct);

        Assert.Equal(dry.Manifests, real.Manifests);
        Assert.Equal(dry.Blobs.Order(StringComparer.Ordinal), real.Blobs.Order(StringComparer.Ordinal));
        Assert.Equal(dry.Orphans, real.Orphans);
        Assert.Equal(dry.BytesFreed, real.BytesFreed);
        Assert.Equal(storedBefore.Count - 4, (await registry.ListStoredBlobsAsync(Ct)).Count);
        await registry.PullAndVerifyAsync("team/app", "latest", Ct);
        var runs = await registry.Store.ListGcRunsAsync(10, Ct);
        Assert.Equal([false, true], runs.Select(r => r.DryRun));
    }

    [Fact]
    public async Task An_abandoned_upload_session_expires_and_its_data_is_removed()
    {
        await using var registry = await RegistryHarness.SqliteFileSystemAsync(Settings(uploadExpiry: TimeSpan.FromMilliseconds(200)));
        var content = RegistryHarness.Content("half");
        var session = await registry.Uploads.StartAsync("team/app", Oci.Digests.DigestAlgorithm.Sha256, Ct);
        await registry.Uploads.AppendAsync("team/app", session.Id, new MemoryStream(content, 0, 100), null, 100, Ct);
        var fresh = await registry.Uploads.StartAsync("team/app", Oci.Digests.DigestAlgorithm.Sha256, Ct);
        Assert.NotEmpty(await registry.ListUploadObjectsAsync(Ct));
        await Task.Delay(300);
        await registry.Uploads.AppendAsync("team/app", fresh.Id, new MemoryStream(content, 0, 10), null, 10, Ct);

        var report = await registry.Collector.RunAsync(Run(), Ct);

        Assert.Equal(1, report.UploadsExpired);
        var error = await Assert.ThrowsAsync<RegistryException>(() => registry.Uploads.GetSizeAsync("team/app", session.Id, Ct));
        Assert.Equal(OciErrorCode.BlobUploadUnknown, error.Code);
        Assert.Equal(10, await registry.Uploads.GetSizeAsync("team/app", fresh.Id, Ct));
        Assert.All(await registry.ListUploadObjectsAsync(Ct), path => Assert.Contains(fresh.Id.ToString("N"), path));
    }

    [Fact]
    public async Task The_storage_sweep_removes_bytes_and_upload_folders_no_metadata_knows_once_they_are_old()
    {
        // Seconds, not milliseconds: "young" must stay young on a loaded machine.
        var settings = Settings(uploadExpiry: TimeSpan.FromSeconds(3));
        settings.GracePeriod = TimeSpan.FromSeconds(3);
        await using var registry = await RegistryHarness.SqliteFileSystemAsync(settings);
        await registry.PushImageAsync("team/app", "latest", RegistryHarness.Content("config"), [RegistryHarness.Content("layer")], chunked: false, Ct);
        var orphan = RegistryHarness.Content("orphan");
        await registry.Driver.PutAsync(BlobPaths.Blob(RegistryHarness.DigestOf(orphan)), new MemoryStream(orphan), Ct);
        await registry.Driver.PutAsync(BlobPaths.UploadData(Guid.NewGuid()), new MemoryStream(orphan), Ct);

        var young = await registry.Collector.RunAsync(Run(sweep: true), Ct);
        Assert.Equal(0, young.OrphansDeleted);
        await Task.Delay(TimeSpan.FromSeconds(3.2));
        var report = await registry.Collector.RunAsync(Run(sweep: true), Ct);

        Assert.Equal(2, report.OrphansDeleted);
        Assert.Equal(2L * orphan.Length, report.BytesFreed);
        Assert.Empty(await registry.ListUploadObjectsAsync(Ct));
        Assert.Equal(2, (await registry.ListStoredBlobsAsync(Ct)).Count);
        Assert.Null(await registry.Store.GetBlobAsync(RegistryHarness.DigestOf(orphan), Ct));
        await registry.PullAndVerifyAsync("team/app", "latest", Ct);
    }

    [Fact]
    public async Task A_push_of_a_blob_being_deleted_waits_for_the_deletion_and_stores_the_blob_again()
    {
        await using var registry = await RegistryHarness.SqliteFileSystemAsync(Settings());
        var layer = RegistryHarness.Content("layer");
        var digest = RegistryHarness.DigestOf(layer);
        await registry.UploadAsync("team/app", layer, chunked: false, Ct);
        await PassGraceAsync();
        var condemned = await registry.Store.ReviewNextBlobAsync(registry.Options.Policy, Ct);
        Assert.NotNull(condemned);
        Assert.Equal((digest, GcVerdict.Condemned), (condemned.Digest, condemned.Verdict));

        // A pull sees nothing (the link went with the review), and a mount is refused: the client uploads.
        var unknown = await Assert.ThrowsAsync<RegistryException>(() => registry.Blobs.GetAsync("team/app", digest, Ct));
        Assert.Equal(OciErrorCode.BlobUnknown, unknown.Code);
        Assert.False(await registry.Blobs.TryMountAsync("team/other", digest, null, Ct));
        var push = registry.UploadAsync("team/other", layer, chunked: true, Ct);
        await Task.Delay(500);
        Assert.False(push.IsCompleted, "the push waits while the blob is being deleted");

        await registry.Driver.DeleteAsync(BlobPaths.Blob(digest), Ct);
        Assert.True(await registry.Store.CompleteBlobDeletionAsync(digest, Ct));
        await push;

        await registry.PushImageAsync("team/other", "latest", RegistryHarness.Content("config"), [layer], chunked: false, Ct);
        await registry.PullAndVerifyAsync("team/other", "latest", Ct);
    }

    [Fact]
    public async Task A_push_that_waits_too_long_for_a_deletion_is_answered_503()
    {
        var settings = Settings();
        settings.BlobDeletionWait = TimeSpan.FromMilliseconds(300);
        await using var registry = await RegistryHarness.SqliteFileSystemAsync(settings);
        var layer = RegistryHarness.Content("layer");
        await registry.UploadAsync("team/app", layer, chunked: false, Ct);
        await PassGraceAsync();
        Assert.Equal(GcVerdict.Condemned, (await registry.Store.ReviewNextBlobAsync(registry.Options.Policy, Ct))?.Verdict);

        var error = await Assert.ThrowsAsync<RegistryException>(() => registry.UploadAsync("team/app", layer, chunked: false, Ct));

        Assert.Equal(OciErrorCode.Unavailable, error.Code);
    }

    [Fact]
    public async Task Usage_counts_each_blob_once_per_repository_and_project_and_what_is_shared()
    {
        await using var registry = await RegistryHarness.SqliteFileSystemAsync(Settings());
        var shared = RegistryHarness.Content("shared");
        var a = RegistryHarness.Content("a");
        var b = RegistryHarness.Content("b");
        var c = RegistryHarness.Content("c");
        await registry.PushImageAsync("team/app", "latest", a, [shared], chunked: false, Ct);
        await registry.PushImageAsync("team/tool", "latest", b, [shared], chunked: false, Ct);
        await registry.PushImageAsync("lab/sim", "latest", c, [shared], chunked: false, Ct);

        var usage = await new UsageCalculator(registry.Store).CalculateAsync(Ct);

        Assert.Equal(shared.Length + a.Length + b.Length + c.Length, usage.TotalBytes);
        Assert.Equal(4, usage.TotalBlobs);
        Assert.Equal(
            [new UsageFigures("lab/sim", 2, shared.Length + c.Length, shared.Length), new UsageFigures("team/app", 2, shared.Length + a.Length, shared.Length), new UsageFigures("team/tool", 2, shared.Length + b.Length, shared.Length)],
            usage.Repositories);
        Assert.Equal(
            [new UsageFigures("lab", 2, shared.Length + c.Length, shared.Length), new UsageFigures("team", 3, shared.Length + a.Length + b.Length, shared.Length)],
            usage.Projects);
        var stored = await registry.ListStoredBlobsAsync(Ct);
        Assert.Equal(usage.TotalBlobs, stored.Count);
    }
}
