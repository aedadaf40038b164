using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Strata.Oci.Errors;

namespace Strata.Server.Http;

/// <summary>Writes the spec's error envelope: <c>{"errors":[{"code","message","detail"}]}</c>.</summary>
internal static class OciErrorWriter
{
    public static Task WriteAsync(HttpContext context, OciErrorCode code, string message, object? detail)
    {
        context.Response.StatusCode = code.HttpStatus;
        return JsonResponse.WriteAsync(context, "application/json", json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("errors");
            json.WriteStartObject();
            json.WriteString("code", code.Code);
            json.WriteString("message", message);
            json.WritePropertyName("detail");
            if (detail is null)
            {
                json.WriteStartObject();
                json.WriteEndObject();
            }
            else
            {
                // Details are small anonymous objects built by the registry itself, never user types.
#pragma warning disable IL2026, IL3050
                JsonSerializer.Serialize(json, detail, detail.GetType());
#pragma warning restore IL2026, IL3050
            }

            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }
}
