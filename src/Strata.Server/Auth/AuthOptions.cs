using System.ComponentModel.DataAnnotations;

namespace Strata.Server.Auth;

/// <summary>
/// The <c>Auth</c> section: access control (on by default, Harbor-like), the token service and the
/// bootstrap administrator.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>
    /// When false the registry is open (no challenge, no checks) and the management API treats every
    /// caller as an administrator: for trusted single-user setups, tests and benchmarks only.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The registry's service name (<c>aud</c> of tokens, <c>service</c> of challenges).</summary>
    [Required]
    public string Service { get; set; } = "strata";

    /// <summary>The tokens' issuer (<c>iss</c>).</summary>
    [Required]
    public string Issuer { get; set; } = "strata-token-service";

    /// <summary>
    /// The token endpoint's absolute URL as clients must see it (behind a proxy); by default it is
    /// built from each request's scheme and host: <c>http://HOST/service/token</c>.
    /// </summary>
    public string? Realm { get; set; }

    /// <summary>Access token lifetime; the spec asks for at least 60 s.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Refresh token lifetime (OAuth2 <c>access_type=offline</c>).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Leeway on token times; distribution uses 60 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>PEM file of the ECDSA P-256 signing key; default <c>&lt;data&gt;/auth/token-signing-key.pem</c>, created on first start.</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>The administrator created on first start (when there is no user yet).</summary>
    [Required]
    public string AdminUsername { get; set; } = "admin";

    /// <summary>Its password; when empty one is generated and printed once on the console (never logged).</summary>
    public string? AdminPassword { get; set; }

    /// <summary>PBKDF2-SHA256 iterations for new password hashes (OWASP 2023: 600,000).</summary>
    [Range(1_000, 10_000_000)]
    public int PasswordIterations { get; set; } = 600_000;

    /// <summary>Failed logins per account within <see cref="LoginWindow"/> before it is locked for the rest of the window.</summary>
    [Range(1, 1000)]
    public int LoginFailureLimit { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LoginWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a verified Basic credential is remembered (as a keyed hash, never the password) so
    /// that clients sending Basic on every request do not pay the KDF each time. The account's
    /// current stamp is still checked on every request, so revocation is immediate regardless.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan BasicCacheDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Whether manifest pulls go to the audit log (pushes, deletes, logins and changes always do).
    /// Harbor records pulls too; on a registry serving thousands of pulls a second this is most of the
    /// audit log's volume, so it can be turned off.
    /// </summary>
    public bool AuditPulls { get; set; } = true;

    /// <summary>
    /// How long the audit writer lets entries gather before a transaction stores them (at most
    /// 500 per transaction). Longer: fewer, larger writes; shorter: entries queryable sooner (the
    /// audit API flushes before it reads anyway). Zero: write as soon as anything is queued.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan AuditFlushInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How long resolved principals and evaluated project permissions are reused on the request
    /// path. Any identity change made through this process voids them at once; this bounds only how
    /// late a change made through another replica is seen. Zero: look everything up on every request.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan StateCacheDuration { get; set; } = TimeSpan.FromSeconds(5);
}
