using System.Collections.Frozen;
using Strata.Identity.Rbac;
using Strata.Metadata.Contracts.Identity;

namespace Strata.Identity.Access;

/// <summary>What a principal may do in one project (<see cref="Project"/> null: no such project, so nothing).</summary>
public sealed record ProjectAccess(ProjectRecord? Project, FrozenSet<Permission> Permissions, ProjectRole? Role)
{
    public static ProjectAccess None { get; } = new(null, RolePermissions.Empty, null);

    public bool Allows(string resource, string action) => Permissions.Contains(new Permission(resource, action));
}
