using Microsoft.AspNetCore.Http;
using Strata.Identity.Audit;
using Strata.Metadata.Contracts.Identity;

namespace Strata.Server.Auth;

/// <summary>
/// An audit entry waiting for its request's final status: the state of a response's
/// <c>OnCompleted</c> callback, which records the entry once the response has been sent.
/// </summary>
/// <remarks>
/// One object per audited request, handed to the static <see cref="RecordAsync"/> as the callback's
/// state, instead of a closure and a delegate per request (a manifest GET is audited on every pull).
/// </remarks>
internal sealed class CompletedRequestAudit(
    HttpContext context, IAuditSink audit, TimeProvider time, string actor, string action, string resource, string? project, string? client)
{
    /// <summary>The <c>OnCompleted</c> callback; <paramref name="state"/> is a <see cref="CompletedRequestAudit"/>.</summary>
    public static readonly Func<object, Task> RecordAsync = static state => ((CompletedRequestAudit)state).Record();

    // RecordAsync on the sink: when the audit queue is full the callback waits without holding a thread (see BatchingAuditSink).
    private Task Record()
    {
        var status = context.Response.StatusCode;
        var entry = new AuditEntry(0, time.GetUtcNow(), actor, action, resource, project, status < 400, client, status < 400 ? null : $"status {status}");
        var recording = audit.RecordAsync(entry, CancellationToken.None);
        return recording.IsCompletedSuccessfully ? Task.CompletedTask : recording.AsTask();
    }
}
