using System.Diagnostics.CodeAnalysis;

namespace Strata.Cvmfs.Objects;

/// <summary>
/// A 160-bit content hash with its algorithm, as cvmfs writes it: lowercase hex followed by the
/// algorithm suffix (<c>""</c> for SHA-1, <c>-rmd160</c>, <c>-shake128</c>).
/// </summary>
/// <remarks>
/// Every algorithm cvmfs uses for content has 20-byte digests (<c>kDigestSizes</c> in crypto/hash.h),
/// so the digest length never depends on the algorithm.
/// </remarks>
public readonly struct ContentHash : IEquatable<ContentHash>
{
    /// <summary>Digest size of every content hash algorithm.</summary>
    public const int DigestSize = 20;

    private readonly byte[]? _digest;

    private ContentHash(ContentHashAlgorithm algorithm, byte[] digest)
    {
        Algorithm = algorithm;
        _digest = digest;
    }

    /// <summary>The algorithm that produced the digest.</summary>
    public ContentHashAlgorithm Algorithm { get; }

    /// <summary>The raw 20-byte digest (empty for <c>default</c>).</summary>
    public ReadOnlySpan<byte> Digest => _digest;

    /// <summary>True for <c>default(ContentHash)</c>.</summary>
    public bool IsEmpty => _digest is null;

    /// <summary>The algorithm suffix cvmfs appends to hex names.</summary>
    public string AlgorithmSuffix => SuffixOf(Algorithm);

    /// <summary>Wraps a raw digest.</summary>
    public static ContentHash FromDigest(ContentHashAlgorithm algorithm, ReadOnlySpan<byte> digest)
    {
        if (digest.Length != DigestSize)
        {
            throw new CvmfsFormatException($"A content hash digest has {DigestSize} bytes, not {digest.Length}.");
        }

        _ = SuffixOf(algorithm);
        return new ContentHash(algorithm, digest.ToArray());
    }

    /// <summary>Parses <c>hex[-suffix]</c>; throws <see cref="CvmfsFormatException"/> when malformed.</summary>
    public static ContentHash Parse(string text) =>
        TryParse(text, out var hash) ? hash : throw new CvmfsFormatException($"Not a content hash: '{Truncate(text)}'.");

    /// <summary>Parses <c>hex[-suffix]</c> (hex in either case).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out ContentHash hash)
    {
        hash = default;
        if (text is null || text.Length < DigestSize * 2)
        {
            return false;
        }

        var algorithm = ContentHashAlgorithm.Sha1;
        var suffix = text.AsSpan(DigestSize * 2);
        if (suffix.Length > 0)
        {
            if (suffix.SequenceEqual("-shake128"))
            {
                algorithm = ContentHashAlgorithm.Shake128;
            }
            else if (suffix.SequenceEqual("-rmd160"))
            {
                algorithm = ContentHashAlgorithm.Ripemd160;
            }
            else
            {
                return false;
            }
        }

        var digest = new byte[DigestSize];
        if (!TryDecodeHex(text.AsSpan(0, DigestSize * 2), digest))
        {
            return false;
        }

        hash = new ContentHash(algorithm, digest);
        return true;
    }

    /// <summary>Lowercase hex of the digest, without the algorithm suffix.</summary>
    public string ToHex() => Convert.ToHexStringLower(_digest ?? []);

    /// <summary>Lowercase hex plus algorithm suffix: the form used in manifests and nested catalog rows.</summary>
    public override string ToString() => IsEmpty ? string.Empty : ToHex() + AlgorithmSuffix;

    /// <summary>
    /// The certificate-fingerprint form used in whitelists: uppercase hex bytes joined by <c>:</c>,
    /// plus the algorithm suffix for non-SHA-1 hashes.
    /// </summary>
    public string ToFingerprint() =>
        string.Join(':', (_digest ?? []).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture))) + AlgorithmSuffix;

    /// <inheritdoc />
    public bool Equals(ContentHash other) =>
        Algorithm == other.Algorithm && Digest.SequenceEqual(other.Digest) && IsEmpty == other.IsEmpty;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ContentHash other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() =>
        _digest is null ? 0 : HashCode.Combine(Algorithm, BitConverter.ToInt32(_digest, 0));

    public static bool operator ==(ContentHash left, ContentHash right) => left.Equals(right);

    public static bool operator !=(ContentHash left, ContentHash right) => !left.Equals(right);

    internal static string SuffixOf(ContentHashAlgorithm algorithm) => algorithm switch
    {
        ContentHashAlgorithm.Sha1 => string.Empty,
        ContentHashAlgorithm.Ripemd160 => "-rmd160",
        ContentHashAlgorithm.Shake128 => "-shake128",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Not a content hash algorithm."),
    };

    internal static bool TryDecodeHex(ReadOnlySpan<char> hex, Span<byte> destination)
    {
        if (hex.Length != destination.Length * 2)
        {
            return false;
        }

        for (var i = 0; i < destination.Length; i++)
        {
            var hi = HexValue(hex[2 * i]);
            var lo = HexValue(hex[(2 * i) + 1]);
            if (hi < 0 || lo < 0)
            {
                return false;
            }

            destination[i] = (byte)((hi << 4) | lo);
        }

        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private static string Truncate(string? text) =>
        text is null ? "(null)" : text.Length <= 80 ? text : text[..80] + "…";
}
