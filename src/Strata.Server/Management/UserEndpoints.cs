using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Strata.Identity.Accounts;
using static Strata.Server.Management.IdentityApi;

namespace Strata.Server.Management;

/// <summary><c>/api/v1/users</c>: local users (administrators manage everyone; a user reads and edits itself).</summary>
public static class UserEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/users");
        group.MapGet("", Handler(c => RunAsync(c, async caller =>
            Json((await Users(c).ListAsync(caller, c.RequestAborted)).Select(UserView.From).ToList(), IdentityJsonContext.Default.ListUserView))));
        group.MapPost("", Handler(c => RunAsync(c, async caller =>
        {
            var body = await ReadAsync(c, IdentityJsonContext.Default.UserCreateRequest);
            var user = await Users(c).CreateAsync(caller, body.Username, body.Password, body.Email, body.FullName, body.IsAdmin ?? false, c.RequestAborted);
            return Json(UserView.From(user), IdentityJsonContext.Default.UserView, StatusCodes.Status201Created);
        })));
        group.MapGet("/current", Handler(c => RunAsync(c, async caller =>
            Json(UserView.From(await Users(c).GetAsync(caller, caller.Principal.Name, c.RequestAborted)), IdentityJsonContext.Default.UserView))));
        group.MapGet("/{username}", (HttpContext c, string username) => RunAsync(c, async caller =>
            Json(UserView.From(await Users(c).GetAsync(caller, username, c.RequestAborted)), IdentityJsonContext.Default.UserView)));
        group.MapPatch("/{username}", (HttpContext c, string username) => RunAsync(c, async caller =>
        {
            var body = await ReadAsync(c, IdentityJsonContext.Default.UserUpdateRequest);
            var user = await Users(c).UpdateAsync(caller, username, body.Email, body.FullName, body.IsAdmin, c.RequestAborted);
            return Json(UserView.From(user), IdentityJsonContext.Default.UserView);
        }));
        group.MapPut("/{username}/password", (HttpContext c, string username) => RunAsync(c, async caller =>
        {
            var body = await ReadAsync(c, IdentityJsonContext.Default.PasswordChangeRequest);
            await Users(c).ChangePasswordAsync(caller, username, body.CurrentPassword, body.NewPassword, c.RequestAborted);
            return Results.NoContent();
        }));
        group.MapDelete("/{username}", (HttpContext c, string username) => RunAsync(c, async caller =>
        {
            await Users(c).DeleteAsync(caller, username, c.RequestAborted);
            return Results.NoContent();
        }));
    }

    private static UserAccounts Users(HttpContext context) => context.RequestServices.GetRequiredService<UserAccounts>();
}
