using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Strata.Identity.Accounts;
using Strata.Identity.Rbac;
using Strata.Metadata.Contracts.Identity;
using Strata.Server.Auth;
using static Strata.Server.Management.IdentityApi;

namespace Strata.Server.Management;

/// <summary>
/// <c>/api/v1/audit-logs</c>: the audit log, newest first, filtered by <c>actor</c>, <c>action</c>,
/// <c>project</c>, <c>from</c>/<c>to</c> (RFC 3339) and paged by <c>before</c> (an id) and <c>limit</c>
/// (≤ 1000); <c>/export?format=csv|jsonl</c> streams every matching entry. A system administrator
/// sees everything; anyone else must name a project where it may read the log (guest and up).
/// </summary>
public static class AuditEndpoints
{
    private const int MaxLimit = 1000;

    public static void Map(IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/audit-logs");
        group.MapGet("", Handler(c => RunAsync(c, async caller =>
        {
            var query = await AuthorizedQueryAsync(c, caller);
            var entries = await Store(c).QueryAuditAsync(query, c.RequestAborted);
            return Json(entries.ToList(), IdentityJsonContext.Default.ListAuditEntry);
        })));
        group.MapGet("/export", Handler(c => RunAsync(c, async caller =>
        {
            var format = c.Request.Query["format"].ToString() is { Length: > 0 } f ? f : "jsonl";
            if (format is not ("csv" or "jsonl"))
            {
                throw IdentityException.Invalid("format must be csv or jsonl");
            }

            var query = (await AuthorizedQueryAsync(c, caller)) with { Limit = MaxLimit, BeforeId = null };
            await ExportAsync(c, query, format);
            return Results.Empty;
        })));
    }

    private static async Task<AuditQuery> AuthorizedQueryAsync(HttpContext context, Caller caller)
    {
        var q = context.Request.Query;
        var limit = 100;
        if (q["limit"] is { Count: > 0 } l && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxLimit))
        {
            throw IdentityException.Invalid($"limit must be 1 to {MaxLimit}");
        }

        long? before = null;
        if (q["before"] is { Count: > 0 } b)
        {
            before = long.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : throw IdentityException.Invalid("before must be an entry id");
        }

        var query = new AuditQuery(Text(q["actor"]), Text(q["action"]), Text(q["project"]), Time(q["from"], "from"), Time(q["to"], "to"), before, limit);
        if (!caller.Principal.IsAdmin)
        {
            if (query.Project is null)
            {
                throw IdentityException.Forbidden("only a system administrator may read the whole audit log; name a project (?project=…)");
            }

            await context.RequestServices.GetRequiredService<ProjectAccounts>().RequireAsync(caller, query.Project, Resources.Log, Actions.List, context.RequestAborted);
        }

        // Entries are written in the background; make what was recorded before this request visible.
        if (context.RequestServices.GetService<BatchingAuditSink>() is { } sink)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                await sink.FlushAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
            {
                // Busy writer: answer with what is stored.
            }
        }

        return query;
    }

    private static async Task ExportAsync(HttpContext context, AuditQuery query, string format)
    {
        var response = context.Response;
        response.ContentType = format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson";
        response.Headers.ContentDisposition = $"attachment; filename=\"audit-log.{format}\"";
        var store = Store(context);
        if (format == "csv")
        {
            await response.WriteAsync("id,at,actor,action,resource,project,success,client,detail\n", context.RequestAborted);
        }

        while (true)
        {
            var page = await store.QueryAuditAsync(query, context.RequestAborted);
            var text = new StringBuilder();
            foreach (var entry in page)
            {
                text.Append(format == "csv" ? Csv(entry) : JsonSerializer.Serialize(entry, IdentityJsonContext.Default.AuditEntry)).Append('\n');
            }

            await response.WriteAsync(text.ToString(), context.RequestAborted);
            if (page.Count < query.Limit)
            {
                return;
            }

            query = query with { BeforeId = page[^1].Id };
        }
    }

    private static string Csv(AuditEntry e) => string.Join(',',
        e.Id.ToString(CultureInfo.InvariantCulture), e.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), Field(e.Actor), Field(e.Action),
        Field(e.Resource), Field(e.Project), e.Success ? "true" : "false", Field(e.Client), Field(e.Detail));

    /// <summary>RFC 4180 quoting; a leading formula character is neutralized so spreadsheets do not evaluate user-chosen names.</summary>
    private static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }

        return "\"" + value.Replace("\"", "\"\"") + "\"";
    }

    private static string? Text(Microsoft.Extensions.Primitives.StringValues value)
    {
        var text = value.ToString();
        return text.Length == 0 ? null : text.Length > 255 ? throw IdentityException.Invalid("filter values are at most 255 characters") : text;
    }

    private static DateTimeOffset? Time(Microsoft.Extensions.Primitives.StringValues value, string name)
    {
        var text = value.ToString();
        if (text.Length == 0)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw IdentityException.Invalid($"{name} must be a time such as 2026-01-31T12:00:00Z");
    }

    private static IIdentityStore Store(HttpContext context) => context.RequestServices.GetRequiredService<IIdentityStore>();
}
