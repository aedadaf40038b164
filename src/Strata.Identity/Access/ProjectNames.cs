using System.Text.RegularExpressions;

namespace Strata.Identity.Access;

/// <summary>
/// A repository belongs to the project named by its first path component (<c>team/app</c> → <c>team</c>),
/// as in Harbor. A name without a slash belongs to no project: with access control on, it is refused.
/// </summary>
public static partial class ProjectNames
{
    public const int MaxLength = 63;

    /// <summary>Harbor's project name rule: lowercase letters, digits and <c>._-</c>, starting with a letter or digit, 1–63 characters.</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex Valid();

    public static bool IsValid(string? name) => name is not null && Valid().IsMatch(name);

    public static string? OfRepository(string repository)
    {
        var slash = repository.IndexOf('/');
        return slash > 0 ? repository[..slash] : null;
    }
}
