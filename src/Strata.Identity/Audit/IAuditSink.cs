using Strata.Metadata.Contracts.Identity;

namespace Strata.Identity.Audit;

/// <summary>
/// Where audit entries go. Recording never fails the operation it describes and must be cheap on
/// the request path (the server's sink batches writes in the background).
/// </summary>
public interface IAuditSink
{
    void Record(AuditEntry entry);
}
