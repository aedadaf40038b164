using Strata.Identity.Access;
using Strata.Identity.Audit;
using Strata.Identity.Principals;
using Strata.Identity.Rbac;
using Strata.Metadata.Contracts.Identity;

namespace Strata.Identity.Accounts;

/// <summary>
/// Projects and their members. Any signed-in user may create a project and becomes its project
/// admin (Harbor's default); the storage quota and publishing a private project to CernVM-FS are a
/// system administrator's decisions. Every other operation needs the permission Harbor's matrix
/// gives for it (<see cref="RolePermissions"/>).
/// </summary>
public sealed class ProjectAccounts(IIdentityStore store, AccessEvaluator evaluator, IAuditSink audit, TimeProvider time, IdentityGeneration generation)
{
    /// <summary>Largest quota accepted (1 EiB); -1 means unlimited.</summary>
    public const long MaxQuotaBytes = 1L << 60;

    public async Task<ProjectRecord> CreateAsync(Caller caller, string? name, bool isPublic, long? quotaBytes, bool publishPrivate, CancellationToken cancellationToken)
    {
        if (caller.Principal.Kind != PrincipalKind.User)
        {
            throw IdentityException.Forbidden("only a signed-in user may create a project");
        }

        if (!ProjectNames.IsValid(name))
        {
            throw IdentityException.Invalid("project name must be 1-63 characters: lowercase letters, digits and ._-, starting with a letter or digit");
        }

        CheckQuota(quotaBytes);
        if ((quotaBytes is not null || publishPrivate) && !caller.Principal.IsAdmin)
        {
            throw IdentityException.Forbidden("only a system administrator may set a quota or publish a private project");
        }

        var project = await store.CreateProjectAsync(new NewProject(name!, isPublic, quotaBytes ?? -1, publishPrivate), caller.Principal.Id > 0 ? caller.Principal.Id : null, cancellationToken).ConfigureAwait(false)
            ?? throw IdentityException.Conflict($"project '{name}' already exists");
        generation.Changed();
        audit.Record(time, caller, AuditActions.ProjectCreate, $"project:{name}", name, isPublic ? "public" : "private");
        return project;
    }

    /// <summary>The projects the caller can see: all for an administrator, otherwise public ones and its own.</summary>
    public async Task<IReadOnlyList<ProjectRecord>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        var all = await store.ListProjectsAsync(cancellationToken).ConfigureAwait(false);
        if (caller.Principal.IsAdmin)
        {
            return all;
        }

        var visible = new List<ProjectRecord>();
        foreach (var project in all)
        {
            if (project.IsPublic || (await evaluator.EvaluateAsync(caller.Principal, project, cancellationToken).ConfigureAwait(false)).Allows(Resources.Project, Actions.Read))
            {
                visible.Add(project);
            }
        }

