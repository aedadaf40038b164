using Strata.Identity.Access;
using Strata.Identity.Principals;
using Strata.Identity.Rbac;
using Strata.Identity.Tests.Support;
using Strata.Metadata.Contracts.Identity;
using Strata.Metadata.Sqlite;

namespace Strata.Identity.Tests.Access;

/// <summary>Who may do what in a project, evaluated against a real (SQLite) store.</summary>
public sealed class AccessEvaluatorTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "strata-access-" + Guid.NewGuid().ToString("N"));
    private SqliteMetadataStore _store = null!;
    private AccessEvaluator _evaluator = null!;
    private ProjectRecord _team = null!;
    private ProjectRecord _open = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _store = new SqliteMetadataStore(Path.Combine(_folder, "strata.db"), new ManualClock());
        await _store.InitializeAsync(default);
        _evaluator = new AccessEvaluator(_store);
        _team = (await _store.CreateProjectAsync(new NewProject("team", false, -1, false), null, default))!;
        _open = (await _store.CreateProjectAsync(new NewProject("open", true, -1, false), null, default))!;
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static bool Pull(ProjectAccess access) => access.Allows(Resources.Repository, Actions.Pull);

    private static bool Push(ProjectAccess access) => access.Allows(Resources.Repository, Actions.Push);

    [Fact]
    public async Task Member_gets_its_role_and_a_non_member_only_public_read()
    {
        var dev = (await _store.CreateUserAsync(new NewUser("dev", null, null, "h", false, "s"), default))!;
        await _store.SetMemberAsync(_team.Id, dev.Id, "developer", default);
        var principal = Principal.ForUser(dev);

        var team = await _evaluator.EvaluateAsync(principal, "team", default);
        Assert.Equal(ProjectRole.Developer, team.Role);
        Assert.True(Push(team));
        Assert.False(team.Allows(Resources.Repository, Actions.Delete));

        var open = await _evaluator.EvaluateAsync(principal, "open", default);
        Assert.True(Pull(open));
        Assert.False(Push(open));
        Assert.False(Pull(await _evaluator.EvaluateAsync(Principal.Anonymous, "team", default)));
        Assert.True(Pull(await _evaluator.EvaluateAsync(Principal.Anonymous, "open", default)));
        Assert.Null((await _evaluator.EvaluateAsync(principal, "missing", default)).Project);
    }

    [Fact]
    public async Task Administrator_may_do_everything_in_existing_projects_only()
    {
        var admin = (await _store.CreateUserAsync(new NewUser("root", null, null, "h", true, "s"), default))!;
        var access = await _evaluator.EvaluateAsync(Principal.ForUser(admin), "team", default);
        Assert.Equal(RolePermissions.All, access.Permissions);
        Assert.Empty((await _evaluator.EvaluateAsync(Principal.ForUser(admin), "missing", default)).Permissions);
    }

    [Fact]
    public async Task Robot_grants_apply_to_their_projects_and_a_project_robot_never_leaves_its_project()
    {
        var system = (await _store.CreateRobotAsync(new NewRobot("robot$all", null, null, "h", "s", null,
            [new RobotPermission(null, null, ["repository:pull"]), new RobotPermission(_team.Id, null, ["repository:push", "member:create"])]), default))!;
        var local = (await _store.CreateRobotAsync(new NewRobot("robot$team+ci", null, _team.Id, "h", "s", null,
            [new RobotPermission(_team.Id, null, ["repository:pull"]), new RobotPermission(null, null, ["repository:pull"])]), default))!;
        var other = (await _store.CreateProjectAsync(new NewProject("other", false, -1, false), null, default))!;

        var systemTeam = await _evaluator.EvaluateAsync(Principal.ForRobot(system), "team", default);
        Assert.True(Pull(systemTeam));
        Assert.True(Push(systemTeam));
        Assert.False(systemTeam.Allows(Resources.Member, Actions.Create));
        Assert.True(Pull(await _evaluator.EvaluateAsync(Principal.ForRobot(system), "other", default)));

        Assert.True(Pull(await _evaluator.EvaluateAsync(Principal.ForRobot(local), "team", default)));
        Assert.False(Pull(await _evaluator.EvaluateAsync(Principal.ForRobot(local), other.Name, default)));
    }
}
