using Strata.Cvmfs.Objects;

namespace Strata.Cvmfs.Writing;

/// <summary>An object being written. Disposing it without committing discards it.</summary>
public interface IPendingObject : IAsyncDisposable
{
    /// <summary>The stored (already compressed) bytes go here.</summary>
    Stream Content { get; }

    /// <summary>
    /// Makes the object visible as <paramref name="id"/>. If an object of that name exists already
    /// (same hash, so same bytes) the pending copy is dropped.
    /// </summary>
    Task CommitAsync(ObjectId id, CancellationToken cancellationToken);
}
