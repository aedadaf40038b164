namespace Strata.Identity.Tests.Support;

/// <summary>A clock that moves only when a test says so.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private DateTimeOffset _now = start;

    public ManualClock() : this(Epoch)
    {
    }

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
