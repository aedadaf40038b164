namespace Strata.Server.Auth;

/// <summary>Whether a repository's images may appear in the (public) CernVM-FS repository.</summary>
public interface IPublicationGate
{
    Task<bool> MayPublishAsync(string repository, CancellationToken cancellationToken);
}
