using System.Diagnostics.CodeAnalysis;

namespace Strata.Oci.Digests;

/// <summary>
/// A validated content digest <c>algorithm:hex</c>. Only sha256 and sha512 with lowercase hex are
/// accepted, as the OCI image spec registers them; anything else is rejected at the edge so
/// storage paths built from a digest can never escape their folder.
/// </summary>
public readonly record struct Digest
{
    private Digest(DigestAlgorithm algorithm, string hex)
    {
        Algorithm = algorithm;
        Hex = hex;
    }

    public DigestAlgorithm Algorithm { get; }

    /// <summary>The encoded part: lowercase hex of the hash.</summary>
    public string Hex { get; }

    public override string ToString() => Algorithm is null ? "" : $"{Algorithm.Name}:{Hex}";

    public static Digest Parse(string value) =>
        TryParse(value, out var digest) ? digest : throw new FormatException($"invalid digest '{value}'");

    public static bool TryParse([NotNullWhen(true)] string? value, out Digest digest)
    {
        digest = default;
        if (value is null)
        {
            return false;
        }

        var colon = value.IndexOf(':');
        if (colon <= 0 || !DigestAlgorithm.TryGet(value[..colon], out var algorithm))
        {
            return false;
        }

        var hex = value.AsSpan(colon + 1);
        if (hex.Length != algorithm.HexLength)
        {
            return false;
        }

        foreach (var c in hex)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        digest = new Digest(algorithm, hex.ToString());
        return true;
    }

    /// <summary>Builds a digest from raw hash bytes produced by <paramref name="algorithm"/>.</summary>
    public static Digest FromHash(DigestAlgorithm algorithm, ReadOnlySpan<byte> hash) =>
        new(algorithm, Convert.ToHexStringLower(hash));

    /// <summary>Hashes a small in-memory payload (manifests, configs).</summary>
    public static Digest Compute(DigestAlgorithm algorithm, ReadOnlySpan<byte> content)
    {
        using var hash = algorithm.CreateHash();
        hash.AppendData(content);
        return FromHash(algorithm, hash.GetCurrentHash());
    }
}
