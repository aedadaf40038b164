using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Strata.Server.Tests.Infrastructure;

namespace Strata.Server.Tests.Auth;

/// <summary>
/// Every <c>/v2/</c> route and every project-scoped management route × every kind of caller ×
/// public and private project → allowed or refused, as a table. Each OCI case runs twice: with
/// HTTP Basic on the request, and with a bearer token from the token endpoint (requested for
/// pull,push,delete; the token carries what is permitted).
/// </summary>
public sealed class AuthorizationMatrixTests(MatrixFixture fixture) : IClassFixture<MatrixFixture>
{
    /// <summary>What each caller may do to repositories of the two projects (pull on the public project: everyone).</summary>
    private static readonly Dictionary<string, (bool PullPrivate, bool Push, bool Delete)> Registry = new()
    {
        ["anonymous"] = (false, false, false),
        ["limitedGuest"] = (true, false, false),
        ["guest"] = (true, false, false),
        ["developer"] = (true, true, false),
        ["maintainer"] = (true, true, true),
        ["projectAdmin"] = (true, true, true),
        ["otherProjectAdmin"] = (false, false, false),
        ["systemAdmin"] = (true, true, true),
        ["robotPull"] = (true, false, false),
        ["robotPush"] = (true, true, false),
        ["robotDelete"] = (true, false, true),
        ["otherProjectRobot"] = (false, false, false),
    };

    /// <summary>The management permissions each caller holds in both projects (reading a public project: everyone).</summary>
    private static readonly Dictionary<string, (bool ReadPrivate, bool ListMembersRobotsLog, bool Manage, bool Users)> Management = new()
    {
        ["anonymous"] = (false, false, false, false),
        ["limitedGuest"] = (true, false, false, false),
        ["guest"] = (true, true, false, false),
        ["developer"] = (true, true, false, false),
        ["maintainer"] = (true, true, false, false),
        ["projectAdmin"] = (true, true, true, false),
        ["otherProjectAdmin"] = (false, false, false, false),
        ["systemAdmin"] = (true, true, true, true),
        ["robotPull"] = (false, false, false, false),
        ["robotPush"] = (false, false, false, false),
        ["robotDelete"] = (false, false, false, false),
        ["otherProjectRobot"] = (false, false, false, false),
    };

    private sealed record OciCase(string Route, HttpMethod Method, Func<string, (string Manifest, string Layer), string> Path, string Action, Func<HttpContent?> Body);

    private static readonly OciCase[] OciRoutes =
    [
        new("blob GET", HttpMethod.Get, (r, i) => $"/v2/{r}/blobs/{i.Layer}", "pull", () => null),
        new("blob HEAD", HttpMethod.Head, (r, i) => $"/v2/{r}/blobs/{i.Layer}", "pull", () => null),
        new("blob DELETE", HttpMethod.Delete, (r, _) => $"/v2/{r}/blobs/{Digests.Unknown()}", "delete", () => null),
        new("upload start", HttpMethod.Post, (r, _) => $"/v2/{r}/blobs/uploads/", "push", () => RegistryClient.Octets([])),
        new("upload PATCH", HttpMethod.Patch, (r, _) => $"/v2/{r}/blobs/uploads/{Guid.NewGuid():N}", "push", () => RegistryClient.Octets([1, 2, 3])),
        new("upload PUT", HttpMethod.Put, (r, _) => $"/v2/{r}/blobs/uploads/{Guid.NewGuid():N}?digest={Digests.Unknown()}", "push", () => RegistryClient.Octets([])),
        new("upload status", HttpMethod.Get, (r, _) => $"/v2/{r}/blobs/uploads/{Guid.NewGuid():N}", "push", () => null),
        new("upload cancel", HttpMethod.Delete, (r, _) => $"/v2/{r}/blobs/uploads/{Guid.NewGuid():N}", "push", () => null),
        new("manifest GET", HttpMethod.Get, (r, _) => $"/v2/{r}/manifests/1", "pull", () => null),
        new("manifest HEAD", HttpMethod.Head, (r, _) => $"/v2/{r}/manifests/1", "pull", () => null),
        new("manifest PUT", HttpMethod.Put, (r, _) => $"/v2/{r}/manifests/matrix", "push", () => new StringContent("{}", Encoding.UTF8, MediaTypes.OciManifest)),
        new("manifest DELETE", HttpMethod.Delete, (r, _) => $"/v2/{r}/manifests/{Digests.Unknown()}", "delete", () => null),
        new("tags list", HttpMethod.Get, (r, _) => $"/v2/{r}/tags/list", "pull", () => null),
        new("referrers", HttpMethod.Get, (r, i) => $"/v2/{r}/referrers/{i.Manifest}", "pull", () => null),
    ];

