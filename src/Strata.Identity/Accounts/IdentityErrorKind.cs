namespace Strata.Identity.Accounts;

/// <summary>Why an identity operation was refused; the management API maps each to an HTTP status.</summary>
public enum IdentityErrorKind
{
    /// <summary>400: the request itself is wrong (a name, a role, a password rule).</summary>
    Invalid,
    /// <summary>403: the caller may not do this.</summary>
    Forbidden,
    /// <summary>404: no such user, project, member or robot.</summary>
    NotFound,
    /// <summary>409: the name is taken, or the state forbids it (a project that still has repositories).</summary>
    Conflict,
}
