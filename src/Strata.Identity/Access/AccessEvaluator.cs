using System.Collections.Frozen;
using Strata.Identity.Principals;
using Strata.Identity.Rbac;
using Strata.Metadata.Contracts.Identity;

namespace Strata.Identity.Access;

/// <summary>
/// Decides what a principal may do in a project, from the store's state (through the optional
/// request-path cache, which any change made through this process voids): a system administrator everything; a member its role's permissions (plus the public
/// visitor's on a public project); a robot the permissions it was given for that project or for
/// every project; anyone else, anonymous included, the public visitor's on a public project and
/// nothing on a private one.
/// </summary>
public sealed class AccessEvaluator(IIdentityStore store, IdentityGeneration generation, StateCache<ProjectAccess>? cache = null)
{
    public AccessEvaluator(IIdentityStore store)
        : this(store, new IdentityGeneration())
    {
    }

    /// <summary>
    /// What <paramref name="principal"/> may do in the named project. Results may come from the
    /// <see cref="StateCache{T}"/> (when one is given): void after any change made through this
    /// process, and at most its duration old otherwise.
    /// </summary>
    public async Task<ProjectAccess> EvaluateAsync(Principal principal, string projectName, CancellationToken cancellationToken)
    {
        var key = $"{(int)principal.Kind}\n{principal.Name}\n{principal.Stamp}\n{projectName}";
        if (cache is not null && cache.TryGet(key, out var cached))
        {
            return cached;
        }

        var filledAt = generation.Current;
        var project = await store.GetProjectAsync(projectName, cancellationToken).ConfigureAwait(false);
        var access = project is null ? ProjectAccess.None : await EvaluateAsync(principal, project, cancellationToken).ConfigureAwait(false);
        cache?.Set(key, access, filledAt);
        return access;
    }

    public async Task<ProjectAccess> EvaluateAsync(Principal principal, ProjectRecord project, CancellationToken cancellationToken)
    {
        if (principal.IsAdmin)
        {
            return new ProjectAccess(project, RolePermissions.All, ProjectRole.ProjectAdmin);
        }

        var visitor = project.IsPublic ? RolePermissions.PublicVisitor : RolePermissions.Empty;
        switch (principal.Kind)
        {
            case PrincipalKind.User:
            {
                var memberships = await store.ListMembershipsAsync(principal.Id, cancellationToken).ConfigureAwait(false);
                var membership = memberships.FirstOrDefault(m => m.ProjectId == project.Id);
                if (membership is not null && ProjectRoles.TryParse(membership.Role, out var role))
                {
                    return new ProjectAccess(project, RolePermissions.For(role).Union(visitor).ToFrozenSet(), role);
                }

                return new ProjectAccess(project, visitor, null);
            }

            case PrincipalKind.Robot when principal.Robot is { } robot:
            {
                var granted = RobotPermissionsIn(robot, project).Union(visitor).ToFrozenSet();
                return new ProjectAccess(project, granted, null);
            }

            default:
                return new ProjectAccess(project, visitor, null);
        }
    }

    /// <summary>A robot's grants in <paramref name="project"/>: entries naming it, and entries for every project (system-level robots only).</summary>
    public static IEnumerable<Permission> RobotPermissionsIn(RobotRecord robot, ProjectRecord project)
    {
        if (robot.ProjectId is { } own && own != project.Id)
        {
            return [];
        }

        return robot.Permissions
            .Where(p => p.ProjectId == project.Id || (p.ProjectId is null && robot.ProjectId is null))
            .SelectMany(p => p.Access)
            .Select(a => Permission.TryParse(a, out var permission) ? permission : default)
            .Where(p => p.Resource is not null && RolePermissions.RobotGrantable.Contains(p));
    }
}
