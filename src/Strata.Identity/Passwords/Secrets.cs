using System.Security.Cryptography;
using System.Text;

namespace Strata.Identity.Passwords;

/// <summary>
/// Robot secrets and credential stamps. A robot secret is 32 random bytes (256 bits), so unlike a
/// password it cannot be guessed and needs no slow KDF: it is stored as its SHA-256, which keeps a
/// robot's login as cheap as a hash (CI systems log in on every job).
/// </summary>
public static class Secrets
{
    private const string Scheme = "sha256$";

    /// <summary>A new secret, base64url without padding (43 characters).</summary>
    public static string NewSecret() => Base64Url.Encode(RandomNumberGenerator.GetBytes(32));

    /// <summary>A new credential stamp (not secret: it only versions the credentials).</summary>
    public static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public static string Hash(string secret) => Scheme + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool Verify(string secret, string stored)
    {
        var actual = Encoding.ASCII.GetBytes(Hash(secret));
        var expected = Encoding.ASCII.GetBytes(stored);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
