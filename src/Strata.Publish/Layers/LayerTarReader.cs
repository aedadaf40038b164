using System.Buffers;
using System.Text;

namespace Strata.Publish.Layers;

/// <summary>
/// A strict, streaming tar reader for image layers. Decisions, each because layers are untrusted:
/// <list type="bullet">
/// <item>Metadata records (PAX <c>x</c>/<c>g</c>, GNU <c>L</c>/<c>K</c>) are bounded by
/// <see cref="LayerLimits.MaxMetadataRecordBytes"/>; paths and link targets by
/// <see cref="LayerLimits.MaxPathBytes"/>.</item>
/// <item>Paths are normalized (leading <c>/</c> and <c>./</c> dropped, as GNU tar does) and any
/// <c>..</c> component fails the layer. Hardlink targets get the same treatment. Symlink targets
/// are kept verbatim: they are resolved inside the container's root at run time, and the
/// publisher never follows them.</item>
/// <item>Sparse, multi-volume and unknown entry types fail the layer; a truncated entry or
/// header fails it.</item>
/// <item>A stream that ends at a header boundary, or inside the padding after the last file's data,
/// without end-of-archive blocks is accepted (umoci's <c>insert</c> writes such layers and Go's
/// archive/tar, hence containerd and podman, accept them).</item>
/// </list>
/// Only the current entry's data is readable (<see cref="OpenContent"/>); moving on skips the rest.
/// </summary>
public sealed class LayerTarReader(Stream tar, LayerLimits limits) : IAsyncDisposable
{
    private readonly byte[] _block = new byte[TarHeader.BlockSize];
    private readonly PaxRecords _global = new();
    private long _remaining;
    private long _padding;
    private long _entries;
    private bool _ended;

    /// <summary>Reads the next entry, or null at the end of the archive.</summary>
    public async ValueTask<LayerEntry?> NextAsync(CancellationToken cancellationToken)
    {
        await SkipAsync(_remaining, cancellationToken).ConfigureAwait(false);
        if (!await SkipPaddingAsync(_padding, cancellationToken).ConfigureAwait(false))
        {
            // umoci's `insert` ends a layer right after the last file's data, without padding or
            // end-of-archive blocks; Go's archive/tar (containerd, podman) accepts that, so do we.
            _ended = true;
        }

        _remaining = _padding = 0;
        if (_ended)
        {
            return null;
        }

        var local = new PaxRecords();
        string? longName = null, longLink = null;
        while (true)
        {
            if (!await ReadBlockAsync(allowEnd: local.IsEmpty && longName is null && longLink is null, cancellationToken).ConfigureAwait(false)
                || TarHeader.IsZeroBlock(_block))
            {
                _ended = true;
                return null;
            }

            var header = TarHeader.Parse(_block);
            switch (header.TypeFlag)
            {
                case (byte)'x':
                    local.Parse(await ReadRecordAsync(header.Size, "PAX header", cancellationToken).ConfigureAwait(false));
                    continue;
                case (byte)'g':
                    _global.Parse(await ReadRecordAsync(header.Size, "PAX global header", cancellationToken).ConfigureAwait(false));
                    continue;
                case (byte)'L':
                    longName = CString(await ReadRecordAsync(header.Size, "GNU long name", cancellationToken).ConfigureAwait(false));
                    continue;
                case (byte)'K':
                    longLink = CString(await ReadRecordAsync(header.Size, "GNU long link", cancellationToken).ConfigureAwait(false));
                    continue;
            }

            if (++_entries > limits.MaxEntries)
            {
                throw new LayerFormatException($"layer has more than {limits.MaxEntries} entries");
            }

            local.InheritFrom(_global);
            return Build(header, local, longName, longLink);
        }
    }

    /// <summary>The data of the current entry (empty for anything but a regular file). Valid until the next <see cref="NextAsync"/>.</summary>
    public Stream OpenContent() => new EntryContentStream(this);

