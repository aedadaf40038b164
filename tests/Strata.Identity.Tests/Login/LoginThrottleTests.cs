using Strata.Identity.Login;
using Strata.Identity.Tests.Support;

namespace Strata.Identity.Tests.Login;

public sealed class LoginThrottleTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void Account_is_locked_after_the_limit_until_the_window_passes()
    {
        var throttle = new LoginThrottle(3, TimeSpan.FromMinutes(5), _clock);
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(throttle.RetryAfter("alice", "10.0.0.1"));
            throttle.RecordFailure("alice", "10.0.0.1");
        }

        Assert.Equal(TimeSpan.FromMinutes(5), throttle.RetryAfter("alice", "10.0.0.2"));
        Assert.Null(throttle.RetryAfter("bob", "10.0.0.1"));
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Null(throttle.RetryAfter("alice", "10.0.0.1"));
    }

    [Fact]
    public void Success_clears_the_account_count()
    {
        var throttle = new LoginThrottle(3, TimeSpan.FromMinutes(5), _clock);
        throttle.RecordFailure("alice", null);
        throttle.RecordFailure("alice", null);
        throttle.RecordSuccess("alice");
        throttle.RecordFailure("alice", null);
        Assert.Null(throttle.RetryAfter("alice", null));
    }

    [Fact]
    public void One_client_guessing_many_names_is_locked_too()
    {
        var throttle = new LoginThrottle(2, TimeSpan.FromMinutes(5), _clock);
        for (var i = 0; i < 20; i++)
        {
            throttle.RecordFailure($"user{i}", "10.0.0.9");
        }

        Assert.NotNull(throttle.RetryAfter("someone-new", "10.0.0.9"));
        Assert.Null(throttle.RetryAfter("someone-new", "10.0.0.10"));
    }

    [Fact]
    public void Account_names_compare_case_insensitively()
    {
        var throttle = new LoginThrottle(1, TimeSpan.FromMinutes(5), _clock);
        throttle.RecordFailure("Alice", null);
        Assert.NotNull(throttle.RetryAfter("alice", null));
    }
}