    [Theory]
    [InlineData("pub", false)]
    [InlineData("priv", false)]
    [InlineData("pub", true)]
    [InlineData("priv", true)]
    public async Task Every_registry_route_allows_exactly_what_the_matrix_says(string project, bool bearer)
    {
        var repository = $"{project}/app";
        var mismatches = new List<string>();
        foreach (var principal in Registry.Keys)
        {
            var credentials = fixture.Credentials(principal);
            if (bearer)
            {
                var token = await fixture.Registry.TokenAsync(credentials, $"repository:{repository}:pull,push,delete");
                credentials = AuthRegistry.Bearer(token);
            }

            foreach (var route in OciRoutes)
            {
                var expected = Registry[principal];
                var allowed = route.Action switch
                {
                    "pull" => project == "pub" || expected.PullPrivate,
                    "push" => expected.Push,
                    _ => expected.Delete,
                };
                var response = await fixture.Registry.SendAsync(route.Method, route.Path(repository, fixture.Images[project]), credentials, route.Body());
                var status = (int)response.StatusCode;
                var refused = status is 401 or 403;
                if (allowed == refused)
                {
                    mismatches.Add($"{principal} {route.Route} on {project} ({(bearer ? "bearer" : "basic")}): expected {(allowed ? "allowed" : "refused")}, got {status}");
                    continue;
                }

                if (refused)
                {
                    // Who gets which refusal: tokens and anonymous callers a challenge; Basic credentials a plain 403.
                    var expectChallenge = bearer || principal == "anonymous";
                    if (expectChallenge && (status != 401 || !response.Headers.WwwAuthenticate.ToString().Contains($"scope=\"repository:{repository}:", StringComparison.Ordinal)))
                    {
                        mismatches.Add($"{principal} {route.Route} on {project}: expected 401 with a scoped challenge, got {status} {response.Headers.WwwAuthenticate}");
                    }
                    else if (!expectChallenge && status != 403)
                    {
                        mismatches.Add($"{principal} {route.Route} on {project}: expected 403 DENIED, got {status}");
                    }
                }
            }
        }

        Assert.True(mismatches.Count == 0, string.Join('\n', mismatches));
    }

    private sealed record ManagementCase(string Route, HttpMethod Method, Func<string, string> Path, Func<string, string?> Json, Func<(bool ReadPrivate, bool ListMembersRobotsLog, bool Manage, bool Users), bool, bool> Allowed);

    private static readonly ManagementCase[] ManagementRoutes =
    [
        new("project GET", HttpMethod.Get, p => $"/api/v1/projects/{p}", _ => null, (m, pub) => pub || m.ReadPrivate),
        new("members GET", HttpMethod.Get, p => $"/api/v1/projects/{p}/members", _ => null, (m, _) => m.ListMembersRobotsLog),
        new("robots GET", HttpMethod.Get, p => $"/api/v1/projects/{p}/robots", _ => null, (m, _) => m.ListMembersRobotsLog),
        new("audit GET", HttpMethod.Get, p => $"/api/v1/audit-logs?project={p}", _ => null, (m, _) => m.ListMembersRobotsLog),
        new("member set", HttpMethod.Post, p => $"/api/v1/projects/{p}/members", _ => "{\"username\":\"carol\",\"role\":\"guest\"}", (m, _) => m.Manage),
        new("member remove", HttpMethod.Delete, p => $"/api/v1/projects/{p}/members/carol", _ => null, (m, _) => m.Manage),
        new("robot create", HttpMethod.Post, p => $"/api/v1/projects/{p}/robots", _ => $"{{\"name\":\"m{Guid.NewGuid():N}\",\"permissions\":[{{\"access\":[\"repository:pull\"]}}]}}", (m, _) => m.Manage),
        new("project PATCH", HttpMethod.Patch, p => $"/api/v1/projects/{p}", p => $"{{\"public\":{(p == "pub" ? "true" : "false")}}}", (m, _) => m.Manage),
        new("project DELETE", HttpMethod.Delete, p => $"/api/v1/projects/{p}", _ => null, (m, _) => m.Manage),
        new("users GET", HttpMethod.Get, _ => "/api/v1/users", _ => null, (m, _) => m.Users),
        new("robots (system) GET", HttpMethod.Get, _ => "/api/v1/robots", _ => null, (m, _) => m.Users),
    ];

