using Strata.Identity.Principals;

namespace Strata.Identity.Login;

/// <summary>A login's outcome: the principal, or a failure (with how long to wait when throttled).</summary>
public sealed record AuthenticationResult(Principal? Principal, TimeSpan? RetryAfter)
{
    public bool Succeeded => Principal is not null;

    public bool Throttled => RetryAfter is not null;

    public static AuthenticationResult Failed { get; } = new(null, null);
}
