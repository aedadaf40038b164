using System.CommandLine;
using System.Text.Json.Nodes;

namespace Strata.Cli.Commands.Identity;

/// <summary><c>strata user list|create|delete|passwd</c> through the management API.</summary>
internal static class UserCommand
{
    public static Command Create()
    {
        var command = new Command("user", "Manage local users (needs a running server; acts as --user with STRATA_PASSWORD)");
        command.Subcommands.Add(List());
        command.Subcommands.Add(CreateUser());
        command.Subcommands.Add(Delete());
        command.Subcommands.Add(Passwd());
        return command;
    }

    private static Command List()
    {
        var (server, user) = (ApiConnection.ServerOption(), ApiConnection.UserOption());
        var command = new Command("list", "List users") { server, user };
        command.SetAction(async (result, ct) =>
        {
            using var api = ApiConnection.Open(result, server, user);
            var (ok, body) = await api.SendAsync(HttpMethod.Get, "api/v1/users", null, ct);
            if (!ok)
            {
                return 1;
            }

            Console.WriteLine($"{"USERNAME",-32} {"ADMIN",-5}  EMAIL");
            foreach (var u in body!.AsArray())
            {
                Console.WriteLine($"{u!["username"],-32} {(u["isAdmin"]!.GetValue<bool>() ? "yes" : "no"),-5}  {u["email"]}");
            }

            return 0;
        });
        return command;
    }

    private static Command CreateUser()
    {
        var (server, user) = (ApiConnection.ServerOption(), ApiConnection.UserOption());
        var name = new Argument<string>("name") { Description = "The new user's name" };
        var admin = new Option<bool>("--admin") { Description = "Make the user a system administrator" };
        var email = new Option<string?>("--email") { Description = "E-mail address" };
        var command = new Command("create", "Create a user; its password is read from STRATA_NEW_PASSWORD or standard input") { name, admin, email, server, user };
        command.SetAction(async (result, ct) =>
        {
            using var api = ApiConnection.Open(result, server, user);
            var body = new JsonObject
            {
                ["username"] = result.GetValue(name),
                ["password"] = ApiConnection.ReadNewPassword(),
                ["isAdmin"] = result.GetValue(admin),
            };
            if (result.GetValue(email) is { } e)
            {
                body["email"] = e;
            }

            var (ok, _) = await api.SendAsync(HttpMethod.Post, "api/v1/users", body, ct);
            if (ok)
            {
                Console.WriteLine($"created user {result.GetValue(name)}");
            }

            return ok ? 0 : 1;
        });
        return command;
    }

    private static Command Delete()
    {
        var (server, user) = (ApiConnection.ServerOption(), ApiConnection.UserOption());
        var name = new Argument<string>("name");
        var command = new Command("delete", "Delete a user (its tokens stop working at once)") { name, server, user };
        command.SetAction(async (result, ct) =>
        {
            using var api = ApiConnection.Open(result, server, user);
            var (ok, _) = await api.SendAsync(HttpMethod.Delete, $"api/v1/users/{Uri.EscapeDataString(result.GetValue(name)!)}", null, ct);
            return ok ? 0 : 1;
        });
        return command;
    }

    private static Command Passwd()
    {
        var (server, user) = (ApiConnection.ServerOption(), ApiConnection.UserOption());
        var name = new Argument<string?>("name") { Description = "Whose password (default: --user)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("passwd", "Change a password: the new one from STRATA_NEW_PASSWORD or standard input; your own needs STRATA_PASSWORD") { name, server, user };
        command.SetAction(async (result, ct) =>
        {
            using var api = ApiConnection.Open(result, server, user);
            var target = result.GetValue(name) ?? result.GetValue(user)!;
            var body = new JsonObject
            {
                ["currentPassword"] = Environment.GetEnvironmentVariable("STRATA_PASSWORD"),
                ["newPassword"] = ApiConnection.ReadNewPassword(),
            };
            var (ok, _) = await api.SendAsync(HttpMethod.Put, $"api/v1/users/{Uri.EscapeDataString(target)}/password", body, ct);
            if (ok)
            {
                Console.WriteLine($"password of {target} changed; its existing tokens no longer work");
            }

            return ok ? 0 : 1;
        });
        return command;
    }
}
