namespace Strata.Identity.Rbac;

/// <summary>Role names as Harbor's API spells them (<c>projectAdmin</c>, <c>maintainer</c>, <c>developer</c>, <c>guest</c>, <c>limitedGuest</c>).</summary>
public static class ProjectRoles
{
    private static readonly (ProjectRole Role, string Name)[] Names =
    [
        (ProjectRole.ProjectAdmin, "projectAdmin"),
        (ProjectRole.Maintainer, "maintainer"),
        (ProjectRole.Developer, "developer"),
        (ProjectRole.Guest, "guest"),
        (ProjectRole.LimitedGuest, "limitedGuest"),
    ];

    public static IEnumerable<string> All => Names.Select(n => n.Name);

    public static string Name(ProjectRole role) => Names.First(n => n.Role == role).Name;

    /// <summary>Parses a role name (case-insensitive, as Harbor's UI and API accept both spellings).</summary>
    public static bool TryParse(string? text, out ProjectRole role)
    {
        foreach (var (candidate, name) in Names)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
            {
                role = candidate;
                return true;
            }
        }

        role = default;
        return false;
    }
}
