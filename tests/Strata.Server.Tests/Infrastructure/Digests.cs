using System.Security.Cryptography;

namespace Strata.Server.Tests.Infrastructure;

/// <summary>Digests computed independently of the server (<c>algorithm:lowercase-hex</c>).</summary>
public static class Digests
{
    public const string Sha256 = "sha256";
    public const string Sha512 = "sha512";

    /// <summary>sha256 of zero bytes.</summary>
    public const string EmptySha256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    public static string Of(ReadOnlySpan<byte> content, string algorithm = Sha256) => algorithm switch
    {
        Sha256 => Sha256 + ":" + Convert.ToHexStringLower(SHA256.HashData(content)),
        Sha512 => Sha512 + ":" + Convert.ToHexStringLower(SHA512.HashData(content)),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "unsupported digest algorithm"),
    };

    /// <summary>A well-formed digest of random content that no test pushes.</summary>
    public static string Unknown(string algorithm = Sha256) => Of(RandomNumberGenerator.GetBytes(64), algorithm);
}
