namespace Strata.Cvmfs.Writing;

/// <summary>
/// Where a publisher puts objects. Bytes are written to a pending object first and become visible
/// under their name only on <see cref="IPendingObject.CommitAsync"/>, so a reader (or a Stratum 1)
/// never sees a partial object. A filesystem today; S3 multipart in the server.
/// </summary>
public interface IObjectSink
{
    /// <summary>Starts a new object whose name is not known yet (it is the hash of what gets written).</summary>
    Task<IPendingObject> CreateAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Atomically replaces a root file (<c>.cvmfspublished</c>, <c>.cvmfswhitelist</c>). The manifest
    /// is written last in a publication, after every object it reaches.
    /// </summary>
    Task WriteRootFileAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);
}
