using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Strata.Identity.Accounts;
using static Strata.Server.Management.IdentityApi;

namespace Strata.Server.Management;

/// <summary>
/// <c>/api/v1/robots</c>: system-level robots (administrators), and any robot by id (its project's
/// robot managers too). The secret appears only in the responses of creation and rotation.
/// </summary>
public static class RobotEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/robots");
        group.MapGet("", Handler(c => RunAsync(c, async caller =>
            Json((await Robots(c).ListAsync(caller, null, c.RequestAborted)).Select(RobotView.From).ToList(), IdentityJsonContext.Default.ListRobotView))));
        group.MapPost("", Handler(c => RunAsync(c, async caller =>
        {
            var body = await ReadAsync(c, IdentityJsonContext.Default.RobotCreateRequest);
            var (robot, secret) = await Robots(c).CreateAsync(caller, new RobotRequest(body.Name, body.Description, null, body.Duration, body.Permissions), c.RequestAborted);
            return Json(new RobotSecretView(robot.Id, robot.Name, secret, robot.ExpiresAt), IdentityJsonContext.Default.RobotSecretView, StatusCodes.Status201Created);
        })));
        group.MapGet("/{id}", (HttpContext c, string id) => RunAsync(c, async caller =>
            Json(RobotView.From(await Robots(c).GetAsync(caller, ParseId(id), c.RequestAborted)), IdentityJsonContext.Default.RobotView)));
        group.MapPatch("/{id}", (HttpContext c, string id) => RunAsync(c, async caller =>
        {
            var robotId = ParseId(id);
            var body = await ReadAsync(c, IdentityJsonContext.Default.RobotUpdateRequest);
            var robot = await Robots(c).UpdateAsync(caller, robotId, body.Description, body.Disabled, body.Duration, body.Permissions, c.RequestAborted);
            return Json(RobotView.From(robot), IdentityJsonContext.Default.RobotView);
        }));
        group.MapPost("/{id}/secret", (HttpContext c, string id) => RunAsync(c, async caller =>
        {
            var robotId = ParseId(id);
            var secret = await Robots(c).RotateSecretAsync(caller, robotId, c.RequestAborted);
            var robot = await Robots(c).GetAsync(caller, robotId, c.RequestAborted);
            return Json(new RobotSecretView(robot.Id, robot.Name, secret, robot.ExpiresAt), IdentityJsonContext.Default.RobotSecretView);
        }));
        group.MapDelete("/{id}", (HttpContext c, string id) => RunAsync(c, async caller =>
        {
            await Robots(c).DeleteAsync(caller, ParseId(id), c.RequestAborted);
            return Results.NoContent();
        }));
    }

    private static RobotAccounts Robots(HttpContext context) => context.RequestServices.GetRequiredService<RobotAccounts>();
}
