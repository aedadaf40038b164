using System.Net.Http.Headers;

namespace Strata.Server.Tests.Auth;

/// <summary>
/// One registry with a public project <c>pub</c>, a private project <c>priv</c> (an image in each),
/// a member of both per role, another project's admin, a second system administrator, and robots
/// with pull, pull+push and pull+delete on both projects plus one with access elsewhere only.
/// </summary>
public sealed class MatrixFixture : IAsyncLifetime
{
    public static readonly string[] Roles = ["limitedGuest", "guest", "developer", "maintainer", "projectAdmin"];

    private readonly Dictionary<string, AuthenticationHeaderValue?> _credentials = new();

    public AuthRegistry Registry { get; private set; } = null!;

    public Dictionary<string, (string Manifest, string Layer)> Images { get; } = new();

    public IReadOnlyCollection<string> Principals => _credentials.Keys;

    public AuthenticationHeaderValue? Credentials(string principal) => _credentials[principal];

    public async Task InitializeAsync()
    {
        Registry = await AuthRegistry.StartAsync();
        await Registry.CreateProjectAsync("pub", isPublic: true);
        await Registry.CreateProjectAsync("priv", isPublic: false);
        await Registry.CreateProjectAsync("elsewhere", isPublic: false);
        foreach (var project in new[] { "pub", "priv" })
        {
            var (manifest, layer) = await Registry.PushImageAsync($"{project}/app", "1");
            Images[project] = (manifest, layer.Digest);
        }

        _credentials["anonymous"] = null;
        foreach (var role in Roles)
        {
            await Registry.CreateUserAsync(role.ToLowerInvariant());
            await Registry.AddMemberAsync("pub", role.ToLowerInvariant(), role);
            await Registry.AddMemberAsync("priv", role.ToLowerInvariant(), role);
            _credentials[role] = AuthRegistry.Basic(role.ToLowerInvariant(), AuthRegistry.UserPassword);
        }

        await Registry.CreateUserAsync("other");
        await Registry.AddMemberAsync("elsewhere", "other", "projectAdmin");
        _credentials["otherProjectAdmin"] = AuthRegistry.Basic("other", AuthRegistry.UserPassword);
        await Registry.CreateUserAsync("root2", admin: true);
        _credentials["systemAdmin"] = AuthRegistry.Basic("root2", AuthRegistry.UserPassword);
        await Registry.CreateUserAsync("carol");

        foreach (var (principal, access) in new[]
        {
            ("robotPull", "\"repository:pull\""),
            ("robotPush", "\"repository:pull\",\"repository:push\""),
            ("robotDelete", "\"repository:pull\",\"repository:delete\""),
        })
        {
            var (name, secret, _) = await Registry.CreateRobotAsync(principal.ToLowerInvariant(), null,
                $"[{{\"project\":\"pub\",\"access\":[{access}]}},{{\"project\":\"priv\",\"access\":[{access}]}}]");
            _credentials[principal] = AuthRegistry.Basic(name, secret);
        }

        var (otherRobot, otherSecret, _) = await Registry.CreateRobotAsync("deploy", "elsewhere",
            "[{\"access\":[\"repository:pull\",\"repository:push\",\"repository:delete\"]}]");
        _credentials["otherProjectRobot"] = AuthRegistry.Basic(otherRobot, otherSecret);
    }

    public async Task DisposeAsync() => await Registry.DisposeAsync();
}
