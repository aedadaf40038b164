namespace Strata.Cvmfs.Tests.Support;

/// <summary>A clock stuck at one instant.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
