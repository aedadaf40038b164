using System.Security.Cryptography;

namespace Strata.EndToEnd.Tests.Infrastructure;

/// <summary>sha256 digests computed by the tests, independently of the server and the clients.</summary>
public static class Digests
{
    public static string Of(ReadOnlySpan<byte> content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    public static string OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public static string Hex(string digest) => digest["sha256:".Length..];
}