        return visible;
    }

    public async Task<(ProjectRecord Project, ProjectAccess Access)> GetAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        var access = await RequireAsync(caller, name, Resources.Project, Actions.Read, cancellationToken).ConfigureAwait(false);
        return (access.Project!, access);
    }

    public async Task<ProjectRecord> UpdateAsync(Caller caller, string name, bool? isPublic, long? quotaBytes, bool? publishPrivate, CancellationToken cancellationToken)
    {
        await RequireAsync(caller, name, Resources.Project, Actions.Update, cancellationToken).ConfigureAwait(false);
        CheckQuota(quotaBytes);
        if ((quotaBytes is not null || publishPrivate is not null) && !caller.Principal.IsAdmin)
        {
            throw IdentityException.Forbidden("only a system administrator may set a quota or publish a private project");
        }

        await store.UpdateProjectAsync(name, new ProjectUpdate(isPublic, quotaBytes, publishPrivate), cancellationToken).ConfigureAwait(false);
        var detail = string.Join(' ', new[]
        {
            isPublic is { } p ? $"public={p.ToString().ToLowerInvariant()}" : null,
            quotaBytes is { } q ? $"quota={q}" : null,
            publishPrivate is { } pp ? $"publishPrivate={pp.ToString().ToLowerInvariant()}" : null,
        }.Where(s => s is not null));
        generation.Changed();
        audit.Record(time, caller, AuditActions.ProjectUpdate, $"project:{name}", name, detail);
        return (await store.GetProjectAsync(name, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Deletes an empty project (Harbor refuses to delete a project that still has repositories).</summary>
    public async Task DeleteAsync(Caller caller, string name, Func<string, CancellationToken, Task<bool>> hasRepositories, CancellationToken cancellationToken)
    {
        await RequireAsync(caller, name, Resources.Project, Actions.Delete, cancellationToken).ConfigureAwait(false);
        if (await hasRepositories(name, cancellationToken).ConfigureAwait(false))
        {
            throw IdentityException.Conflict($"project '{name}' still has repositories; delete them first");
        }

        await store.DeleteProjectAsync(name, cancellationToken).ConfigureAwait(false);
        generation.Changed();
        audit.Record(time, caller, AuditActions.ProjectDelete, $"project:{name}", name);
    }

    public async Task<IReadOnlyList<MemberRecord>> ListMembersAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        var access = await RequireAsync(caller, name, Resources.Member, Actions.List, cancellationToken).ConfigureAwait(false);
        return await store.ListMembersAsync(access.Project!.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds a member or changes its role; true when the membership is new.</summary>
    public async Task<bool> SetMemberAsync(Caller caller, string name, string? username, string? role, CancellationToken cancellationToken)
    {
        var access = await RequireAsync(caller, name, Resources.Member, Actions.Create, cancellationToken).ConfigureAwait(false);
        if (!ProjectRoles.TryParse(role, out var parsed))
        {
            throw IdentityException.Invalid($"role must be one of {string.Join(", ", ProjectRoles.All)}");
        }

        if (!UserNames.IsValid(username))
        {
            throw IdentityException.Invalid("username is missing or not a valid user name");
        }

        var user = await store.GetUserAsync(username!, cancellationToken).ConfigureAwait(false)
            ?? throw IdentityException.NotFound($"user '{username}' does not exist");
        var created = await store.SetMemberAsync(access.Project!.Id, user.Id, ProjectRoles.Name(parsed), cancellationToken).ConfigureAwait(false);
        generation.Changed();
        audit.Record(time, caller, AuditActions.MemberSet, $"member:{name}/{username}", name, $"role={ProjectRoles.Name(parsed)}");
        return created;
    }

    public async Task RemoveMemberAsync(Caller caller, string name, string username, CancellationToken cancellationToken)
    {
        var access = await RequireAsync(caller, name, Resources.Member, Actions.Delete, cancellationToken).ConfigureAwait(false);
        var user = await store.GetUserAsync(username, cancellationToken).ConfigureAwait(false)
            ?? throw IdentityException.NotFound($"user '{username}' does not exist");
        if (!await store.RemoveMemberAsync(access.Project!.Id, user.Id, cancellationToken).ConfigureAwait(false))
        {
            throw IdentityException.NotFound($"user '{username}' is not a member of project '{name}'");
        }

        generation.Changed();
        audit.Record(time, caller, AuditActions.MemberRemove, $"member:{name}/{username}", name);
    }

    /// <summary>
    /// The caller's access to the project if it holds the permission. A project the caller cannot
    /// even read is reported as missing, so private project names do not leak.
    /// </summary>
    public async Task<ProjectAccess> RequireAsync(Caller caller, string name, string resource, string action, CancellationToken cancellationToken)
    {
        var access = ProjectNames.IsValid(name) ? await evaluator.EvaluateAsync(caller.Principal, name, cancellationToken).ConfigureAwait(false) : ProjectAccess.None;
        if (access.Project is null || !access.Allows(Resources.Project, Actions.Read))
        {
            throw IdentityException.NotFound($"project '{name}' does not exist");
        }

        if (!access.Allows(resource, action))
        {
            throw IdentityException.Forbidden($"{resource}:{action} on project '{name}' is not permitted");
        }

        return access;
    }

    private static void CheckQuota(long? quotaBytes)
    {
        if (quotaBytes is { } q && (q < -1 || q > MaxQuotaBytes))
        {
            throw IdentityException.Invalid($"storageQuotaBytes must be -1 (unlimited) or between 0 and {MaxQuotaBytes}");
        }
    }
}
