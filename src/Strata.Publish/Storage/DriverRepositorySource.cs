using Strata.Cvmfs;
using Strata.Cvmfs.Reading;
using Strata.Storage.Drivers;

namespace Strata.Publish.Storage;

/// <summary>Reads a repository stored under <c>cvmfs/&lt;fqrn&gt;/</c> of a blob driver (for the verifying reader and the publisher's own look-ups).</summary>
public sealed class DriverRepositorySource(IBlobDriver driver, string repositoryName) : IRepositorySource
{
    private readonly string _prefix = CvmfsStoragePaths.Prefix(repositoryName);

    public async Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await driver.OpenReadAsync(_prefix + path, 0, cancellationToken).ConfigureAwait(false);
        }
        catch (StoredObjectNotFoundException e)
        {
            throw new CvmfsNotFoundException(path, e);
        }
    }
}