    private LayerEntry Build(TarHeader header, PaxRecords pax, string? longName, string? longLink)
    {
        var rawPath = pax.Path ?? longName ?? header.Name;
        var type = header.TypeFlag switch
        {
            (byte)'0' or 0 or (byte)'7' => rawPath.EndsWith('/') ? LayerEntryType.Directory : LayerEntryType.File,
            (byte)'1' => LayerEntryType.Hardlink,
            (byte)'2' => LayerEntryType.Symlink,
            (byte)'3' => LayerEntryType.CharacterDevice,
            (byte)'4' => LayerEntryType.BlockDevice,
            (byte)'5' => LayerEntryType.Directory,
            (byte)'6' => LayerEntryType.Fifo,
            var other => throw new LayerFormatException($"unsupported tar entry type '{(char)other}' at '{rawPath}'"),
        };

        var size = pax.Size ?? header.Size;
        _remaining = size;
        _padding = (TarHeader.BlockSize - size % TarHeader.BlockSize) % TarHeader.BlockSize;
        var path = LayerPath.Normalize(rawPath, limits.MaxPathBytes);
        string? target = null;
        if (type == LayerEntryType.Hardlink)
        {
            target = LayerPath.Normalize(pax.LinkPath ?? longLink ?? header.LinkName, limits.MaxPathBytes);
            if (target.Length == 0)
            {
                throw new LayerFormatException($"hardlink '{path}' has no target");
            }
        }
        else if (type == LayerEntryType.Symlink)
        {
            target = pax.LinkPath ?? longLink ?? header.LinkName;
            if (target.Length == 0 || Encoding.UTF8.GetByteCount(target) > limits.MaxPathBytes || target.Contains('\0'))
            {
                throw new LayerFormatException($"symlink '{path}' has an empty, oversized or invalid target");
            }
        }

        var (mtime, nanos) = pax.Mtime ?? (header.Mtime, 0);
        return new LayerEntry(
            path, type, header.Mode & 0xFFF, pax.Uid ?? header.Uid, pax.Gid ?? header.Gid,
            type == LayerEntryType.File ? size : 0, mtime, nanos, target,
            pax.Xattrs.Count == 0 ? null : new Dictionary<string, byte[]>(pax.Xattrs, StringComparer.Ordinal),
            header.DeviceMajor, header.DeviceMinor);
    }

    private async ValueTask<byte[]> ReadRecordAsync(long size, string what, CancellationToken cancellationToken)
    {
        if (size > limits.MaxMetadataRecordBytes)
        {
            throw new LayerFormatException($"{what} of {size} bytes exceeds the limit of {limits.MaxMetadataRecordBytes}");
        }

        var data = new byte[size];
        await ReadExactAsync(data, cancellationToken).ConfigureAwait(false);
        await SkipAsync((TarHeader.BlockSize - size % TarHeader.BlockSize) % TarHeader.BlockSize, cancellationToken).ConfigureAwait(false);
        return data;
    }

    /// <summary>Reads one header block; false at a clean end of stream (only where <paramref name="allowEnd"/>).</summary>
    private async ValueTask<bool> ReadBlockAsync(bool allowEnd, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < _block.Length)
        {
            var n = await tar.ReadAsync(_block.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                if (filled == 0 && allowEnd)
                {
                    return false;
                }

                throw new LayerFormatException("layer tar stream is truncated (inside a header)");
            }

            filled += n;
        }

        return true;
    }

    private async ValueTask ReadExactAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            var n = await tar.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new LayerFormatException("layer tar stream is truncated (inside an entry)");
            }

            buffer = buffer[n..];
        }
    }

    /// <summary>Skips block padding; false when the stream ended inside it.</summary>
    private async ValueTask<bool> SkipPaddingAsync(long count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            var n = await tar.ReadAsync(_block.AsMemory(0, (int)count), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            count -= n;
        }

        return true;
    }

    private async ValueTask SkipAsync(long count, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (count > 0)
            {
                var chunk = buffer.AsMemory(0, (int)Math.Min(buffer.Length, count));
                await ReadExactAsync(chunk, cancellationToken).ConfigureAwait(false);
                count -= chunk.Length;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal async ValueTask<int> ReadContentAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_remaining == 0 || buffer.IsEmpty)
        {
            return 0;
        }

        var n = await tar.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _remaining)], cancellationToken).ConfigureAwait(false);
        if (n == 0)
        {
            throw new LayerFormatException("layer tar stream is truncated (inside file data)");
        }

        _remaining -= n;
        return n;
    }

    private static string CString(byte[] data)
    {
        var end = Array.IndexOf(data, (byte)0);
        return Encoding.UTF8.GetString(data, 0, end < 0 ? data.Length : end);
    }

    public ValueTask DisposeAsync() => tar.DisposeAsync();
}
