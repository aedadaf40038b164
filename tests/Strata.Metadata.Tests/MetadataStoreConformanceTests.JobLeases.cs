using System.Collections.Concurrent;
using Strata.Metadata.Contracts;

namespace Strata.Metadata.Tests;

public abstract partial class MetadataStoreConformanceTests
{
    [Fact]
    public async Task Lease_waits_for_NotBefore()
    {
        var id = await Store.EnqueueAsync(PublishKind, "k", "p", TestData.Epoch.AddMinutes(1), Ct);

        Assert.Null(await LeaseJobAsync("w1"));
        Clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Null(await LeaseJobAsync("w1"));
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(id, (await LeaseJobAsync("w1"))?.Id);
    }

    [Fact]
    public async Task Lease_takes_due_jobs_oldest_NotBefore_first_then_by_id()
    {
        var later = await Store.EnqueueAsync(PublishKind, "a", "p", TestData.Epoch.AddSeconds(2), Ct);
        var first = await Store.EnqueueAsync(PublishKind, "b", "p", TestData.Epoch, Ct);
        var second = await Store.EnqueueAsync(PublishKind, "c", "p", TestData.Epoch, Ct);
        await Store.EnqueueAsync(PublishKind, "d", "p", TestData.Epoch.AddMinutes(1), Ct);
        Clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(first, (await LeaseJobAsync("w1"))?.Id);
        Assert.Equal(second, (await LeaseJobAsync("w1"))?.Id);
        Assert.Equal(later, (await LeaseJobAsync("w1"))?.Id);
        Assert.Null(await LeaseJobAsync("w1"));
    }

    [Fact]
    public async Task Lease_takes_only_jobs_of_the_given_kinds()
    {
        var scan = await Store.EnqueueAsync("scan", "k", "p", TestData.Epoch, Ct);
        var gc = await Store.EnqueueAsync("gc", "k", "p", TestData.Epoch, Ct);

        Assert.Null(await LeaseJobAsync("w1"));
        Assert.Null(await Store.LeaseAsync([], "w1", JobLease, Ct));
        Assert.Equal(scan, (await Store.LeaseAsync(["scan", PublishKind], "w1", JobLease, Ct))?.Id);
        Assert.Null(await Store.LeaseAsync(["scan", PublishKind], "w1", JobLease, Ct));
        Assert.Equal(gc, (await Store.LeaseAsync(["gc"], "w1", JobLease, Ct))?.Id);
    }

    [Fact]
    public async Task Running_job_with_a_live_lease_is_not_leased_again()
    {
        await Store.EnqueueAsync(PublishKind, "k", "p", TestData.Epoch, Ct);
        await LeaseJobAsync("w1");

        Clock.Advance(JobLease - TimeSpan.FromSeconds(1));

        Assert.Null(await LeaseJobAsync("w2"));
    }

    [Fact]
    public async Task Expired_lease_is_taken_over_and_the_old_owner_can_no_longer_renew_complete_or_fail()
    {
        var id = await Store.EnqueueAsync(PublishKind, "k", "p", TestData.Epoch, Ct);
        await LeaseJobAsync("w1");

        Clock.Advance(JobLease + TimeSpan.FromSeconds(1));
        var takenOver = await LeaseJobAsync("w2");

        Assert.NotNull(takenOver);
        Assert.Equal(id, takenOver.Id);
        Assert.Equal(2, takenOver.Attempts);
        Assert.Equal("w2", takenOver.LeaseOwner);
        Assert.Equal(Clock.GetUtcNow() + JobLease, takenOver.LeaseUntil);
        Assert.False(await Store.RenewAsync(id, "w1", JobLease, Ct));
        Assert.False(await Store.CompleteAsync(id, "w1", "stale", Ct));
        Assert.False(await Store.FailAsync(id, "w1", "stale", retryAt: null, Ct));
        Assert.False(await Store.FailAsync(id, "w1", "stale", Clock.GetUtcNow(), Ct));
        Assert.Equal(takenOver, await Store.GetJobAsync(id, Ct));

        Assert.True(await Store.CompleteAsync(id, "w2", "fresh", Ct));
        Assert.Equal("fresh", (await Store.GetJobAsync(id, Ct))?.Result);
    }

    [Fact]
    public async Task Expired_lease_nobody_took_over_is_still_held_by_its_owner()
    {
        var id = await Store.EnqueueAsync(PublishKind, "k", "p", TestData.Epoch, Ct);
        await LeaseJobAsync("w1");
        Clock.Advance(JobLease * 3);

        Assert.True(await Store.RenewAsync(id, "w1", JobLease, Ct));
        Assert.Null(await LeaseJobAsync("w2"));
        Assert.True(await Store.CompleteAsync(id, "w1", null, Ct));
    }

    [Fact]
    public async Task Renew_extends_the_lease_from_now()
    {
        var id = await Store.EnqueueAsync(PublishKind, "k", "p", TestData.Epoch, Ct);
        await LeaseJobAsync("w1");
        Clock.Advance(TimeSpan.FromSeconds(20));

        Assert.True(await Store.RenewAsync(id, "w1", JobLease, Ct));

        Assert.Equal(TestData.Epoch.AddSeconds(20) + JobLease, (await Store.GetJobAsync(id, Ct))?.LeaseUntil);
        Clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Null(await LeaseJobAsync("w2"));
        Assert.Equal(1, (await Store.GetJobAsync(id, Ct))?.Attempts);
    }

