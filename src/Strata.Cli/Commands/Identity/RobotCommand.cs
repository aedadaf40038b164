using System.CommandLine;
using System.Text.Json.Nodes;

namespace Strata.Cli.Commands.Identity;

/// <summary><c>strata robot list|create|rotate|delete</c> through the management API. Secrets are printed once, on creation and rotation.</summary>
internal static class RobotCommand
{
    public static Command Create()
    {
        var command = new Command("robot", "Manage robot accounts (needs a running server)");
        command.Subcommands.Add(List());
        command.Subcommands.Add(CreateRobot());
        command.Subcommands.Add(Rotate());
        command.Subcommands.Add(Delete());
        return command;
    }

    private static Command List()
    {
        var (server, user) = (ApiConnection.ServerOption(), ApiConnection.UserOption());
        var project = new Option<string?>("--project") { Description = "A project's robots (default: system-level robots)" };
        var command = new Command("list", "List robots") { project, server, user };
        command.SetAction(async (result, ct) =>
        {
            using var api = ApiConnection.Open(result, server, user);
            var path = result.GetValue(project) is { } p ? $"api/v1/projects/{Uri.EscapeDataString(p)}/robots" : "api/v1/robots";
            var (ok, body) = await api.SendAsync(HttpMethod.Get, path, null, ct);
            if (!ok)
            {
                return 1;
            }

            Console.WriteLine($"{"ID",6} {"NAME",-40} {"EXPIRES",-26} {"DISABLED",-8} PERMISSIONS");
            foreach (var r in body!.AsArray())
            {
                var grants = string.Join("; ", r!["permissions"]!.AsArray().Select(g => $"{g!["project"]}: {string.Join(',', g["access"]!.AsArray().Select(a => a!.GetValue<string>()))}"));
                Console.WriteLine($"{r["id"],6} {r["name"],-40} {r["expiresAt"]?.ToString() ?? "never",-26} {r["disabled"],-8} {grants}");
            }

            return 0;
        });
        return command;
    }

    private static Command CreateRobot()
    {
        var (server, user) = (ApiConnection.ServerOption(), ApiConnection.UserOption());
        var name = new Argument<string>("name");
        var project = new Option<string?>("--project") { Description = "Create a project-level robot (robot$PROJECT+NAME) instead of a system-level one" };
        var grants = new Option<string[]>("--grant")
        {
            Description = "PROJECT=resource:action[,resource:action…] (PROJECT * = every project; may repeat), e.g. team=repository:pull,repository:push",
            AllowMultipleArgumentsPerToken = false,
            Required = true,
        };
        var duration = new Option<int?>("--duration") { Description = "Days until it expires (-1: never; default 30)" };
        var description = new Option<string?>("--description");
        var command = new Command("create", "Create a robot and print its secret (shown only this once)") { name, project, grants, duration, description, server, user };
        command.SetAction(async (result, ct) =>
        {
            var permissions = new JsonArray();
            foreach (var grant in result.GetValue(grants) ?? [])
            {
                var equals = grant.IndexOf('=');
                if (equals <= 0)
                {
                    await Console.Error.WriteLineAsync($"strata robot create: --grant '{grant}' is not PROJECT=access,…");
                    return 2;
                }

                permissions.Add(new JsonObject
                {
                    ["project"] = grant[..equals],
                    ["access"] = new JsonArray([.. grant[(equals + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(a => (JsonNode)a)]),
                });
            }

            var body = new JsonObject { ["name"] = result.GetValue(name), ["permissions"] = permissions };
            if (result.GetValue(duration) is { } days)
            {
                body["duration"] = days;
            }

            if (result.GetValue(description) is { } text)
            {
                body["description"] = text;
            }

            using var api = ApiConnection.Open(result, server, user);
            var path = result.GetValue(project) is { } p ? $"api/v1/projects/{Uri.EscapeDataString(p)}/robots" : "api/v1/robots";
            var (ok, created) = await api.SendAsync(HttpMethod.Post, path, body, ct);
            if (!ok)
            {
                return 1;
            }

            Console.WriteLine($"id:      {created!["id"]}\nname:    {created["name"]}\nsecret:  {created["secret"]}\nexpires: {created["expiresAt"]?.ToString() ?? "never"}");
            Console.WriteLine("The secret is shown only this once; `strata robot rotate ID` makes a new one.");
            return 0;
        });
        return command;
    }

    private static Command Rotate()
    {
        var (server, user) = (ApiConnection.ServerOption(), ApiConnection.UserOption());
        var id = new Argument<long>("id");
        var command = new Command("rotate", "Replace a robot's secret (the old one stops working now) and print the new one") { id, server, user };
        command.SetAction(async (result, ct) =>
        {
            using var api = ApiConnection.Open(result, server, user);
            var (ok, body) = await api.SendAsync(HttpMethod.Post, $"api/v1/robots/{result.GetValue(id)}/secret", null, ct);
            if (ok)
            {
                Console.WriteLine($"name:    {body!["name"]}\nsecret:  {body["secret"]}");
            }

            return ok ? 0 : 1;
        });
        return command;
    }

    private static Command Delete()
    {
        var (server, user) = (ApiConnection.ServerOption(), ApiConnection.UserOption());
        var id = new Argument<long>("id");
        var command = new Command("delete", "Delete a robot") { id, server, user };
        command.SetAction(async (result, ct) =>
        {
            using var api = ApiConnection.Open(result, server, user);
            var (ok, _) = await api.SendAsync(HttpMethod.Delete, $"api/v1/robots/{result.GetValue(id)}", null, ct);
            return ok ? 0 : 1;
        });
        return command;
    }
}
