using Strata.Identity.Audit;
using Strata.Metadata.Contracts.Identity;

namespace Strata.Identity.Accounts;

/// <summary>Writes the audit entry of a management change made by <see cref="Caller"/>.</summary>
internal static class AccountAudit
{
    public static void Record(this IAuditSink sink, TimeProvider time, Caller caller, string action, string resource, string? project, string? detail = null) =>
        sink.Record(new AuditEntry(0, time.GetUtcNow(), caller.Principal.DisplayName, action, resource, project, true, caller.Client, detail));
}
