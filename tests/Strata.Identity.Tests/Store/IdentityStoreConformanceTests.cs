using Strata.Identity.Tests.Support;
using Strata.Metadata.Contracts.Identity;

namespace Strata.Identity.Tests.Store;

/// <summary>What both metadata stores must do for identity (schema version 3); derived once per backend.</summary>
public abstract class IdentityStoreConformanceTests : IAsyncLifetime
{
    protected static CancellationToken Ct => CancellationToken.None;

    protected ManualClock Clock { get; } = new();

    protected IIdentityStore Store { get; private set; } = null!;

    protected abstract Task<IIdentityStore> CreateStoreAsync();

    public virtual async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual async Task DisposeAsync()
    {
        if (Store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    private Task<UserRecord?> UserAsync(string name, bool admin = false) =>
        Store.CreateUserAsync(new NewUser(name, $"{name}@example.org", null, "hash-" + name, admin, "stamp-" + name), Ct);

    [Fact]
    public async Task Users_are_created_once_read_updated_and_deleted()
    {
        var alice = await UserAsync("alice");
        Assert.NotNull(alice);
        Assert.Null(await UserAsync("alice"));
        Assert.Equal(ManualClock.Epoch, alice!.CreatedAt);

        var read = await Store.GetUserAsync("alice", Ct);
        Assert.Equal(alice, read);
        Assert.Null(await Store.GetUserAsync("Alice", Ct));

        Assert.True(await Store.UpdateUserAsync("alice", new UserUpdate(null, "Alice A.", true), Ct));
        read = await Store.GetUserAsync("alice", Ct);
        Assert.Equal("alice@example.org", read!.Email);
        Assert.Equal("Alice A.", read.FullName);
        Assert.True(read.IsAdmin);

        Assert.True(await Store.SetPasswordAsync("alice", "hash2", "stamp2", Ct));
        read = await Store.GetUserAsync("alice", Ct);
        Assert.Equal(("hash2", "stamp2"), (read!.PasswordHash, read.Stamp));

        await UserAsync("bob");
        Assert.Equal(2, await Store.CountUsersAsync(Ct));
        Assert.Equal(["alice", "bob"], (await Store.ListUsersAsync(Ct)).Select(u => u.Username));
        Assert.True(await Store.DeleteUserAsync("alice", Ct));
        Assert.False(await Store.DeleteUserAsync("alice", Ct));
        Assert.False(await Store.UpdateUserAsync("alice", new UserUpdate("x", null, null), Ct));
        Assert.False(await Store.SetPasswordAsync("alice", "h", "s", Ct));
        Assert.Null(await Store.GetUserAsync("alice", Ct));
    }

    [Fact]
    public async Task Project_creation_makes_the_owner_its_project_admin()
    {
        var alice = (await UserAsync("alice"))!;
        var project = await Store.CreateProjectAsync(new NewProject("team", false, -1, false), alice.Id, Ct);
        Assert.NotNull(project);
        Assert.Null(await Store.CreateProjectAsync(new NewProject("team", true, 5, true), null, Ct));

        var members = await Store.ListMembersAsync(project!.Id, Ct);
        Assert.Equal([("alice", "projectAdmin")], members.Select(m => (m.Username, m.Role)));
        Assert.Equal(["team"], (await Store.ListMembershipsAsync(alice.Id, Ct)).Select(m => m.Project));
    }

    [Fact]
    public async Task Projects_update_partially_and_delete_with_their_members()
    {
        var alice = (await UserAsync("alice"))!;
        var project = (await Store.CreateProjectAsync(new NewProject("team", false, -1, false), alice.Id, Ct))!;

        Assert.True(await Store.UpdateProjectAsync("team", new ProjectUpdate(true, null, null), Ct));
        var read = await Store.GetProjectAsync("team", Ct);
        Assert.Equal((true, -1L, false), (read!.IsPublic, read.StorageQuotaBytes, read.PublishPrivate));
        Assert.True(await Store.UpdateProjectAsync("team", new ProjectUpdate(null, 1024, true), Ct));
        read = await Store.GetProjectAsync("team", Ct);
        Assert.Equal((true, 1024L, true), (read!.IsPublic, read.StorageQuotaBytes, read.PublishPrivate));
        Assert.False(await Store.UpdateProjectAsync("nope", new ProjectUpdate(true, null, null), Ct));

        Assert.True(await Store.DeleteProjectAsync("team", Ct));
        Assert.False(await Store.DeleteProjectAsync("team", Ct));
        Assert.Empty(await Store.ListMembershipsAsync(alice.Id, Ct));
        Assert.Empty(await Store.ListMembersAsync(project.Id, Ct));
        Assert.NotNull(await Store.GetUserAsync("alice", Ct));
    }

    [Fact]
    public async Task Members_are_added_changed_removed_and_go_with_their_user()
    {
        var alice = (await UserAsync("alice"))!;
        var bob = (await UserAsync("bob"))!;
        var project = (await Store.CreateProjectAsync(new NewProject("team", false, -1, false), alice.Id, Ct))!;

        Assert.True(await Store.SetMemberAsync(project.Id, bob.Id, "guest", Ct));
        Assert.False(await Store.SetMemberAsync(project.Id, bob.Id, "developer", Ct));
        Assert.Equal([("alice", "projectAdmin"), ("bob", "developer")], (await Store.ListMembersAsync(project.Id, Ct)).Select(m => (m.Username, m.Role)));

        Assert.True(await Store.RemoveMemberAsync(project.Id, bob.Id, Ct));
        Assert.False(await Store.RemoveMemberAsync(project.Id, bob.Id, Ct));
        await Store.SetMemberAsync(project.Id, bob.Id, "guest", Ct);
        await Store.DeleteUserAsync("bob", Ct);
        Assert.Equal(["alice"], (await Store.ListMembersAsync(project.Id, Ct)).Select(m => m.Username));
    }

    [Fact]
    public async Task Robots_keep_permissions_expiry_and_secrets()
    {
        var alice = (await UserAsync("alice"))!;
        var team = (await Store.CreateProjectAsync(new NewProject("team", false, -1, false), alice.Id, Ct))!;
        var other = (await Store.CreateProjectAsync(new NewProject("other", true, -1, false), alice.Id, Ct))!;
        var expires = ManualClock.Epoch.AddDays(30);

        var robot = await Store.CreateRobotAsync(new NewRobot("robot$ci", "CI", null, "sha256$x", "s1", expires,
            [new RobotPermission(team.Id, null, ["repository:pull", "repository:push"]), new RobotPermission(null, null, ["repository:pull"])]), Ct);
        Assert.NotNull(robot);
        Assert.Null(await Store.CreateRobotAsync(new NewRobot("robot$ci", null, null, "h", "s", null, []), Ct));
        Assert.Equal(expires, robot!.ExpiresAt);
        Assert.False(robot.Disabled);
        Assert.Equal([("team", "repository:pull,repository:push"), ((string?)null, "repository:pull")],
            robot.Permissions.Select(p => (p.Project, string.Join(',', p.Access))).OrderBy(p => p.Project ?? "~"));

        var projectRobot = (await Store.CreateRobotAsync(new NewRobot("robot$other+deploy", null, other.Id, "h", "s", null,
            [new RobotPermission(other.Id, null, ["repository:pull"])]), Ct))!;
        Assert.Equal(["robot$ci"], (await Store.ListRobotsAsync(null, Ct)).Select(r => r.Name));
        Assert.Equal(["robot$other+deploy"], (await Store.ListRobotsAsync(other.Id, Ct)).Select(r => r.Name));
        Assert.Null(projectRobot.ExpiresAt);

        Assert.True(await Store.UpdateRobotAsync(robot.Id, new RobotUpdate(null, true, null, true, [new RobotPermission(other.Id, null, ["tag:list"])]), Ct));
        var read = (await Store.GetRobotAsync("robot$ci", Ct))!;
        Assert.Equal((true, (DateTimeOffset?)null, "CI"), (read.Disabled, read.ExpiresAt, read.Description));
        Assert.Equal([("other", "tag:list")], read.Permissions.Select(p => (p.Project, string.Join(',', p.Access))));

        Assert.True(await Store.SetRobotSecretAsync(robot.Id, "sha256$y", "s2", Ct));
        read = (await Store.GetRobotByIdAsync(robot.Id, Ct))!;
        Assert.Equal(("sha256$y", "s2"), (read.SecretHash, read.Stamp));

        // Deleting a project takes its project-level robots and every grant naming it.
        Assert.True(await Store.DeleteProjectAsync("other", Ct));
        Assert.Null(await Store.GetRobotAsync("robot$other+deploy", Ct));
        Assert.Empty((await Store.GetRobotAsync("robot$ci", Ct))!.Permissions);

        Assert.True(await Store.DeleteRobotAsync(robot.Id, Ct));
        Assert.False(await Store.DeleteRobotAsync(robot.Id, Ct));
        Assert.False(await Store.UpdateRobotAsync(robot.Id, new RobotUpdate("x", null, null, false, null), Ct));
    }

    [Fact]
    public async Task Audit_entries_are_appended_in_order_and_queried_newest_first_with_filters()
    {
        var t = ManualClock.Epoch;
        await Store.AppendAuditAsync(
        [
            new AuditEntry(0, t, "alice", "push", "team/app:1", "team", true, "10.0.0.1", null),
            new AuditEntry(0, t.AddMinutes(1), "bob", "pull", "team/app:1", "team", true, "10.0.0.2", null),
            new AuditEntry(0, t.AddMinutes(2), "eve", "login_failed", "token", null, false, "10.0.0.3", "invalid credentials"),
        ], Ct);
        await Store.AppendAuditAsync([new AuditEntry(0, t.AddMinutes(3), "alice", "delete", "other/x@sha256:ab", "other", true, null, null)], Ct);

        var all = await Store.QueryAuditAsync(new AuditQuery(), Ct);
        Assert.Equal(["delete", "login_failed", "pull", "push"], all.Select(e => e.Action));
        Assert.True(all[0].Id > all[1].Id);
        Assert.Equal(new AuditEntry(all[1].Id, t.AddMinutes(2), "eve", "login_failed", "token", null, false, "10.0.0.3", "invalid credentials"), all[1]);

        Assert.Equal(["delete", "push"], (await Store.QueryAuditAsync(new AuditQuery(Actor: "alice"), Ct)).Select(e => e.Action));
        Assert.Equal(["pull", "push"], (await Store.QueryAuditAsync(new AuditQuery(Project: "team"), Ct)).Select(e => e.Action));
        Assert.Equal(["eve"], (await Store.QueryAuditAsync(new AuditQuery(Action: "login_failed"), Ct)).Select(e => e.Actor));
        Assert.Equal(["login_failed", "pull"], (await Store.QueryAuditAsync(new AuditQuery(From: t.AddMinutes(1), To: t.AddMinutes(3)), Ct)).Select(e => e.Action));
        var page = await Store.QueryAuditAsync(new AuditQuery(Limit: 2), Ct);
        Assert.Equal(["delete", "login_failed"], page.Select(e => e.Action));
        Assert.Equal(["pull", "push"], (await Store.QueryAuditAsync(new AuditQuery(BeforeId: page[^1].Id, Limit: 2), Ct)).Select(e => e.Action));
    }
}
