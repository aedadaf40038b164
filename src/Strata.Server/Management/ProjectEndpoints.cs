using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Strata.Identity.Accounts;
using Strata.Identity.Rbac;
using Strata.Metadata.Contracts;
using static Strata.Server.Management.IdentityApi;

namespace Strata.Server.Management;

/// <summary><c>/api/v1/projects</c>: projects and their members, with Harbor's permissions.</summary>
public static class ProjectEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/projects");
        group.MapGet("", Handler(c => RunAsync(c, async caller =>
            Json((await Projects(c).ListAsync(caller, c.RequestAborted)).Select(p => ProjectView.From(p)).ToList(), IdentityJsonContext.Default.ListProjectView))));
        group.MapPost("", Handler(c => RunAsync(c, async caller =>
        {
            var body = await ReadAsync(c, IdentityJsonContext.Default.ProjectCreateRequest);
            var project = await Projects(c).CreateAsync(caller, body.Name, body.Public ?? false, body.StorageQuotaBytes, body.PublishPrivate ?? false, c.RequestAborted);
            return Json(ProjectView.From(project, caller.Principal.Id > 0 ? ProjectRoles.Name(ProjectRole.ProjectAdmin) : null), IdentityJsonContext.Default.ProjectView, StatusCodes.Status201Created);
        })));
        group.MapGet("/{name}", (HttpContext c, string name) => RunAsync(c, async caller =>
        {
            var (project, access) = await Projects(c).GetAsync(caller, name, c.RequestAborted);
            return Json(ProjectView.From(project, access.Role is { } role ? ProjectRoles.Name(role) : null), IdentityJsonContext.Default.ProjectView);
        }));
        group.MapPatch("/{name}", (HttpContext c, string name) => RunAsync(c, async caller =>
        {
            var body = await ReadAsync(c, IdentityJsonContext.Default.ProjectUpdateRequest);
            var before = (await Projects(c).GetAsync(caller, name, c.RequestAborted)).Project;
            var project = await Projects(c).UpdateAsync(caller, name, body.Public, body.StorageQuotaBytes, body.PublishPrivate, c.RequestAborted);
            if ((before.IsPublic || before.PublishPrivate) != (project.IsPublic || project.PublishPrivate))
            {
                await ProjectPublicationReconciler.RequeueAsync(c, name, c.RequestAborted);
            }

            return Json(ProjectView.From(project), IdentityJsonContext.Default.ProjectView);
        }));
        group.MapDelete("/{name}", (HttpContext c, string name) => RunAsync(c, async caller =>
        {
            var repositories = c.RequestServices.GetRequiredService<IRepositoryStore>();
            await Projects(c).DeleteAsync(caller, name, async (project, token) =>
            {
                var first = await repositories.ListRepositoriesAsync(project + "/", 1, token);
                return first.Count > 0 && first[0].StartsWith(project + "/", StringComparison.Ordinal);
            }, c.RequestAborted);
            return Results.NoContent();
        }));

        group.MapGet("/{name}/members", (HttpContext c, string name) => RunAsync(c, async caller =>
            Json((await Projects(c).ListMembersAsync(caller, name, c.RequestAborted)).Select(MemberView.From).ToList(), IdentityJsonContext.Default.ListMemberView)));
        group.MapPost("/{name}/members", (HttpContext c, string name) => RunAsync(c, async caller =>
        {
            var body = await ReadAsync(c, IdentityJsonContext.Default.MemberRequest);
            var created = await Projects(c).SetMemberAsync(caller, name, body.Username, body.Role, c.RequestAborted);
            return created ? Results.StatusCode(StatusCodes.Status201Created) : Results.NoContent();
        }));
        group.MapPut("/{name}/members/{username}", (HttpContext c, string name, string username) => RunAsync(c, async caller =>
        {
            var body = await ReadAsync(c, IdentityJsonContext.Default.MemberRequest);
            if (body.Username is not null && body.Username != username)
            {
                throw IdentityException.Invalid("the body's username differs from the one in the path");
            }

            var created = await Projects(c).SetMemberAsync(caller, name, username, body.Role, c.RequestAborted);
            return created ? Results.StatusCode(StatusCodes.Status201Created) : Results.NoContent();
        }));
        group.MapDelete("/{name}/members/{username}", (HttpContext c, string name, string username) => RunAsync(c, async caller =>
        {
            await Projects(c).RemoveMemberAsync(caller, name, username, c.RequestAborted);
            return Results.NoContent();
        }));

        group.MapGet("/{name}/robots", (HttpContext c, string name) => RunAsync(c, async caller =>
            Json((await Robots(c).ListAsync(caller, name, c.RequestAborted)).Select(RobotView.From).ToList(), IdentityJsonContext.Default.ListRobotView)));
        group.MapPost("/{name}/robots", (HttpContext c, string name) => RunAsync(c, async caller =>
        {
            var body = await ReadAsync(c, IdentityJsonContext.Default.RobotCreateRequest);
            var (robot, secret) = await Robots(c).CreateAsync(caller, new RobotRequest(body.Name, body.Description, name, body.Duration, body.Permissions), c.RequestAborted);
            return Json(new RobotSecretView(robot.Id, robot.Name, secret, robot.ExpiresAt), IdentityJsonContext.Default.RobotSecretView, StatusCodes.Status201Created);
        }));
    }

    private static ProjectAccounts Projects(HttpContext context) => context.RequestServices.GetRequiredService<ProjectAccounts>();

    private static RobotAccounts Robots(HttpContext context) => context.RequestServices.GetRequiredService<RobotAccounts>();
}
