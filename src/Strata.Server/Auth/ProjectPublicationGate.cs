using Strata.Identity.Access;
using Strata.Metadata.Contracts.Identity;

namespace Strata.Server.Auth;

/// <summary>
/// Privacy-aware publication: an image is published only when its project is public, or when a
/// system administrator enabled publication for that private project (<c>publishPrivate</c>).
/// A repository outside any known project is not published. Checked when the publish job runs, so
/// an image of a project made private is removed from the repository at its next publication.
/// </summary>
public sealed class ProjectPublicationGate(IIdentityStore store) : IPublicationGate
{
    public async Task<bool> MayPublishAsync(string repository, CancellationToken cancellationToken)
    {
        if (ProjectNames.OfRepository(repository) is not { } name)
        {
            return false;
        }

        var project = await store.GetProjectAsync(name, cancellationToken).ConfigureAwait(false);
        return project is not null && (project.IsPublic || project.PublishPrivate);
    }
}
