using System.CommandLine;
using System.Text.Json.Nodes;

namespace Strata.Cli.Commands.Identity;

/// <summary><c>strata project list|create|delete|member …</c> through the management API.</summary>
internal static class ProjectCommand
{
    public static Command Create()
    {
        var command = new Command("project", "Manage projects and their members (needs a running server)");
        command.Subcommands.Add(List());
        command.Subcommands.Add(CreateProject());
        command.Subcommands.Add(Delete());
        command.Subcommands.Add(Member());
        return command;
    }

    private static Command List()
    {
        var (server, user) = (ApiConnection.ServerOption(), ApiConnection.UserOption());
        var command = new Command("list", "List the projects you can see") { server, user };
        command.SetAction(async (result, ct) =>
        {
            using var api = ApiConnection.Open(result, server, user);
            var (ok, body) = await api.SendAsync(HttpMethod.Get, "api/v1/projects", null, ct);
            if (!ok)
            {
                return 1;
            }

            Console.WriteLine($"{"PROJECT",-32} {"VISIBILITY",-10} {"QUOTA",14}  PUBLISH-PRIVATE");
            foreach (var p in body!.AsArray())
            {
                var quota = p!["storageQuotaBytes"]!.GetValue<long>();
                Console.WriteLine($"{p["name"],-32} {(p["public"]!.GetValue<bool>() ? "public" : "private"),-10} {(quota < 0 ? "unlimited" : quota.ToString(System.Globalization.CultureInfo.InvariantCulture)),14}  {p["publishPrivate"]}");
            }

            return 0;
        });
        return command;
    }

    private static Command CreateProject()
    {
        var (server, user) = (ApiConnection.ServerOption(), ApiConnection.UserOption());
        var name = new Argument<string>("name");
        var isPublic = new Option<bool>("--public") { Description = "Anyone may pull (anonymous too)" };
        var command = new Command("create", "Create a project (you become its project admin)") { name, isPublic, server, user };
        command.SetAction(async (result, ct) =>
        {
            using var api = ApiConnection.Open(result, server, user);
            var (ok, _) = await api.SendAsync(HttpMethod.Post, "api/v1/projects",
                new JsonObject { ["name"] = result.GetValue(name), ["public"] = result.GetValue(isPublic) }, ct);
            return ok ? 0 : 1;
        });
        return command;
    }

    private static Command Delete()
    {
        var (server, user) = (ApiConnection.ServerOption(), ApiConnection.UserOption());
        var name = new Argument<string>("name");
        var command = new Command("delete", "Delete an empty project") { name, server, user };
        command.SetAction(async (result, ct) =>
        {
            using var api = ApiConnection.Open(result, server, user);
            var (ok, _) = await api.SendAsync(HttpMethod.Delete, $"api/v1/projects/{Uri.EscapeDataString(result.GetValue(name)!)}", null, ct);
            return ok ? 0 : 1;
        });
        return command;
    }

    private static Command Member()
    {
        var command = new Command("member", "List, add (or change the role of) and remove project members");
        {
            var (server, user) = (ApiConnection.ServerOption(), ApiConnection.UserOption());
            var project = new Argument<string>("project");
            var list = new Command("list", "List members and roles") { project, server, user };
            list.SetAction(async (result, ct) =>
            {
                using var api = ApiConnection.Open(result, server, user);
                var (ok, body) = await api.SendAsync(HttpMethod.Get, $"api/v1/projects/{Uri.EscapeDataString(result.GetValue(project)!)}/members", null, ct);
                if (ok)
                {
                    foreach (var m in body!.AsArray())
                    {
                        Console.WriteLine($"{m!["username"],-32} {m["role"]}");
                    }
                }

                return ok ? 0 : 1;
            });
            command.Subcommands.Add(list);
        }

        {
            var (server, user) = (ApiConnection.ServerOption(), ApiConnection.UserOption());
            var project = new Argument<string>("project");
            var member = new Argument<string>("user");
            var role = new Argument<string>("role") { Description = "projectAdmin, maintainer, developer, guest or limitedGuest" };
            var add = new Command("add", "Add a member, or change its role") { project, member, role, server, user };
            add.SetAction(async (result, ct) =>
            {
                using var api = ApiConnection.Open(result, server, user);
                var (ok, _) = await api.SendAsync(HttpMethod.Post, $"api/v1/projects/{Uri.EscapeDataString(result.GetValue(project)!)}/members",
                    new JsonObject { ["username"] = result.GetValue(member), ["role"] = result.GetValue(role) }, ct);
                return ok ? 0 : 1;
            });
            command.Subcommands.Add(add);
        }

        {
            var (server, user) = (ApiConnection.ServerOption(), ApiConnection.UserOption());
            var project = new Argument<string>("project");
            var member = new Argument<string>("user");
            var remove = new Command("remove", "Remove a member") { project, member, server, user };
            remove.SetAction(async (result, ct) =>
            {
                using var api = ApiConnection.Open(result, server, user);
                var (ok, _) = await api.SendAsync(HttpMethod.Delete,
                    $"api/v1/projects/{Uri.EscapeDataString(result.GetValue(project)!)}/members/{Uri.EscapeDataString(result.GetValue(member)!)}", null, ct);
                return ok ? 0 : 1;
            });
            command.Subcommands.Add(remove);
        }

        return command;
    }
}
