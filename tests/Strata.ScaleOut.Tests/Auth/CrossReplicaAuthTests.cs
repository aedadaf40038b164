using System.Net;
using Strata.EndToEnd.Tests.Infrastructure;
using Strata.ScaleOut.Tests.Infrastructure;

namespace Strata.ScaleOut.Tests.Auth;

/// <summary>
/// Access control across replicas: two replicas with access control on, one database, one bucket and
/// one token signing key (<c>Auth:SigningKeyFile</c>, a copy per replica as an operator distributes
/// it). Identity lives in the database, so what one replica changes the other sees, late by at most
/// <c>Auth:StateCacheDuration</c> (its caches of resolved principals).
/// </summary>
[Trait("Category", "Integration")]
public sealed class CrossReplicaAuthTests
{
    private const string AdminPassword = "Admin-Passw0rd";
    private const string UserPassword = "User-Passw0rd";
    private const string Repository = "team/app";
    private const string PullScope = "repository:team/app:pull";

    /// <summary>The staleness bound the replicas are configured with.</summary>
    private static readonly TimeSpan StateCacheDuration = TimeSpan.FromSeconds(2);

    /// <summary>Room for scheduling on a loaded 2-core machine; still far below the 5-minute token lifetime a missed revocation would show.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task Tokens_users_and_robot_revocations_made_through_one_replica_hold_on_the_other()
    {
        await using var cluster = await ReplicaCluster.CreateAsync();
        using var keys = new TempDirectory("signing-key");
        var sharedKey = Path.Combine(keys.Path, "token-signing-key.pem");
        var a = await cluster.StartInProcessAsync(Secured(sharedKey));
        var admin = AuthHttp.Basic("admin", AdminPassword);
        using var httpA = new AuthHttp(a);
        Assert.Equal(HttpStatusCode.OK, (await httpA.TokenAsync(admin, PullScope)).Status);

        // A created the key with its first token; B gets its own copy, as it would on another machine.
        var copy = Path.Combine(keys.CreateDirectory("b"), "token-signing-key.pem");
        File.Copy(sharedKey, copy);
        var b = await cluster.StartInProcessAsync(Secured(copy));
        using var httpB = new AuthHttp(b);

        // A private project with an image, pushed through A.
        await httpA.ApiAsync(HttpMethod.Post, "/api/v1/projects", admin, "{\"name\":\"team\",\"public\":false}");
        using var sandbox = new ToolSandbox();
        var layout = new OciLayout(sandbox.PathFor("image"));
        await OciLayoutBuilder.BuildSampleImageAsync(layout.Path, "v1");
        await new SkopeoClient(sandbox).CopyAsync(layout.Reference("v1"), ((IRegistryEndpoint)a).Docker($"{Repository}:1.0"), "--dest-creds", $"admin:{AdminPassword}");

        // 1. A token issued by A is accepted by B (and a tampered one is not).
        var (status, adminToken) = await httpA.TokenAsync(admin, PullScope);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, await httpB.PullManifestAsync(Repository, "1.0", AuthHttp.Bearer(adminToken!)));
        Assert.Equal(HttpStatusCode.Unauthorized, await httpB.PullManifestAsync(Repository, "1.0", AuthHttp.Bearer(adminToken! + "x")));

        // 2. A user created (and made a member) through A logs in at B and pulls there.
        await httpA.ApiAsync(HttpMethod.Post, "/api/v1/users", admin, $"{{\"username\":\"alice\",\"password\":\"{UserPassword}\"}}");
        await httpA.ApiAsync(HttpMethod.Post, "/api/v1/projects/team/members", admin, "{\"username\":\"alice\",\"role\":\"guest\"}");
        var alice = AuthHttp.Basic("alice", UserPassword);
        var seen = await AuthHttp.UntilAsync(async () => (await httpB.TokenAsync(alice, PullScope)).Status, HttpStatusCode.OK, StateCacheDuration + Slack);
        var (_, aliceToken) = await httpB.TokenAsync(alice, PullScope);
        Assert.Equal(HttpStatusCode.OK, await httpB.PullManifestAsync(Repository, "1.0", AuthHttp.Bearer(aliceToken!)));
        Assert.Equal(HttpStatusCode.OK, await httpA.PullManifestAsync(Repository, "1.0", AuthHttp.Bearer(aliceToken!)));
        Assert.True(seen <= StateCacheDuration + Slack, $"B saw the user after {seen}");

