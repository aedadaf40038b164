using Strata.Identity.Rbac;

namespace Strata.Identity.Tests.Rbac;

/// <summary>Harbor's matrix, row by row (docs: "user permissions by role").</summary>
public sealed class RolePermissionsTests
{
    public static TheoryData<string, bool, bool, bool, bool, bool> Matrix => new()
    {
        // permission            limitedGuest guest  developer maintainer projectAdmin
        { "repository:pull",     true,  true,  true,  true,  true },
        { "repository:push",     false, false, true,  true,  true },
        { "repository:delete",   false, false, false, true,  true },
        { "tag:list",            true,  true,  true,  true,  true },
        { "tag:delete",          false, false, false, true,  true },
        { "member:list",         false, true,  true,  true,  true },
        { "member:create",       false, false, false, false, true },
        { "robot:list",          false, true,  true,  true,  true },
        { "robot:create",        false, false, false, false, true },
        { "log:list",            false, true,  true,  true,  true },
        { "project:read",        true,  true,  true,  true,  true },
        { "project:update",      false, false, false, false, true },
        { "project:delete",      false, false, false, false, true },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Each_role_has_exactly_Harbors_permissions(string permission, bool limitedGuest, bool guest, bool developer, bool maintainer, bool projectAdmin)
    {
        Assert.True(Permission.TryParse(permission, out var p));
        Assert.Equal(limitedGuest, RolePermissions.For(ProjectRole.LimitedGuest).Contains(p));
        Assert.Equal(guest, RolePermissions.For(ProjectRole.Guest).Contains(p));
        Assert.Equal(developer, RolePermissions.For(ProjectRole.Developer).Contains(p));
        Assert.Equal(maintainer, RolePermissions.For(ProjectRole.Maintainer).Contains(p));
        Assert.Equal(projectAdmin, RolePermissions.For(ProjectRole.ProjectAdmin).Contains(p));
    }

    [Fact]
    public void Each_role_includes_every_weaker_role()
    {
        var roles = Enum.GetValues<ProjectRole>().Order().ToArray();
        for (var i = 1; i < roles.Length; i++)
        {
            Assert.True(RolePermissions.For(roles[i - 1]).IsSubsetOf(RolePermissions.For(roles[i])), $"{roles[i]} lacks some of {roles[i - 1]}");
        }
    }

    [Fact]
    public void Public_visitor_may_only_read_and_pull() =>
        Assert.All(RolePermissions.PublicVisitor, p => Assert.Contains(p.Action, new[] { "read", "list", "pull" }));

    [Fact]
    public void Robots_can_never_be_granted_management()
    {
        Assert.DoesNotContain(RolePermissions.RobotGrantable, p => p.Resource is "member" or "robot" && p.Action != "list" && p.Action != "read");
        Assert.DoesNotContain(new Permission("project", "delete"), (IReadOnlySet<Permission>)RolePermissions.RobotGrantable);
    }

    [Theory]
    [InlineData("projectAdmin", ProjectRole.ProjectAdmin)]
    [InlineData("ProjectAdmin", ProjectRole.ProjectAdmin)]
    [InlineData("limitedGuest", ProjectRole.LimitedGuest)]
    public void Role_names_parse(string name, ProjectRole role)
    {
        Assert.True(ProjectRoles.TryParse(name, out var parsed));
        Assert.Equal(role, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("admin")]
    [InlineData("owner")]
    public void Unknown_role_names_do_not_parse(string? name) => Assert.False(ProjectRoles.TryParse(name, out _));
}
