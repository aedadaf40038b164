using Strata.Cvmfs.Reading;

namespace Strata.Client.Repository;

/// <summary>
/// One verified revision of the repository as the client serves it. Lookups made through a view stay
/// on its revision; a newer revision is a new view, and old views live on while files opened through
/// them are still open.
/// </summary>
public sealed class RevisionView : IAsyncDisposable
{
    private readonly EnsembleSource _source;
    private int _references = 1;

    internal RevisionView(RepositoryReader reader, EnsembleSource source, int mirror, bool offline, DateTimeOffset loadedAt)
    {
        Reader = reader;
        _source = source;
        Mirror = mirror;
        Offline = offline;
        LoadedAt = loadedAt;
    }

    /// <summary>The verifying reader of this revision.</summary>
    public RepositoryReader Reader { get; }

    /// <summary>Manifest revision (<c>S</c>).</summary>
    public long ManifestRevision => Reader.Manifest.Manifest.Revision;

    /// <summary>Revision of the root catalog served (differs from the manifest's with a tag).</summary>
    public long Revision => Reader.Revision;

    /// <summary>Root catalog hash served.</summary>
    public string RootHash => Reader.RootCatalogHash.ToString();

    /// <summary>Index of the mirror whose manifest this is (-1 when loaded from the cache).</summary>
    public int Mirror { get; }

    /// <summary>True when the manifest came from the cache because no mirror answered.</summary>
    public bool Offline { get; }

    /// <summary>When the manifest was accepted.</summary>
    public DateTimeOffset LoadedAt { get; }

    /// <summary>Takes a reference (an open file on this revision); released with <see cref="ReleaseAsync"/>.</summary>
    public bool TryAddReference()
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>Drops a reference; the last one closes the reader.</summary>
    public async ValueTask ReleaseAsync()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            _source.ReleasePins();
            await Reader.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ReleaseAsync();
}
