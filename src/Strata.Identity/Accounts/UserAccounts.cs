using Strata.Identity.Access;
using Strata.Identity.Audit;
using Strata.Identity.Passwords;
using Strata.Identity.Principals;
using Strata.Metadata.Contracts.Identity;

namespace Strata.Identity.Accounts;

/// <summary>
/// Local users: created, listed, changed and deleted by a system administrator; a user may read
/// and edit its own profile and change its own password (giving the current one). A password
/// change and a deletion revoke the user's tokens at once (new stamp / no row).
/// </summary>
public sealed class UserAccounts(IIdentityStore store, PasswordHasher hasher, IAuditSink audit, TimeProvider time, IdentityGeneration generation)
{
    public const int MaxTextLength = 255;

    public async Task<UserRecord> CreateAsync(Caller caller, string? username, string? password, string? email, string? fullName, bool isAdmin, CancellationToken cancellationToken)
    {
        RequireAdmin(caller);
        if (!UserNames.IsValid(username))
        {
            throw IdentityException.Invalid("username must be 1-64 characters: letters, digits and ._-@, starting with a letter or digit");
        }

        CheckText(email, "email");
        CheckText(fullName, "fullName");
        if (PasswordPolicy.Check(password) is { } problem)
        {
            throw IdentityException.Invalid(problem);
        }

        var user = await store.CreateUserAsync(new NewUser(username!, email, fullName, hasher.Hash(password!), isAdmin, Secrets.NewStamp()), cancellationToken).ConfigureAwait(false)
            ?? throw IdentityException.Conflict($"user '{username}' already exists");
        generation.Changed();
        audit.Record(time, caller, AuditActions.UserCreate, $"user:{username}", null, isAdmin ? "admin" : null);
        return user;
    }

    public Task<IReadOnlyList<UserRecord>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        RequireAdmin(caller);
        return store.ListUsersAsync(cancellationToken);
    }

    public async Task<UserRecord> GetAsync(Caller caller, string username, CancellationToken cancellationToken)
    {
        RequireSelfOrAdmin(caller, username);
        return await store.GetUserAsync(username, cancellationToken).ConfigureAwait(false)
            ?? throw IdentityException.NotFound($"user '{username}' does not exist");
    }

    public async Task<UserRecord> UpdateAsync(Caller caller, string username, string? email, string? fullName, bool? isAdmin, CancellationToken cancellationToken)
    {
        RequireSelfOrAdmin(caller, username);
        CheckText(email, "email");
        CheckText(fullName, "fullName");
        if (isAdmin is not null && !caller.Principal.IsAdmin)
        {
            throw IdentityException.Forbidden("only a system administrator may grant or remove administrator rights");
        }

        if (isAdmin == false && caller.Principal.Name == username && caller.Principal.Kind == PrincipalKind.User)
        {
            throw IdentityException.Invalid("an administrator cannot remove its own administrator rights");
        }

        if (!await store.UpdateUserAsync(username, new UserUpdate(email, fullName, isAdmin), cancellationToken).ConfigureAwait(false))
        {
            throw IdentityException.NotFound($"user '{username}' does not exist");
        }

        generation.Changed();
        audit.Record(time, caller, AuditActions.UserUpdate, $"user:{username}", null, isAdmin is { } a ? $"admin={a.ToString().ToLowerInvariant()}" : null);
        return (await store.GetUserAsync(username, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>A user changing its own password must give the current one; an administrator may reset anyone's.</summary>
    public async Task ChangePasswordAsync(Caller caller, string username, string? currentPassword, string? newPassword, CancellationToken cancellationToken)
    {
        RequireSelfOrAdmin(caller, username);
        var user = await store.GetUserAsync(username, cancellationToken).ConfigureAwait(false)
            ?? throw IdentityException.NotFound($"user '{username}' does not exist");
        var self = caller.Principal.Kind == PrincipalKind.User && caller.Principal.Name == username;
        if (self && (currentPassword is null || !PasswordHasher.Verify(currentPassword, user.PasswordHash)))
        {
            throw IdentityException.Forbidden("the current password is wrong");
        }

        if (PasswordPolicy.Check(newPassword) is { } problem)
        {
            throw IdentityException.Invalid(problem);
        }

        if (!await store.SetPasswordAsync(username, hasher.Hash(newPassword!), Secrets.NewStamp(), cancellationToken).ConfigureAwait(false))
        {
            throw IdentityException.NotFound($"user '{username}' does not exist");
        }

        generation.Changed();
        audit.Record(time, caller, AuditActions.PasswordChange, $"user:{username}", null);
    }

    public async Task DeleteAsync(Caller caller, string username, CancellationToken cancellationToken)
    {
        RequireAdmin(caller);
        if (caller.Principal.Kind == PrincipalKind.User && caller.Principal.Name == username)
        {
            throw IdentityException.Invalid("an administrator cannot delete its own account");
        }

        if (!await store.DeleteUserAsync(username, cancellationToken).ConfigureAwait(false))
        {
            throw IdentityException.NotFound($"user '{username}' does not exist");
        }

        generation.Changed();
        audit.Record(time, caller, AuditActions.UserDelete, $"user:{username}", null);
    }

    /// <summary>
    /// Creates the first system administrator when there is no user at all (first start). Returns
    /// the password it set: <paramref name="password"/>, or a generated one when that is empty.
    /// </summary>
    public async Task<string?> BootstrapAdminAsync(string username, string? password, CancellationToken cancellationToken)
    {
        if (await store.CountUsersAsync(cancellationToken).ConfigureAwait(false) > 0)
        {
            return null;
        }

        var chosen = string.IsNullOrEmpty(password) ? "Aa1-" + Secrets.NewSecret() : password;
        if (PasswordPolicy.Check(chosen) is { } problem)
        {
            throw IdentityException.Invalid($"Auth:AdminPassword: {problem}");
        }

        await store.CreateUserAsync(new NewUser(username, null, "System administrator", hasher.Hash(chosen), true, Secrets.NewStamp()), cancellationToken).ConfigureAwait(false);
        generation.Changed();
        audit.Record(time, new Caller(Principal.Anonymous with { Name = "system" }, null), AuditActions.UserCreate, $"user:{username}", null, "bootstrap admin");
        return chosen;
    }

    internal static void RequireAdmin(Caller caller)
    {
        if (!caller.Principal.IsAdmin)
        {
            throw IdentityException.Forbidden("this needs a system administrator");
        }
    }

    private static void RequireSelfOrAdmin(Caller caller, string username)
    {
        if (!caller.Principal.IsAdmin && !(caller.Principal.Kind == PrincipalKind.User && caller.Principal.Name == username))
        {
            throw IdentityException.Forbidden("a user may only see and change its own account");
        }
    }

    internal static void CheckText(string? value, string field)
    {
        if (value is not null && (value.Length > MaxTextLength || value.Any(char.IsControl)))
        {
            throw IdentityException.Invalid($"{field} must be at most {MaxTextLength} characters, without control characters");
        }
    }
}
