using System.Globalization;
using System.Text;
using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Reading;

namespace Strata.Client.Repository;

/// <summary>File content and the cvmfs-style virtual attributes.</summary>
public sealed partial class RepositoryClient
{
    /// <summary>Opens a regular file of <paramref name="view"/>; the returned content keeps the revision alive.</summary>
    public async Task<FileContent> OpenFileAsync(RevisionView view, RepositoryEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Row.Flags.HasFlag(EntryFlags.External))
        {
            throw new IOException($"{entry.Path} is an external file, which this client does not read.");
        }

        if (!view.TryAddReference())
        {
            throw new ObjectDisposedException(nameof(RevisionView));
        }

        IReadOnlyList<ChunkRecord> chunks;
        try
        {
            chunks = await view.Reader.GetChunksAsync(entry, cancellationToken).ConfigureAwait(false);
            if (chunks.Count == 0 && entry.Row.Size > 0)
            {
                throw new IOException($"{entry.Path} has neither a content hash nor chunks.");
            }
        }
        catch
        {
            await view.ReleaseAsync().ConfigureAwait(false);
            throw;
        }

        // From here the content owns the revision reference.
        var content = new FileContent(chunks, entry.Row.Compression, entry.Row.IsChunked, entry.Row.Size, Cache, Fetcher, view);
        if (!entry.Row.IsChunked)
        {
            try
            {
                await content.PrefetchFirstAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await content.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        return content;
    }

    /// <summary>
    /// The virtual attribute <paramref name="name"/> of an entry (cvmfs "magic" xattrs), or null when
    /// it has none. Computed from the catalog; nothing is fetched.
    /// </summary>
    public async Task<string?> GetMagicAttributeAsync(RevisionView view, RepositoryEntry entry, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(entry);
        switch (name)
        {
            case "user.fqrn":
                return Fqrn;
            case "user.revision":
                return view.Revision.ToString(CultureInfo.InvariantCulture);
            case "user.root_hash":
                return view.RootHash;
            case "user.host":
                return Fetcher.Mirrors[Fetcher.CurrentMirror].AbsoluteUri.TrimEnd('/');
            case "user.host_list":
                return string.Join(';', Fetcher.Mirrors.Select(m => m.AbsoluteUri.TrimEnd('/')));
            case "user.proxy":
            case "user.proxy_list":
                return _options.Network.Proxies.ToString();
            case "user.tag":
                return view.Reader.Tag?.Name ?? string.Empty;
            case "user.expires":
                return ((long)(_nextCheck - _options.TimeProvider.GetUtcNow()).TotalMinutes).ToString(CultureInfo.InvariantCulture);
            case "user.pubkeys":
                return _options.MasterKeys.Count.ToString(CultureInfo.InvariantCulture);
            case "user.version":
                return "strata-1";
            case "user.pid":
                return Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
            case "user.ndownload":
                return Statistics.Downloads.ToString(CultureInfo.InvariantCulture);
            case "user.rx":
                return (Statistics.BytesFetched / 1024).ToString(CultureInfo.InvariantCulture);
            case "user.nioerr":
                return Statistics.IoErrors.ToString(CultureInfo.InvariantCulture);
        }

        if (entry.Kind == EntryKind.Symlink && name == "user.rawlink")
        {
            return entry.Row.Symlink;
        }

        if (entry.Kind != EntryKind.File)
        {
            return null;
        }

        switch (name)
        {
            case "user.hash":
                return entry.Row.IsChunked ? null : entry.ContentHash?.ToString();
            case "user.compression":
                return entry.Row.Compression == ObjectCompression.None ? "none" : "zlib";
            case "user.chunks":
            case "user.chunk_list":
                var chunks = await view.Reader.GetChunksAsync(entry, cancellationToken).ConfigureAwait(false);
                if (name == "user.chunks")
                {
                    return chunks.Count.ToString(CultureInfo.InvariantCulture);
                }

                var list = new StringBuilder("hash,offset,size\n");
                foreach (var chunk in chunks)
                {
                    list.Append(CultureInfo.InvariantCulture, $"{chunk.Hash},{chunk.Offset},{chunk.Size}\n");
                }

                return list.ToString();
            default:
                return null;
        }
    }

    /// <summary>The virtual attribute names this client answers.</summary>
    public static IReadOnlyList<string> MagicAttributeNames { get; } =
    [
        "user.chunk_list", "user.chunks", "user.compression", "user.expires", "user.fqrn", "user.hash", "user.host",
        "user.host_list", "user.ndownload", "user.nioerr", "user.pid", "user.proxy", "user.proxy_list", "user.pubkeys",
        "user.rawlink", "user.revision", "user.root_hash", "user.rx", "user.tag", "user.version",
    ];
}
