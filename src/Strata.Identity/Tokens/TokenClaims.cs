namespace Strata.Identity.Tokens;

/// <summary>
/// What a verified token says: the subject (empty for anonymous), its credential stamp (so a
/// revoked credential's tokens are refused), the audience, the granted access, validity and use
/// (<c>access</c> for the registry, <c>refresh</c> for the OAuth2 refresh grant).
/// </summary>
public sealed record TokenClaims(
    string Subject,
    string Stamp,
    string Audience,
    IReadOnlyList<ResourceScope> Access,
    DateTimeOffset IssuedAt,
    DateTimeOffset NotBefore,
    DateTimeOffset ExpiresAt,
    string Use,
    string Id)
{
    public const string AccessUse = "access";
    public const string RefreshUse = "refresh";

    public bool IsAnonymous => Subject.Length == 0;

    /// <summary>True when the token grants <paramref name="action"/> on <paramref name="type"/>:<paramref name="name"/>.</summary>
    /// <remarks>A plain loop: this runs on every authorized registry request, and LINQ with captured arguments allocates a closure per call.</remarks>
    public bool Allows(string type, string name, string action)
    {
        for (var i = 0; i < Access.Count; i++)
        {
            if (Access[i].Allows(type, name, action))
            {
                return true;
            }
        }

        return false;
    }
}