        // 3. A robot revoked through A is refused by B within the staleness bound: its token and its
        //    secret, both in use at B (so B's caches hold it) when A deletes it.
        var robot = (await httpA.ApiAsync(HttpMethod.Post, "/api/v1/projects/team/robots", admin, "{\"name\":\"ci\",\"permissions\":[{\"access\":[\"repository:pull\"]}]}"))!;
        var robotBasic = AuthHttp.Basic(robot["name"]!.GetValue<string>(), robot["secret"]!.GetValue<string>());
        await AuthHttp.UntilAsync(async () => (await httpB.TokenAsync(robotBasic, PullScope)).Status, HttpStatusCode.OK, StateCacheDuration + Slack);
        var (_, robotToken) = await httpB.TokenAsync(robotBasic, PullScope);
        var robotBearer = AuthHttp.Bearer(robotToken!);
        Assert.Equal(HttpStatusCode.OK, await httpB.PullManifestAsync(Repository, "1.0", robotBearer));
        Assert.Equal(HttpStatusCode.OK, await httpB.PullManifestAsync(Repository, "1.0", robotBasic));

        await httpA.ApiAsync(HttpMethod.Delete, $"/api/v1/robots/{robot["id"]!.GetValue<long>()}", admin);
        Assert.Equal(HttpStatusCode.Unauthorized, await httpA.PullManifestAsync(Repository, "1.0", robotBearer));
        var tokenRefused = await AuthHttp.UntilAsync(() => httpB.PullManifestAsync(Repository, "1.0", robotBearer), HttpStatusCode.Unauthorized, StateCacheDuration + Slack);
        var secretRefused = await AuthHttp.UntilAsync(() => httpB.PullManifestAsync(Repository, "1.0", robotBasic), HttpStatusCode.Unauthorized, StateCacheDuration + Slack);
        Assert.Equal(HttpStatusCode.Unauthorized, (await httpB.TokenAsync(robotBasic, PullScope)).Status);
        Assert.True(tokenRefused <= StateCacheDuration + Slack && secretRefused <= StateCacheDuration + Slack, $"B refused the revoked robot after {tokenRefused} (token) and {secretRefused} (secret)");
    }

    [Fact]
    public async Task A_replica_with_another_signing_key_refuses_the_fleets_tokens()
    {
        await using var cluster = await ReplicaCluster.CreateAsync();
        using var keys = new TempDirectory("signing-key");
        var a = await cluster.StartInProcessAsync(Secured(Path.Combine(keys.Path, "a.pem")));
        var stray = await cluster.StartInProcessAsync(Secured(Path.Combine(keys.Path, "stray.pem")));
        var admin = AuthHttp.Basic("admin", AdminPassword);
        using var httpA = new AuthHttp(a);
        using var httpStray = new AuthHttp(stray);
        await httpA.ApiAsync(HttpMethod.Post, "/api/v1/projects", admin, "{\"name\":\"team\",\"public\":false}");

        var (_, token) = await httpA.TokenAsync(admin, PullScope);

        // Same database, same users: only the key differs, and that is enough to refuse the token
        // (404 would mean it was accepted: the repository has no manifests yet).
        Assert.Equal(HttpStatusCode.NotFound, await httpA.PullManifestAsync(Repository, "1.0", AuthHttp.Bearer(token!)));
        Assert.Equal(HttpStatusCode.Unauthorized, await httpStray.PullManifestAsync(Repository, "1.0", AuthHttp.Bearer(token!)));
    }

    private static Dictionary<string, string?> Secured(string signingKeyFile) => new()
    {
        ["Auth:Enabled"] = "true",
        ["Auth:AdminPassword"] = AdminPassword,
        // A cheap KDF: logins are not what is measured here.
        ["Auth:PasswordIterations"] = "1000",
        ["Auth:SigningKeyFile"] = signingKeyFile,
        ["Auth:StateCacheDuration"] = StateCacheDuration.ToString("c"),
        ["Publish:Enabled"] = "false",
    };
}
