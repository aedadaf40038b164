using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata publish &lt;repository:tag&gt;</c> asks a running server to publish an image now
/// (<c>--wait</c> follows it to the end, with progress); <c>strata publish --status [image]</c>
/// shows publication states.
/// </summary>
internal static class PublishCommand
{
    public static Command Create()
    {
        var image = new Argument<string?>("image") { Description = "<repository>:<tag> to publish (or to show with --status)", Arity = ArgumentArity.ZeroOrOne };
        var server = new Option<string>("--server") { Description = "Strata server URL", DefaultValueFactory = _ => "http://127.0.0.1:5000" };
        var status = new Option<bool>("--status") { Description = "Show publication states instead of publishing" };
        var wait = new Option<bool>("--wait") { Description = "Wait until the publication ends, showing its progress" };
        var command = new Command("publish", "Publish an image to the CernVM-FS repository now, or show publication states") { image, server, status, wait };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var http = new HttpClient { BaseAddress = new Uri(result.GetValue(server)!.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
            Identity.ApiConnection.UseEnvironmentCredentials(http);
            try
            {
                var name = result.GetValue(image);
                if (result.GetValue(status))
                {
                    return await ShowStatusAsync(http, name, cancellationToken);
                }

                if (string.IsNullOrEmpty(name))
                {
                    await Console.Error.WriteLineAsync("strata publish: name the image (<repository>:<tag>), or use --status");
                    return 2;
                }

                using var response = await http.PostAsJsonAsync("api/v1/publications", new { image = name }, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    await Console.Error.WriteLineAsync($"strata publish: the server refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
                    return 1;
                }

                Console.WriteLine($"{name}: queued");
                return result.GetValue(wait) ? await WaitAsync(http, name, cancellationToken) : 0;
            }
            catch (HttpRequestException e)
            {
                await Console.Error.WriteLineAsync($"strata publish: cannot reach {http.BaseAddress} ({e.Message}); is `strata serve` running there? Use --server URL.");
                return 1;
            }
        });
        return command;
    }

    private static async Task<int> ShowStatusAsync(HttpClient http, string? image, CancellationToken cancellationToken)
    {
        var path = string.IsNullOrEmpty(image) ? "api/v1/publications" : $"api/v1/publications/status?image={Uri.EscapeDataString(image)}";
        using var response = await http.GetAsync(path, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            await Console.Error.WriteLineAsync($"strata publish: {(int)response.StatusCode} {body}");
            return 1;
        }

        using var json = JsonDocument.Parse(body);
        var items = json.RootElement.ValueKind == JsonValueKind.Array ? json.RootElement.EnumerateArray().ToList() : [json.RootElement];
        Console.WriteLine($"{"IMAGE",-50} {"STATE",-10} {"REVISION",8}  DETAIL");
        foreach (var item in items)
        {
            Console.WriteLine(Describe(item));
        }

        return 0;
    }

    private static async Task<int> WaitAsync(HttpClient http, string image, CancellationToken cancellationToken)
    {
        var last = "";
        while (true)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            using var response = await http.GetAsync($"api/v1/publications/status?image={Uri.EscapeDataString(image)}", cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                continue;
            }

            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var state = json.RootElement.GetProperty("state").GetString();
            var line = Describe(json.RootElement);
            if (line != last)
            {
                Console.WriteLine(line);
                last = line;
            }

            if (state is "succeeded")
            {
                return 0;
            }

            if (state is "failed")
            {
                return 1;
            }
        }
    }

    private static string Describe(JsonElement item)
    {
        var image = item.GetProperty("image").GetString();
        var state = item.GetProperty("state").GetString();
        var revision = item.TryGetProperty("result", out var r) && r.ValueKind == JsonValueKind.Object && r.TryGetProperty("revision", out var rev) ? rev.ToString() : "";
        var detail = item.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : $"attempts {item.GetProperty("attempts").GetInt32()}";
        return $"{image,-50} {state,-10} {revision,8}  {detail}";
    }
}
