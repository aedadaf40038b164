using System.IO.Compression;

namespace Strata.Cvmfs.Objects;

/// <summary>Turns stored object bytes back into content, streaming and size-bounded.</summary>
public static class ObjectDecoder
{
    /// <summary>
    /// A stream of the decoded content of <paramref name="stored"/>. It fails with
    /// <see cref="CvmfsVerificationException"/> as soon as the content grows beyond
    /// <paramref name="maxSize"/>, or, when <paramref name="expectedSize"/> is given, if the content is
    /// not exactly that long. Disposing it disposes <paramref name="stored"/>.
    /// </summary>
    public static Stream OpenRead(Stream stored, ObjectCompression compression, long maxSize, long? expectedSize, string what)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        if (expectedSize is long exact && exact > maxSize)
        {
            stored.Dispose();
            throw new CvmfsVerificationException(VerificationFailure.SizeLimitExceeded, $"{what} declares {exact} bytes, above the limit of {maxSize}.");
        }

        Stream content = compression switch
        {
            ObjectCompression.Zlib => new ZLibStream(stored, CompressionMode.Decompress, leaveOpen: false),
            ObjectCompression.None => stored,
            _ => throw new CvmfsVerificationException(VerificationFailure.Unsupported, $"Unknown compression {(int)compression}."),
        };
        return new BoundedReadStream(content, maxSize, expectedSize, what);
    }

    /// <summary>
    /// An upper bound on the stored size of content of at most <paramref name="maxContentSize"/> bytes,
    /// generous enough for any sane zlib encoder (stored blocks cost 5 bytes per 64 KiB).
    /// </summary>
    public static long MaxStoredSize(long maxContentSize, ObjectCompression compression) =>
        compression == ObjectCompression.None
            ? maxContentSize
            : maxContentSize > long.MaxValue / 2 ? long.MaxValue : maxContentSize + (maxContentSize / 64) + 1024;
}
