using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Strata.Metadata.Contracts;
using Strata.Registry.Jobs;

namespace Strata.Registry.Tests.Jobs;

public sealed class JobWorkerTests
{
    private static JobWorker Worker(IJobQueue queue, IJobHandler handler, JobWorkerOptions? options = null) =>
        new([handler], queue, new JobSignal(), TimeProvider.System, Options.Create(options ?? new JobWorkerOptions { RetryDelay = TimeSpan.FromMinutes(1) }), NullLogger<JobWorker>.Instance);

    [Fact]
    public async Task A_successful_job_is_completed_with_its_result()
    {
        await using var fixture = await SqliteQueueFixture.CreateAsync();
        var handler = new RecordingHandler("publish", (job, _) => Task.FromResult<string?>($"{{\"done\":\"{job.Key}\"}}"));
        var id = await fixture.Store.EnqueueAsync("publish", "team/app:1", "{}", DateTimeOffset.UtcNow, default);

        Assert.True(await Worker(fixture.Store, handler).RunOneAsync("w1", default));

        var job = await fixture.Store.GetJobAsync(id, default);
        Assert.Equal(JobState.Succeeded, job!.State);
        Assert.Equal("{\"done\":\"team/app:1\"}", job.Result);
        Assert.Single(handler.Runs);
    }

    [Fact]
    public async Task A_failing_job_is_queued_again_with_backoff_and_its_error()
    {
        await using var fixture = await SqliteQueueFixture.CreateAsync();
        var handler = new RecordingHandler("publish", (_, _) => throw new IOException("storage hiccup"));
        var id = await fixture.Store.EnqueueAsync("publish", "k", "{}", DateTimeOffset.UtcNow, default);
        var before = DateTimeOffset.UtcNow;

        await Worker(fixture.Store, handler).RunOneAsync("w1", default);

        var job = await fixture.Store.GetJobAsync(id, default);
        Assert.Equal(JobState.Queued, job!.State);
        Assert.Equal("storage hiccup", job.Error);
        Assert.True(job.NotBefore >= before + TimeSpan.FromSeconds(59), $"retry at {job.NotBefore}, failed at {before}");
        Assert.False(await Worker(fixture.Store, handler).RunOneAsync("w2", default), "a job is not retried before its backoff");
    }

    [Fact]
    public async Task A_permanent_failure_is_not_retried()
    {
        await using var fixture = await SqliteQueueFixture.CreateAsync();
        var handler = new RecordingHandler("publish", (_, _) => throw new PermanentJobException("layer has a path traversal"));
        var id = await fixture.Store.EnqueueAsync("publish", "k", "{}", DateTimeOffset.UtcNow, default);

        await Worker(fixture.Store, handler).RunOneAsync("w1", default);

        var job = await fixture.Store.GetJobAsync(id, default);
        Assert.Equal(JobState.Failed, job!.State);
        Assert.Equal("layer has a path traversal", job.Error);
    }

    [Fact]
    public async Task A_job_is_given_up_after_the_last_attempt()
    {
        await using var fixture = await SqliteQueueFixture.CreateAsync();
        var handler = new RecordingHandler("publish", (_, _) => throw new IOException("still broken"));
        var id = await fixture.Store.EnqueueAsync("publish", "k", "{}", DateTimeOffset.UtcNow, default);
        var worker = Worker(fixture.Store, handler, new JobWorkerOptions { MaxAttempts = 3, RetryDelay = TimeSpan.Zero });

        for (var i = 0; i < 5; i++)
        {
            await worker.RunOneAsync("w1", default);
        }

        var job = await fixture.Store.GetJobAsync(id, default);
        Assert.Equal(JobState.Failed, job!.State);
        Assert.Equal(3, job.Attempts);
        Assert.Equal(3, handler.Runs.Count);
    }

    [Fact]
    public async Task A_long_job_keeps_its_lease_by_renewing_it()
    {
        await using var fixture = await SqliteQueueFixture.CreateAsync();
        // A 2 s lease outlived 2.5 times over: a 600 ms lease was stolen once on a loaded CI machine,
        // where one renewal came later than the whole lease.
        var options = new JobWorkerOptions { LeaseDuration = TimeSpan.FromSeconds(2) };
        string? stolenBy = null;
        var handler = new RecordingHandler("publish", async (job, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), ct);
            // Another worker tries to take the job while it runs: the renewed lease must hold.
            stolenBy = (await fixture.Store.LeaseAsync(["publish"], "thief", options.LeaseDuration, ct))?.LeaseOwner;
            return null;
        });
        var id = await fixture.Store.EnqueueAsync("publish", "k", "{}", DateTimeOffset.UtcNow, default);

        await Worker(fixture.Store, handler, options).RunOneAsync("w1", default);

        Assert.Null(stolenBy);
        Assert.Equal(JobState.Succeeded, (await fixture.Store.GetJobAsync(id, default))!.State);
    }
}