    [Theory]
    [InlineData("pub")]
    [InlineData("priv")]
    public async Task Every_management_route_allows_exactly_what_the_matrix_says(string project)
    {
        var mismatches = new List<string>();
        foreach (var principal in Management.Keys)
        {
            foreach (var route in ManagementRoutes)
            {
                var allowed = route.Allowed(Management[principal], project == "pub");
                var json = route.Json(project);
                var content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json");
                var response = await fixture.Registry.SendAsync(route.Method, route.Path(project), fixture.Credentials(principal), content);
                var status = (int)response.StatusCode;

                // Allowed: success, or the state's own refusal (deleting a project that has repositories is 409;
                // removing someone who is not a member is 404 "not a member", told apart by its message).
                var body = await response.Content.ReadAsStringAsync();
                var notAMember = status == 404 && body.Contains("is not a member", StringComparison.Ordinal);
                var ok = status is >= 200 and < 300 or 409 || notAMember;
                var refused = status is 401 or 403 or 404 && !notAMember;
                if (allowed ? !ok : !refused)
                {
                    mismatches.Add($"{principal} {route.Route} on {project}: expected {(allowed ? "allowed" : "refused")}, got {status} {body}");
                }

                if (!allowed && principal == "anonymous" && status != 401)
                {
                    mismatches.Add($"anonymous {route.Route} on {project}: expected 401, got {status}");
                }
            }
        }

        Assert.True(mismatches.Count == 0, string.Join('\n', mismatches));
    }

    [Fact]
    public async Task Ping_challenges_anonymous_callers_and_accepts_any_valid_credentials()
    {
        var anonymous = await fixture.Registry.SendAsync(HttpMethod.Get, "/v2/");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var challenge = anonymous.Headers.WwwAuthenticate.ToString();
        Assert.StartsWith("Bearer realm=\"http://127.0.0.1:", challenge);
        Assert.Contains("/service/token\",service=\"strata\"", challenge);
        Assert.Equal("registry/2.0", anonymous.Headers.GetValues("Docker-Distribution-API-Version").Single());

        foreach (var principal in fixture.Principals.Where(p => p != "anonymous"))
        {
            var response = await fixture.Registry.SendAsync(HttpMethod.Get, "/v2/", fixture.Credentials(principal));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{principal}: {(int)response.StatusCode}");
        }

        var bad = await fixture.Registry.SendAsync(HttpMethod.Get, "/v2/", AuthRegistry.Basic("limitedguest", "wrong-Passw0rd"));
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        var anonymousToken = await fixture.Registry.TokenAsync(null);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Registry.SendAsync(HttpMethod.Get, "/v2/", AuthRegistry.Bearer(anonymousToken))).StatusCode);
    }

    [Fact]
    public async Task Repositories_outside_any_project_are_refused_even_to_administrators()
    {
        var response = await fixture.Registry.SendAsync(HttpMethod.Get, "/v2/noproject/manifests/latest", AuthRegistry.AdminCredentials);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var message = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![0]!["message"]!.GetValue<string>();
        Assert.Contains("<project>/<name>", message);

        var unknownProject = await fixture.Registry.SendAsync(HttpMethod.Post, "/v2/nosuchproject/app/blobs/uploads/", AuthRegistry.AdminCredentials, RegistryClient.Octets([]));
        Assert.Equal(HttpStatusCode.Forbidden, unknownProject.StatusCode);
    }

    [Fact]
    public async Task Catalog_lists_only_what_each_caller_may_see()
    {
        async Task<string[]> CatalogAsync(AuthenticationHeaderValue? credentials, string query = "")
        {
            var response = await fixture.Registry.SendAsync(HttpMethod.Get, "/v2/_catalog" + query, credentials);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var node = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            return node["repositories"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
        }

        Assert.Equal(["pub/app"], await CatalogAsync(null));
        Assert.Equal(["pub/app"], await CatalogAsync(fixture.Credentials("otherProjectAdmin")));
        Assert.Equal(["priv/app", "pub/app"], await CatalogAsync(fixture.Credentials("limitedGuest")));
        Assert.Equal(["priv/app", "pub/app"], await CatalogAsync(fixture.Credentials("robotPull")));
        Assert.Contains("priv/app", await CatalogAsync(AuthRegistry.AdminCredentials));
        Assert.Equal(["pub/app"], await CatalogAsync(fixture.Credentials("limitedGuest"), "?n=10&last=priv/app"));

        var first = await fixture.Registry.SendAsync(HttpMethod.Get, "/v2/_catalog?n=1", fixture.Credentials("guest"));
        Assert.Contains("</v2/_catalog?n=1&last=priv%2Fapp>; rel=\"next\"", first.Headers.GetValues("Link"));
    }
}
