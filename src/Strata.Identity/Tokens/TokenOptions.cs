namespace Strata.Identity.Tokens;

/// <summary>How tokens are issued and checked.</summary>
/// <param name="Issuer">The <c>iss</c> claim, checked on every token.</param>
/// <param name="Service">The registry's service name: the <c>aud</c> claim and the challenge's <c>service</c>.</param>
/// <param name="Lifetime">Access token lifetime (the spec's minimum is 60 s).</param>
/// <param name="RefreshLifetime">Refresh token lifetime (OAuth2 <c>access_type=offline</c>).</param>
/// <param name="ClockSkew">Leeway on <c>nbf</c>/<c>exp</c> (distribution uses 60 s).</param>
public sealed record TokenOptions(string Issuer, string Service, TimeSpan Lifetime, TimeSpan RefreshLifetime, TimeSpan ClockSkew);
