using System.Collections.Frozen;
using static Strata.Identity.Rbac.Actions;
using static Strata.Identity.Rbac.Resources;

namespace Strata.Identity.Rbac;

/// <summary>
/// Harbor's permission matrix (goharbor/harbor <c>src/common/rbac/project/rbac_role.go</c>,
/// "user permissions by role"), restricted to the resources Strata has. Each role has everything
/// the weaker one has, plus:
/// <list type="bullet">
/// <item>limited guest: read the project and its quota, list repositories and tags, pull;</item>
/// <item>guest: + list members, robots and the project's log;</item>
/// <item>developer: + push, create tags;</item>
/// <item>maintainer: + delete repositories, images and tags;</item>
/// <item>project admin: + update and delete the project, manage members and robots.</item>
/// </list>
/// A non-member (or anonymous caller) of a public project is a <see cref="PublicVisitor"/>: what a
/// limited guest may do, nothing more. A system administrator may do everything everywhere.
/// </summary>
public static class RolePermissions
{
    private static readonly Permission[] LimitedGuestSet =
    [
        new(Project, Read), new(Quota, Read), new(Repository, List), new(Repository, Read), new(Repository, Pull), new(Tag, List),
    ];

    private static readonly Permission[] GuestSet =
    [
        .. LimitedGuestSet, new(Member, List), new(Member, Read), new(Robot, List), new(Robot, Read), new(Log, List),
    ];

    private static readonly Permission[] DeveloperSet = [.. GuestSet, new(Repository, Push), new(Repository, Create), new(Tag, Create)];

    private static readonly Permission[] MaintainerSet = [.. DeveloperSet, new(Repository, Delete), new(Repository, Update), new(Tag, Delete)];

    private static readonly Permission[] ProjectAdminSet =
    [
        .. MaintainerSet,
        new(Project, Update), new(Project, Delete),
        new(Member, Create), new(Member, Update), new(Member, Delete),
        new(Robot, Create), new(Robot, Update), new(Robot, Delete),
    ];

    private static readonly FrozenDictionary<ProjectRole, FrozenSet<Permission>> ByRole = new Dictionary<ProjectRole, FrozenSet<Permission>>
    {
        [ProjectRole.LimitedGuest] = LimitedGuestSet.ToFrozenSet(),
        [ProjectRole.Guest] = GuestSet.ToFrozenSet(),
        [ProjectRole.Developer] = DeveloperSet.ToFrozenSet(),
        [ProjectRole.Maintainer] = MaintainerSet.ToFrozenSet(),
        [ProjectRole.ProjectAdmin] = ProjectAdminSet.ToFrozenSet(),
    }.ToFrozenDictionary();

    /// <summary>Every permission there is (what a system administrator holds in every project).</summary>
    public static FrozenSet<Permission> All { get; } = ProjectAdminSet.ToFrozenSet();

    /// <summary>A non-member of a public project, signed in or anonymous.</summary>
    public static FrozenSet<Permission> PublicVisitor { get; } = LimitedGuestSet.ToFrozenSet();

    /// <summary>What a robot may be granted: registry and read access, never management of members, robots or the project.</summary>
    public static FrozenSet<Permission> RobotGrantable { get; } = MaintainerSet.ToFrozenSet();

    public static FrozenSet<Permission> Empty { get; } = FrozenSet<Permission>.Empty;

    public static FrozenSet<Permission> For(ProjectRole role) => ByRole[role];
}