    [Fact]
    public async Task Renew_Complete_and_Fail_refuse_jobs_the_caller_does_not_hold()
    {
        var queued = await Store.EnqueueAsync(PublishKind, "queued", "p", TestData.Epoch.AddHours(1), Ct);
        var running = await Store.EnqueueAsync(PublishKind, "running", "p", TestData.Epoch, Ct);
        await LeaseJobAsync("w1");

        foreach (var (id, owner) in new[] { (running, "w2"), (queued, "w1"), (12345L, "w1") })
        {
            Assert.False(await Store.RenewAsync(id, owner, JobLease, Ct));
            Assert.False(await Store.CompleteAsync(id, owner, null, Ct));
            Assert.False(await Store.FailAsync(id, owner, "e", retryAt: null, Ct));
            Assert.False(await Store.FailAsync(id, owner, "e", TestData.Epoch, Ct));
        }

        Assert.True(await Store.CompleteAsync(running, "w1", null, Ct));
        Assert.False(await Store.CompleteAsync(running, "w1", null, Ct));
        Assert.False(await Store.RenewAsync(running, "w1", JobLease, Ct));
        Assert.Equal(JobState.Queued, (await Store.GetJobAsync(queued, Ct))?.State);
    }

    [Fact]
    public async Task Fail_with_retryAt_queues_the_job_again_for_then_and_keeps_the_error()
    {
        var id = await Store.EnqueueAsync(PublishKind, "k", "p", TestData.Epoch, Ct);
        await LeaseJobAsync("w1");

        Assert.True(await Store.FailAsync(id, "w1", "upstream 503", TestData.Epoch.AddMinutes(1), Ct));

        var retry = await Store.GetJobAsync(id, Ct);
        Assert.NotNull(retry);
        Assert.Equal(JobState.Queued, retry.State);
        Assert.Equal(TestData.Epoch.AddMinutes(1), retry.NotBefore);
        Assert.Equal("upstream 503", retry.Error);
        Assert.Equal(1, retry.Attempts);
        Assert.Null(retry.LeaseOwner);
        Assert.Null(retry.LeaseUntil);
        Assert.Null(await LeaseJobAsync("w1"));

        Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await LeaseJobAsync("w2");
        Assert.NotNull(second);
        Assert.Equal(id, second.Id);
        Assert.Equal(2, second.Attempts);
        Assert.Equal("upstream 503", second.Error);

        Assert.True(await Store.CompleteAsync(id, "w2", "ok", Ct));
        var done = await Store.GetJobAsync(id, Ct);
        Assert.Equal(JobState.Succeeded, done?.State);
        Assert.Equal(2, done?.Attempts);
        Assert.Equal("upstream 503", done?.Error);
    }

    [Fact]
    public async Task Fail_without_retryAt_fails_the_job_for_good()
    {
        var id = await Store.EnqueueAsync(PublishKind, "k", "p", TestData.Epoch, Ct);
        await LeaseJobAsync("w1");

        Assert.True(await Store.FailAsync(id, "w1", "manifest is invalid", retryAt: null, Ct));

        var failed = await Store.GetJobAsync(id, Ct);
        Assert.NotNull(failed);
        Assert.Equal(JobState.Failed, failed.State);
        Assert.Equal("manifest is invalid", failed.Error);
        Assert.Null(failed.Result);
        Assert.Null(failed.LeaseOwner);
        Clock.Advance(TimeSpan.FromDays(1));
        Assert.Null(await LeaseJobAsync("w1"));
    }

    [Fact]
    public async Task Concurrent_leasers_lease_each_job_exactly_once()
    {
        const int Jobs = 50;
        const int Leasers = 10;
        for (var i = 0; i < Jobs; i++)
        {
            await Store.EnqueueAsync(PublishKind, $"k{i}", $"p{i}", TestData.Epoch, Ct);
        }

        // Half the workers go through a second store instance, as another process would.
        var other = await OpenStoreAsync();
        var leases = new ConcurrentBag<(long Id, string Owner)>();
        var workers = Enumerable.Range(0, Leasers).Select(w => Task.Run(async () =>
        {
            var store = w % 2 == 0 ? Store : other;
            var owner = $"w{w}";
            while (await store.LeaseAsync([PublishKind], owner, JobLease, Ct) is { } job)
            {
                leases.Add((job.Id, owner));
                Assert.True(await store.CompleteAsync(job.Id, owner, null, Ct));
            }
        }));

        await Task.WhenAll(workers);

        Assert.Equal(Jobs, leases.Count);
        Assert.Equal(Jobs, leases.Select(l => l.Id).Distinct().Count());
        var all = await Store.ListJobsAsync(PublishKind, null, 100, Ct);
        Assert.Equal(Jobs, all.Count);
        Assert.All(all, job =>
        {
            Assert.Equal(JobState.Succeeded, job.State);
            Assert.Equal(1, job.Attempts);
        });
    }

    [Fact]
    public async Task Concurrent_enqueues_of_one_key_keep_one_active_job()
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, Parallelism)
            .Select(i => Task.Run(() => Store.EnqueueAsync(PublishKind, "k", $"p{i}", TestData.Epoch, Ct))));

        Assert.Single(ids.Distinct());
        Assert.Single(await Store.ListJobsAsync(PublishKind, null, 100, Ct));
    }
}
