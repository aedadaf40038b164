using Strata.Metadata.Contracts;

namespace Strata.Metadata.Tests;

public abstract partial class MetadataStoreConformanceTests
{
    /// <summary>Runs one job of (kind, key) to its end: succeeded, or failed for good.</summary>
    private async Task<long> RunJobToEndAsync(string kind, string key, bool succeed)
    {
        var id = await Store.EnqueueAsync(kind, key, "p", Clock.GetUtcNow(), Ct);
        var leased = await Store.LeaseAsync([kind], "w", JobLease, Ct);
        Assert.Equal(id, leased?.Id);
        Assert.True(succeed
            ? await Store.CompleteAsync(id, "w", null, Ct)
            : await Store.FailAsync(id, "w", "broken", retryAt: null, Ct));
        return id;
    }

    [Fact]
    public async Task PruneEndedJobs_deletes_old_ended_jobs_but_keeps_the_newest_of_each_key()
    {
        var oldSucceeded = await RunJobToEndAsync(PublishKind, "a", succeed: true);
        var oldFailed = await RunJobToEndAsync(PublishKind, "a", succeed: false);
        var newestOfA = await RunJobToEndAsync(PublishKind, "a", succeed: true);
        var onlyOfB = await RunJobToEndAsync(PublishKind, "b", succeed: true);
        Clock.Advance(TimeSpan.FromDays(8));

        var deleted = await Store.PruneEndedJobsAsync(Clock.GetUtcNow() - TimeSpan.FromDays(7), 100, Ct);

        Assert.Equal(2, deleted);
        Assert.Null(await Store.GetJobAsync(oldSucceeded, Ct));
        Assert.Null(await Store.GetJobAsync(oldFailed, Ct));
        Assert.Equal(newestOfA, (await Store.GetLatestJobAsync(PublishKind, "a", Ct))?.Id);
        Assert.Equal(onlyOfB, (await Store.GetLatestJobAsync(PublishKind, "b", Ct))?.Id);
    }

    [Fact]
    public async Task PruneEndedJobs_keeps_jobs_inside_the_retention_and_active_jobs()
    {
        var ended = await RunJobToEndAsync(PublishKind, "k", succeed: true);
        Clock.Advance(TimeSpan.FromDays(1));
        var recent = await RunJobToEndAsync(PublishKind, "k", succeed: true);
        var queued = await Store.EnqueueAsync(PublishKind, "k", "p", Clock.GetUtcNow(), Ct);

        // The first job ended a day ago: inside a 7-day retention.
        Assert.Equal(0, await Store.PruneEndedJobsAsync(Clock.GetUtcNow() - TimeSpan.FromDays(7), 100, Ct));
        Assert.NotNull(await Store.GetJobAsync(ended, Ct));

        // With a retention of an hour only the first goes: the second is newer than it, and the
        // queued job is not ended.
        Clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(1, await Store.PruneEndedJobsAsync(Clock.GetUtcNow() - TimeSpan.FromHours(1), 100, Ct));
        Assert.Null(await Store.GetJobAsync(ended, Ct));
        Assert.NotNull(await Store.GetJobAsync(recent, Ct));
        Assert.Equal(JobState.Queued, (await Store.GetJobAsync(queued, Ct))?.State);
    }

    [Fact]
    public async Task PruneEndedJobs_deletes_at_most_the_limit_per_call()
    {
        for (var i = 0; i < 5; i++)
        {
            await RunJobToEndAsync(PublishKind, "k", succeed: true);
        }

        Clock.Advance(TimeSpan.FromDays(30));
        var cutoff = Clock.GetUtcNow() - TimeSpan.FromDays(7);
        Assert.Equal(3, await Store.PruneEndedJobsAsync(cutoff, 3, Ct));
        Assert.Equal(1, await Store.PruneEndedJobsAsync(cutoff, 3, Ct));
        Assert.Equal(0, await Store.PruneEndedJobsAsync(cutoff, 3, Ct));
        Assert.Single(await Store.ListJobsAsync(PublishKind, null, 10, Ct));
    }
}
