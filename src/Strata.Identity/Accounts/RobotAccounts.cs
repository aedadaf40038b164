using System.Text.RegularExpressions;
using Strata.Identity.Access;
using Strata.Identity.Audit;
using Strata.Identity.Login;
using Strata.Identity.Passwords;
using Strata.Identity.Rbac;
using Strata.Metadata.Contracts.Identity;

namespace Strata.Identity.Accounts;

/// <summary>
/// Robot accounts, as Harbor has them: system-level (created by a system administrator, for chosen
/// projects or all of them) or project-level (created by whoever may manage the project's robots,
/// for that project only). The secret is generated, returned once and only its hash is kept; it
/// can be rotated, which revokes the old one and its tokens at once. Grants are limited to what a
/// maintainer may do (never members, robots or the project itself), and push needs pull.
/// </summary>
public sealed partial class RobotAccounts(IIdentityStore store, ProjectAccounts projects, IAuditSink audit, TimeProvider time, IdentityGeneration generation)
{
    public const int DefaultDurationDays = 30;
    public const int MaxDurationDays = 3650;
    public const int MaxGrants = 100;

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex ValidName();

    public async Task<(RobotRecord Robot, string Secret)> CreateAsync(Caller caller, RobotRequest request, CancellationToken cancellationToken)
    {
        if (!ValidName().IsMatch(request.Name ?? ""))
        {
            throw IdentityException.Invalid("name must be 1-64 characters: lowercase letters, digits and ._-, starting with a letter or digit");
        }

        UserAccounts.CheckText(request.Description, "description");
        long? projectId = null;
        string fullName;
        if (request.Project is { } projectName)
        {
            var access = await projects.RequireAsync(caller, projectName, Resources.Robot, Actions.Create, cancellationToken).ConfigureAwait(false);
            projectId = access.Project!.Id;
            fullName = $"{Authenticator.RobotPrefix}{projectName}+{request.Name}";
        }
        else
        {
            UserAccounts.RequireAdmin(caller);
            fullName = Authenticator.RobotPrefix + request.Name;
        }

        var permissions = await ResolveGrantsAsync(request.Permissions, request.Project, cancellationToken).ConfigureAwait(false);
        var secret = Secrets.NewSecret();
        var robot = await store.CreateRobotAsync(
                new NewRobot(fullName, request.Description, projectId, Secrets.Hash(secret), Secrets.NewStamp(), ExpiryFor(request.DurationDays), permissions),
                cancellationToken).ConfigureAwait(false)
            ?? throw IdentityException.Conflict($"robot '{fullName}' already exists");
        generation.Changed();
        audit.Record(time, caller, AuditActions.RobotCreate, $"robot:{fullName}", request.Project, Describe(permissions));
        return (robot, secret);
    }

    public async Task<IReadOnlyList<RobotRecord>> ListAsync(Caller caller, string? project, CancellationToken cancellationToken)
    {
        if (project is null)
        {
            UserAccounts.RequireAdmin(caller);
            return await store.ListRobotsAsync(null, cancellationToken).ConfigureAwait(false);
        }

        var access = await projects.RequireAsync(caller, project, Resources.Robot, Actions.List, cancellationToken).ConfigureAwait(false);
        return await store.ListRobotsAsync(access.Project!.Id, cancellationToken).ConfigureAwait(false);
    }

    public Task<RobotRecord> GetAsync(Caller caller, long id, CancellationToken cancellationToken) =>
        RequireRobotAsync(caller, id, Actions.Read, cancellationToken);

