using Strata.Client.Repository;
using Strata.Cvmfs.Reading;

namespace Strata.Client.Fuse;

/// <summary>
/// An inode the kernel knows: its number, the entry it was last looked up as, the revision that
/// entry came from, and the kernel's lookup count (the node is dropped when FORGET brings it to 0).
/// </summary>
internal sealed class FsNode
{
    private RevisionView? _cachedListing;

    public FsNode(ulong id, string key, RepositoryEntry entry, RevisionView view)
    {
        Id = id;
        Key = key;
        Entry = entry;
        View = view;
    }

    public ulong Id { get; }

    /// <summary>Identity in <see cref="NodeTable"/>: see <see cref="NodeTable.KeyOf"/>.</summary>
    public string Key { get; }

    public RepositoryEntry Entry { get; set; }

    public RevisionView View { get; set; }

    public string Path => Entry.Path;

    public long Lookups { get; set; }

    /// <summary>
    /// For a directory: records that the kernel's readdir cache (FOPEN_CACHE_DIR) now holds the listing
    /// of <paramref name="view"/>, and says whether it already held that revision's listing before.
    /// </summary>
    public bool SwapCachedListing(RevisionView view) => ReferenceEquals(Interlocked.Exchange(ref _cachedListing, view), view);
}
