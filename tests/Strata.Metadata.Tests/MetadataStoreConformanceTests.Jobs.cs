using Strata.Metadata.Contracts;

namespace Strata.Metadata.Tests;

public abstract partial class MetadataStoreConformanceTests
{
    private const string PublishKind = "publish";
    private static readonly TimeSpan JobLease = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Enqueue_then_Lease_then_Complete_runs_the_job_once()
    {
        var id = await Store.EnqueueAsync(PublishKind, "r:latest", "{\"v\":1}", TestData.Epoch, Ct);

        var queued = await Store.GetJobAsync(id, Ct);
        Assert.Equal(
            new JobRecord(id, PublishKind, "r:latest", "{\"v\":1}", JobState.Queued, 0, TestData.Epoch, null, null, null, null, TestData.Epoch, TestData.Epoch),
            queued);

        Clock.Advance(TimeSpan.FromSeconds(1));
        var leased = await LeaseJobAsync("w1");
        Assert.NotNull(leased);
        Assert.Equal(id, leased.Id);
        Assert.Equal(JobState.Running, leased.State);
        Assert.Equal(1, leased.Attempts);
        Assert.Equal("w1", leased.LeaseOwner);
        Assert.Equal(TestData.Epoch.AddSeconds(1) + JobLease, leased.LeaseUntil);
        Assert.Equal(leased, await Store.GetJobAsync(id, Ct));

        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await Store.CompleteAsync(id, "w1", "{\"done\":true}", Ct));

