namespace Strata.Identity.Rbac;

/// <summary>Harbor's project roles, weakest first (<see cref="RolePermissions"/> holds what each may do).</summary>
public enum ProjectRole
{
    LimitedGuest = 1,
    Guest = 2,
    Developer = 3,
    Maintainer = 4,
    ProjectAdmin = 5,
}
