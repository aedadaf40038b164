using System.Security.Cryptography;

namespace Strata.Oci.Digests;

/// <summary>A content digest algorithm the registry accepts (OCI image-spec "Digests": sha256 and sha512).</summary>
public sealed class DigestAlgorithm
{
    public static readonly DigestAlgorithm Sha256 = new("sha256", HashAlgorithmName.SHA256, 64);
    public static readonly DigestAlgorithm Sha512 = new("sha512", HashAlgorithmName.SHA512, 128);

    private DigestAlgorithm(string name, HashAlgorithmName hashName, int hexLength)
    {
        Name = name;
        HashName = hashName;
        HexLength = hexLength;
    }

    /// <summary>The algorithm identifier as written in a digest string, e.g. <c>sha256</c>.</summary>
    public string Name { get; }

    public HashAlgorithmName HashName { get; }

    /// <summary>Number of lowercase hex characters of an encoded digest.</summary>
    public int HexLength { get; }

    public IncrementalHash CreateHash() => IncrementalHash.CreateHash(HashName);

    public static bool TryGet(string name, out DigestAlgorithm algorithm)
    {
        switch (name)
        {
            case "sha256": algorithm = Sha256; return true;
            case "sha512": algorithm = Sha512; return true;
            default: algorithm = Sha256; return false;
        }
    }

    public override string ToString() => Name;
}
