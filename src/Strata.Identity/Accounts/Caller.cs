using Strata.Identity.Principals;

namespace Strata.Identity.Accounts;

/// <summary>Who asks (for permission checks) and from where (for the audit log).</summary>
public sealed record Caller(Principal Principal, string? Client);
