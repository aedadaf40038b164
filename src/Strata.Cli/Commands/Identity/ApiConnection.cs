using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Strata.Cli.Commands.Identity;

/// <summary>
/// How <c>strata user|project|robot</c> reach the management API: <c>--server URL</c> and
/// <c>--user NAME</c>, the password from <c>STRATA_PASSWORD</c> (never a command-line argument,
/// which other users can read in the process list). Prints the API's own error message on failure.
/// </summary>
internal sealed class ApiConnection : IDisposable
{
    private readonly HttpClient _http;

    private ApiConnection(HttpClient http) => _http = http;

    public static Option<string> ServerOption() => new("--server") { Description = "Strata server URL", DefaultValueFactory = _ => "http://127.0.0.1:5000" };

    public static Option<string> UserOption() => new("--user")
    {
        Description = "User (or robot$ name) to act as; the password comes from STRATA_PASSWORD",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("STRATA_USER") ?? "admin",
    };

    public static ApiConnection Open(ParseResult result, Option<string> server, Option<string> user)
    {
        var http = new HttpClient { BaseAddress = new Uri(result.GetValue(server)!.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
        var password = Environment.GetEnvironmentVariable("STRATA_PASSWORD");
        if (!string.IsNullOrEmpty(password))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{result.GetValue(user)}:{password}")));
        }

        return new ApiConnection(http);
    }

    /// <summary>Sends a request; returns the parsed body, or null after printing the error (exit code 1).</summary>
    public async Task<(bool Ok, JsonNode? Body)> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var detail = TryParse(text)?["detail"]?.GetValue<string>() ?? text;
                await Console.Error.WriteLineAsync($"strata: {(int)response.StatusCode} {response.ReasonPhrase}: {detail}");
                return (false, null);
            }

            return (true, text.Length == 0 ? null : TryParse(text));
        }
        catch (HttpRequestException e)
        {
            await Console.Error.WriteLineAsync($"strata: cannot reach {_http.BaseAddress} ({e.Message}); use --server URL");
            return (false, null);
        }
    }

    /// <summary>A password for a new user or a password change: <c>STRATA_NEW_PASSWORD</c>, or the first line of standard input.</summary>
    public static string? ReadNewPassword()
    {
        var password = Environment.GetEnvironmentVariable("STRATA_NEW_PASSWORD");
        return string.IsNullOrEmpty(password) ? Console.In.ReadLine() : password;
    }

    /// <summary>Adds Basic credentials from <c>STRATA_USER</c> (default admin) and <c>STRATA_PASSWORD</c> when the latter is set.</summary>
    public static void UseEnvironmentCredentials(HttpClient http)
    {
        var password = Environment.GetEnvironmentVariable("STRATA_PASSWORD");
        if (!string.IsNullOrEmpty(password))
        {
            var user = Environment.GetEnvironmentVariable("STRATA_USER") ?? "admin";
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }
    }

    public void Dispose() => _http.Dispose();

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
