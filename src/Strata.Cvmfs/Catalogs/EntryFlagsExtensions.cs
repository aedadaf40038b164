using Strata.Cvmfs.Objects;

namespace Strata.Cvmfs.Catalogs;

/// <summary>Decodes and encodes the multi-bit fields inside <see cref="EntryFlags"/>.</summary>
public static class EntryFlagsExtensions
{
    private const int HashAlgorithmShift = 8;
    private const int CompressionShift = 11;

    /// <summary>The content hash algorithm: bits 8–10 hold cvmfs's algorithm id minus one (0 = SHA-1).</summary>
    public static ContentHashAlgorithm HashAlgorithm(this EntryFlags flags) =>
        (ContentHashAlgorithm)((((int)flags & (int)EntryFlags.HashAlgorithmMask) >> HashAlgorithmShift) + 1);

    /// <summary>The compression of the entry's objects: bits 11–13 (0 = zlib, 1 = none).</summary>
    public static ObjectCompression Compression(this EntryFlags flags) =>
        (ObjectCompression)(((int)flags & (int)EntryFlags.CompressionMask) >> CompressionShift);

    /// <summary>Replaces the hash algorithm and compression bits.</summary>
    public static EntryFlags WithContentEncoding(this EntryFlags flags, ContentHashAlgorithm algorithm, ObjectCompression compression)
    {
        var cleared = (int)flags & ~((int)EntryFlags.HashAlgorithmMask | (int)EntryFlags.CompressionMask);
        return (EntryFlags)(cleared | (((int)algorithm - 1) << HashAlgorithmShift) | ((int)compression << CompressionShift));
    }
}
