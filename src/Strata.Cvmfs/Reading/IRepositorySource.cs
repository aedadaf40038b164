namespace Strata.Cvmfs.Reading;

/// <summary>
/// Where a reader gets repository files: the signed root files (<c>.cvmfspublished</c>,
/// <c>.cvmfswhitelist</c>) and the objects below <c>data/</c>. A local directory today; HTTP with
/// proxy and mirror failover in the client. Nothing returned here is trusted: the reader verifies it.
/// </summary>
public interface IRepositorySource
{
    /// <summary>
    /// Opens <paramref name="path"/> (relative to the repository root, e.g. <c>.cvmfspublished</c> or
    /// <c>data/d6/d19a…C</c>) for sequential reading. Throws <see cref="CvmfsNotFoundException"/>
    /// when the source does not have it.
    /// </summary>
    Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken);
}