    public async Task<RobotRecord> UpdateAsync(
        Caller caller, long id, string? description, bool? disabled, int? durationDays, IReadOnlyList<RobotGrant>? grants, CancellationToken cancellationToken)
    {
        var robot = await RequireRobotAsync(caller, id, Actions.Update, cancellationToken).ConfigureAwait(false);
        UserAccounts.CheckText(description, "description");
        var project = robot.ProjectId is null ? null : ProjectOf(robot);
        var permissions = grants is null ? null : await ResolveGrantsAsync(grants, project, cancellationToken).ConfigureAwait(false);
        var expiry = durationDays is null ? null : ExpiryFor(durationDays);
        await store.UpdateRobotAsync(id, new RobotUpdate(description, disabled, expiry, durationDays == -1, permissions), cancellationToken).ConfigureAwait(false);
        generation.Changed();
        audit.Record(time, caller, AuditActions.RobotUpdate, $"robot:{robot.Name}", project,
            permissions is null ? (disabled is { } d ? $"disabled={d.ToString().ToLowerInvariant()}" : null) : Describe(permissions));
        return (await store.GetRobotByIdAsync(id, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>A new secret, returned once; the old secret and every token issued with it stop working now.</summary>
    public async Task<string> RotateSecretAsync(Caller caller, long id, CancellationToken cancellationToken)
    {
        var robot = await RequireRobotAsync(caller, id, Actions.Update, cancellationToken).ConfigureAwait(false);
        var secret = Secrets.NewSecret();
        if (!await store.SetRobotSecretAsync(id, Secrets.Hash(secret), Secrets.NewStamp(), cancellationToken).ConfigureAwait(false))
        {
            throw IdentityException.NotFound($"robot {id} does not exist");
        }

        generation.Changed();
        audit.Record(time, caller, AuditActions.RobotSecret, $"robot:{robot.Name}", robot.ProjectId is null ? null : ProjectOf(robot));
        return secret;
    }

    public async Task DeleteAsync(Caller caller, long id, CancellationToken cancellationToken)
    {
        var robot = await RequireRobotAsync(caller, id, Actions.Delete, cancellationToken).ConfigureAwait(false);
        await store.DeleteRobotAsync(id, cancellationToken).ConfigureAwait(false);
        generation.Changed();
        audit.Record(time, caller, AuditActions.RobotDelete, $"robot:{robot.Name}", robot.ProjectId is null ? null : ProjectOf(robot));
    }

    private async Task<RobotRecord> RequireRobotAsync(Caller caller, long id, string action, CancellationToken cancellationToken)
    {
        var robot = await store.GetRobotByIdAsync(id, cancellationToken).ConfigureAwait(false);
        if (robot is null)
        {
            throw IdentityException.NotFound($"robot {id} does not exist");
        }

        if (caller.Principal.IsAdmin)
        {
            return robot;
        }

        if (robot.ProjectId is null)
        {
            throw IdentityException.NotFound($"robot {id} does not exist");
        }

        await projects.RequireAsync(caller, ProjectOf(robot), Resources.Robot, action, cancellationToken).ConfigureAwait(false);
        return robot;
    }

    /// <summary>The project of a project-level robot, from its name <c>robot$PROJECT+NAME</c>.</summary>
    private static string ProjectOf(RobotRecord robot)
    {
        var plus = robot.Name.IndexOf('+');
        return robot.Name[Authenticator.RobotPrefix.Length..plus];
    }

    private async Task<List<RobotPermission>> ResolveGrantsAsync(IReadOnlyList<RobotGrant>? grants, string? ownProject, CancellationToken cancellationToken)
    {
        if (grants is null || grants.Count == 0)
        {
            throw IdentityException.Invalid("permissions must list at least one grant");
        }

        if (grants.Count > MaxGrants)
        {
            throw IdentityException.Invalid($"at most {MaxGrants} grants");
        }

        var resolved = new List<RobotPermission>();
        foreach (var grant in grants)
        {
            var access = new List<string>();
            foreach (var item in grant.Access ?? [])
            {
                if (!Permission.TryParse(item, out var permission) || !RolePermissions.RobotGrantable.Contains(permission))
                {
                    throw IdentityException.Invalid(
                        $"'{item}' cannot be granted to a robot; grantable: {string.Join(", ", RolePermissions.RobotGrantable.Select(p => p.ToString()).Order(StringComparer.Ordinal))}");
                }

                access.Add(permission.ToString());
            }

            if (access.Count == 0)
            {
                throw IdentityException.Invalid("every grant needs at least one access");
            }

            if (access.Contains("repository:push") && !access.Contains("repository:pull"))
            {
                throw IdentityException.Invalid("repository:push needs repository:pull as well");
            }

            var target = grant.Project ?? ownProject;
            if (target == "*")
            {
                if (ownProject is not null)
                {
                    throw IdentityException.Invalid("a project-level robot can only be granted access to its own project");
                }

                resolved.Add(new RobotPermission(null, null, access.Distinct().ToArray()));
                continue;
            }

            if (target is null || (ownProject is not null && target != ownProject))
            {
                throw IdentityException.Invalid(ownProject is null
                    ? "every grant names a project (or * for every project)"
                    : "a project-level robot can only be granted access to its own project");
            }

            var project = await store.GetProjectAsync(target, cancellationToken).ConfigureAwait(false)
                ?? throw IdentityException.Invalid($"project '{target}' does not exist");
            resolved.Add(new RobotPermission(project.Id, project.Name, access.Distinct().ToArray()));
        }

        return resolved;
    }

    private DateTimeOffset? ExpiryFor(int? durationDays) => durationDays switch
    {
        null => time.GetUtcNow().AddDays(DefaultDurationDays),
        -1 => null,
        >= 1 and <= MaxDurationDays => time.GetUtcNow().AddDays(durationDays.Value),
        _ => throw IdentityException.Invalid($"duration must be -1 (never expires) or 1 to {MaxDurationDays} days"),
    };

    private static string Describe(IEnumerable<RobotPermission> permissions) =>
        string.Join("; ", permissions.Select(p => $"{p.Project ?? "*"}: {string.Join(',', p.Access)}"));
}
