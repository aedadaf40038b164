using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Strata.Identity.Accounts;
using Strata.Identity.Principals;
using Strata.Server.Auth;

namespace Strata.Server.Management;

/// <summary>
/// What every identity endpoint shares: who the caller is (Basic or Bearer, anonymous allowed;
/// with <c>Auth:Enabled</c> off, an administrator), reading a bounded JSON body, and turning
/// refusals into RFC 9457 problem details with a message saying what is wrong. Nothing is
/// changed unless the request was valid and permitted.
/// </summary>
internal static class IdentityApi
{
    /// <summary>Largest request body accepted (the biggest legitimate one, a robot with 100 grants, is a few KB).</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>The caller when access control is off.</summary>
    private static readonly Principal OpenAdministrator = new(PrincipalKind.User, "anonymous", 0, true, "");

    /// <summary>
    /// A handler taking only the context, typed as <see cref="Delegate"/>: a lambda would otherwise bind
    /// to the <c>RequestDelegate</c> overload of <c>Map*</c>, which discards the returned result.
    /// </summary>
    public static Delegate Handler(Func<HttpContext, Task<IResult>> handler) => handler;

    public static async Task<IResult> RunAsync(HttpContext context, Func<Caller, Task<IResult>> action)
    {
        var client = RequestAuthenticator.ClientAddress(context);
        Caller caller;
        if (!context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.Enabled)
        {
            caller = new Caller(OpenAdministrator, client);
        }
        else
        {
            var authentication = await context.RequestServices.GetRequiredService<RequestAuthenticator>().AuthenticateAsync(context);
            if (authentication.Principal is not { } principal)
            {
                if (authentication.RetryAfter is { } wait)
                {
                    context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "too many requests", detail: authentication.Failure);
                }

                return Unauthorized(context, authentication.Failure ?? "authentication required");
            }

            caller = new Caller(principal, client);
        }

        try
        {
            return await action(caller);
        }
        catch (IdentityException e) when (e.Kind is IdentityErrorKind.Forbidden or IdentityErrorKind.NotFound && caller.Principal.IsAnonymous)
        {
            return Unauthorized(context, "sign in first (HTTP Basic or a bearer token from /service/token)");
        }
        catch (IdentityException e)
        {
            return Results.Problem(statusCode: Status(e.Kind), title: Title(e.Kind), detail: e.Message);
        }
        catch (BodyException e)
        {
            return Results.Problem(statusCode: e.Status, title: e.Status == StatusCodes.Status413PayloadTooLarge ? "payload too large" : "bad request", detail: e.Message);
        }
    }

    /// <summary>Reads and parses the JSON body (at most <see cref="MaxBodyBytes"/>); a bad one is a 400 (413 when too large).</summary>
    public static async Task<T> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> type) where T : class
    {
        if (context.Request.ContentLength is > MaxBodyBytes)
        {
            throw new BodyException(StatusCodes.Status413PayloadTooLarge, $"the body must be at most {MaxBodyBytes} bytes");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new BodyException(StatusCodes.Status413PayloadTooLarge, $"the body must be at most {MaxBodyBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            throw new BodyException(StatusCodes.Status400BadRequest, "a JSON body is required");
        }

        try
        {
            return JsonSerializer.Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), type)
                ?? throw new BodyException(StatusCodes.Status400BadRequest, "the body must be a JSON object, not null");
        }
        catch (JsonException e)
        {
            throw new BodyException(StatusCodes.Status400BadRequest, $"the body is not valid JSON for this request: {e.Message}");
        }
    }

    public static IResult Json<T>(T value, JsonTypeInfo<T> type, int status = StatusCodes.Status200OK) => Results.Json(value, type, statusCode: status);

    public static long ParseId(string text) =>
        long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw IdentityException.Invalid($"'{(text.Length > 40 ? text[..40] : text)}' is not a robot id (a positive number)");

    private static IResult Unauthorized(HttpContext context, string detail)
    {
        context.Response.Headers.WWWAuthenticate = $"Basic realm=\"{context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.Service}\"";
        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "unauthorized", detail: detail);
    }

    private static int Status(IdentityErrorKind kind) => kind switch
    {
        IdentityErrorKind.Invalid => StatusCodes.Status400BadRequest,
        IdentityErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        IdentityErrorKind.NotFound => StatusCodes.Status404NotFound,
        _ => StatusCodes.Status409Conflict,
    };

    private static string Title(IdentityErrorKind kind) => kind switch
    {
        IdentityErrorKind.Invalid => "bad request",
        IdentityErrorKind.Forbidden => "forbidden",
        IdentityErrorKind.NotFound => "not found",
        _ => "conflict",
    };

    /// <summary>A request body that cannot be used.</summary>
    private sealed class BodyException(int status, string message) : Exception(message)
    {
        public int Status { get; } = status;
    }
}