        var done = await Store.GetJobAsync(id, Ct);
        Assert.NotNull(done);
        Assert.Equal(JobState.Succeeded, done.State);
        Assert.Equal("{\"done\":true}", done.Result);
        Assert.Equal(1, done.Attempts);
        Assert.Null(done.LeaseOwner);
        Assert.Null(done.LeaseUntil);
        Assert.Equal(TestData.Epoch, done.CreatedAt);
        Assert.Equal(TestData.Epoch.AddSeconds(2), done.UpdatedAt);
        Assert.Null(await LeaseJobAsync("w1"));
    }

    [Fact]
    public async Task Enqueue_of_an_active_key_returns_the_existing_job()
    {
        var id = await Store.EnqueueAsync(PublishKind, "k", "p", TestData.Epoch, Ct);
        Assert.Equal(id, await Store.EnqueueAsync(PublishKind, "k", "p", TestData.Epoch, Ct));

        await LeaseJobAsync("w1");
        Assert.Equal(id, await Store.EnqueueAsync(PublishKind, "k", "p", TestData.Epoch, Ct));

        Assert.Single(await Store.ListJobsAsync(PublishKind, null, 10, Ct));
    }

    [Fact]
    public async Task Enqueue_of_the_same_key_under_another_kind_is_another_job()
    {
        var publish = await Store.EnqueueAsync(PublishKind, "k", "p", TestData.Epoch, Ct);
        var scan = await Store.EnqueueAsync("scan", "k", "p", TestData.Epoch, Ct);

        Assert.NotEqual(publish, scan);
    }

    [Fact]
    public async Task Enqueue_onto_a_queued_job_replaces_its_payload()
    {
        var id = await Store.EnqueueAsync(PublishKind, "k", "old", TestData.Epoch, Ct);
        Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(id, await Store.EnqueueAsync(PublishKind, "k", "new", TestData.Epoch, Ct));

        var job = await Store.GetJobAsync(id, Ct);
        Assert.NotNull(job);
        Assert.Equal("new", job.Payload);
        Assert.Equal(JobState.Queued, job.State);
        Assert.Equal(TestData.Epoch.AddSeconds(1), job.UpdatedAt);
        Assert.Equal("new", (await LeaseJobAsync("w1"))?.Payload);
    }

    [Fact]
    public async Task Enqueue_onto_a_queued_job_keeps_the_earlier_NotBefore()
    {
        var id = await Store.EnqueueAsync(PublishKind, "k", "a", TestData.Epoch.AddMinutes(10), Ct);

        await Store.EnqueueAsync(PublishKind, "k", "b", TestData.Epoch.AddMinutes(1), Ct);
        Assert.Equal(TestData.Epoch.AddMinutes(1), (await Store.GetJobAsync(id, Ct))?.NotBefore);

        await Store.EnqueueAsync(PublishKind, "k", "c", TestData.Epoch.AddMinutes(5), Ct);
        Assert.Equal(TestData.Epoch.AddMinutes(1), (await Store.GetJobAsync(id, Ct))?.NotBefore);
    }

    [Fact]
    public async Task Enqueue_onto_a_running_job_keeps_it_and_queues_the_newest_payload_after_it_completes()
    {
        var id = await Store.EnqueueAsync(PublishKind, "r:latest", "digest-a", TestData.Epoch, Ct);
        await LeaseJobAsync("w1");

        // The tag moves twice while it is being published.
        Assert.Equal(id, await Store.EnqueueAsync(PublishKind, "r:latest", "digest-b", TestData.Epoch, Ct));
        Assert.Equal(id, await Store.EnqueueAsync(PublishKind, "r:latest", "digest-c", TestData.Epoch, Ct));

        var running = await Store.GetJobAsync(id, Ct);
        Assert.Equal("digest-a", running?.Payload);
        Assert.Equal(JobState.Running, running?.State);
        Assert.Single(await Store.ListJobsAsync(PublishKind, null, 10, Ct));

        Assert.True(await Store.CompleteAsync(id, "w1", null, Ct));

        var completed = await Store.GetJobAsync(id, Ct);
        Assert.Equal(JobState.Succeeded, completed?.State);
        Assert.Equal("digest-a", completed?.Payload);
        var followUp = await Store.GetLatestJobAsync(PublishKind, "r:latest", Ct);
        Assert.NotNull(followUp);
        Assert.NotEqual(id, followUp.Id);
        Assert.Equal(JobState.Queued, followUp.State);
        Assert.Equal("digest-c", followUp.Payload);
        Assert.Equal(0, followUp.Attempts);

        var leased = await LeaseJobAsync("w1");
        Assert.Equal(followUp.Id, leased?.Id);
        Assert.Equal("digest-c", leased?.Payload);
    }

    [Fact]
    public async Task Enqueue_onto_a_running_job_with_its_own_payload_queues_nothing_after_it()
    {
        var id = await Store.EnqueueAsync(PublishKind, "k", "same", TestData.Epoch, Ct);
        await LeaseJobAsync("w1");

        await Store.EnqueueAsync(PublishKind, "k", "same", TestData.Epoch, Ct);
        await Store.CompleteAsync(id, "w1", null, Ct);

        Assert.Single(await Store.ListJobsAsync(PublishKind, null, 10, Ct));
        Assert.Null(await LeaseJobAsync("w1"));
    }

    [Fact]
    public async Task Follow_up_waits_for_the_NotBefore_it_was_enqueued_with()
    {
        var id = await Store.EnqueueAsync(PublishKind, "k", "a", TestData.Epoch, Ct);
        await LeaseJobAsync("w1");
        await Store.EnqueueAsync(PublishKind, "k", "b", TestData.Epoch.AddMinutes(5), Ct);

        await Store.CompleteAsync(id, "w1", null, Ct);

        Assert.Equal(TestData.Epoch.AddMinutes(5), (await Store.GetLatestJobAsync(PublishKind, "k", Ct))?.NotBefore);
        Assert.Null(await LeaseJobAsync("w1"));
        Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal("b", (await LeaseJobAsync("w1"))?.Payload);
    }

    [Fact]
    public async Task Follow_up_is_queued_when_the_running_job_fails_for_good()
    {
        var id = await Store.EnqueueAsync(PublishKind, "k", "a", TestData.Epoch, Ct);
        await LeaseJobAsync("w1");
        await Store.EnqueueAsync(PublishKind, "k", "b", TestData.Epoch, Ct);

        Assert.True(await Store.FailAsync(id, "w1", "bad manifest", retryAt: null, Ct));

        Assert.Equal(JobState.Failed, (await Store.GetJobAsync(id, Ct))?.State);
        var followUp = await LeaseJobAsync("w1");
        Assert.NotNull(followUp);
        Assert.NotEqual(id, followUp.Id);
        Assert.Equal("b", followUp.Payload);
        Assert.Null(followUp.Error);
    }

    [Fact]
    public async Task Follow_up_replaces_the_payload_when_the_running_job_is_retried()
    {
        var id = await Store.EnqueueAsync(PublishKind, "k", "a", TestData.Epoch, Ct);
        await LeaseJobAsync("w1");
        await Store.EnqueueAsync(PublishKind, "k", "b", TestData.Epoch, Ct);

        Assert.True(await Store.FailAsync(id, "w1", "upstream down", TestData.Epoch.AddMinutes(1), Ct));

        var retried = await Store.GetJobAsync(id, Ct);
        Assert.NotNull(retried);
        Assert.Equal(JobState.Queued, retried.State);
        Assert.Equal("b", retried.Payload);
        Assert.Equal(TestData.Epoch, retried.NotBefore);
        Assert.Single(await Store.ListJobsAsync(PublishKind, null, 10, Ct));
    }

    [Fact]
    public async Task Follow_up_replaces_the_payload_when_an_expired_lease_is_taken_over()
    {
        var id = await Store.EnqueueAsync(PublishKind, "k", "a", TestData.Epoch, Ct);
        await LeaseJobAsync("w1");
        await Store.EnqueueAsync(PublishKind, "k", "b", TestData.Epoch, Ct);

        Clock.Advance(JobLease + TimeSpan.FromSeconds(1));
        var takenOver = await LeaseJobAsync("w2");

        Assert.Equal(id, takenOver?.Id);
        Assert.Equal("b", takenOver?.Payload);
        Assert.True(await Store.CompleteAsync(id, "w2", null, Ct));
        Assert.Single(await Store.ListJobsAsync(PublishKind, null, 10, Ct));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Enqueue_of_a_key_whose_job_ended_creates_a_new_job(bool succeeded)
    {
        var first = await Store.EnqueueAsync(PublishKind, "k", "p", TestData.Epoch, Ct);
        await LeaseJobAsync("w1");
        Assert.True(succeeded
            ? await Store.CompleteAsync(first, "w1", null, Ct)
            : await Store.FailAsync(first, "w1", "boom", retryAt: null, Ct));

        var second = await Store.EnqueueAsync(PublishKind, "k", "p", TestData.Epoch, Ct);

        Assert.NotEqual(first, second);
        Assert.Equal(JobState.Queued, (await Store.GetJobAsync(second, Ct))?.State);
        Assert.Equal(succeeded ? JobState.Succeeded : JobState.Failed, (await Store.GetJobAsync(first, Ct))?.State);
    }

    [Fact]
    public async Task GetJob_and_GetLatestJob_of_unknown_jobs_are_null()
    {
        await Store.EnqueueAsync(PublishKind, "k", "p", TestData.Epoch, Ct);

        Assert.Null(await Store.GetJobAsync(12345, Ct));
        Assert.Null(await Store.GetLatestJobAsync(PublishKind, "other", Ct));
        Assert.Null(await Store.GetLatestJobAsync("other", "k", Ct));
    }

    [Fact]
    public async Task GetLatestJob_returns_the_newest_job_of_the_key_whatever_its_state()
    {
        var first = await Store.EnqueueAsync(PublishKind, "k", "p1", TestData.Epoch, Ct);
        await Store.EnqueueAsync(PublishKind, "other", "x", TestData.Epoch, Ct);
        Assert.Equal(first, (await Store.GetLatestJobAsync(PublishKind, "k", Ct))?.Id);

        await LeaseJobAsync("w1");
        await Store.FailAsync(first, "w1", "boom", retryAt: null, Ct);
        Assert.Equal(JobState.Failed, (await Store.GetLatestJobAsync(PublishKind, "k", Ct))?.State);

        var second = await Store.EnqueueAsync(PublishKind, "k", "p2", TestData.Epoch, Ct);
        var latest = await Store.GetLatestJobAsync(PublishKind, "k", Ct);
        Assert.Equal(second, latest?.Id);
        Assert.Equal("p2", latest?.Payload);
    }

    [Fact]
    public async Task ListJobs_returns_a_kinds_jobs_newest_first_optionally_in_one_state()
    {
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await Store.EnqueueAsync(PublishKind, $"k{i}", "p", TestData.Epoch, Ct));
        }

        await Store.EnqueueAsync("scan", "k0", "p", TestData.Epoch, Ct);
        var leased = await LeaseJobAsync("w1");
        Assert.Equal(ids[0], leased?.Id);
        await Store.CompleteAsync(ids[0], "w1", null, Ct);
        await LeaseJobAsync("w1");

        Assert.Equal(Enumerable.Reverse(ids), (await Store.ListJobsAsync(PublishKind, null, 10, Ct)).Select(j => j.Id));
        Assert.Equal([ids[4], ids[3]], (await Store.ListJobsAsync(PublishKind, null, 2, Ct)).Select(j => j.Id));
        Assert.Equal([ids[4], ids[3], ids[2]], (await Store.ListJobsAsync(PublishKind, JobState.Queued, 10, Ct)).Select(j => j.Id));
        Assert.Equal([ids[1]], (await Store.ListJobsAsync(PublishKind, JobState.Running, 10, Ct)).Select(j => j.Id));
        Assert.Equal([ids[0]], (await Store.ListJobsAsync(PublishKind, JobState.Succeeded, 10, Ct)).Select(j => j.Id));
        Assert.Empty(await Store.ListJobsAsync(PublishKind, JobState.Failed, 10, Ct));
        Assert.Empty(await Store.ListJobsAsync(PublishKind, null, 0, Ct));
        Assert.Empty(await Store.ListJobsAsync("unknown", null, 10, Ct));
    }

    /// <summary>Leases a publish job for <see cref="JobLease"/>.</summary>
    protected Task<JobRecord?> LeaseJobAsync(string owner) => Store.LeaseAsync([PublishKind], owner, JobLease, Ct);
}
