using System.Numerics;
using System.Security.Cryptography;

namespace Strata.Cvmfs.Signing;

/// <summary>
/// The master-key signature of <c>.cvmfswhitelist</c>: a raw RSA private-key operation with PKCS#1
/// v1.5 block type 1 padding over the ASCII hash line, with no digest and no DigestInfo
/// (<c>openssl pkeyutl -sign</c>, as <c>cvmfs_server create_whitelist</c> does; the client checks it
/// with <c>RSA_public_decrypt</c>). .NET's RSA API always adds a DigestInfo, so the modular
/// arithmetic is done here with <see cref="BigInteger"/>.
/// </summary>
public static class RawRsaSignature
{
    // PKCS#1 v1.5 requires at least 8 padding bytes (RFC 8017 §9.2).
    private const int MinimumPadding = 8;

    /// <summary>Signs <paramref name="message"/> (deterministic: same key and message give the same bytes).</summary>
    public static byte[] Sign(RSA privateKey, ReadOnlySpan<byte> message)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        var parameters = privateKey.ExportParameters(includePrivateParameters: true);
        var k = parameters.Modulus!.Length;
        if (message.Length > k - 3 - MinimumPadding)
        {
            throw new ArgumentException($"A {message.Length}-byte message does not fit a {k * 8}-bit key.", nameof(message));
        }

        // EM = 00 01 FF..FF 00 || message
        var encoded = new byte[k];
        encoded[1] = 0x01;
        encoded.AsSpan(2, k - 3 - message.Length).Fill(0xFF);
        message.CopyTo(encoded.AsSpan(k - message.Length));

        var n = ToInteger(parameters.Modulus);
        var e = ToInteger(parameters.Exponent!);
        var m = ToInteger(encoded);
        var s = PrivateOperation(parameters, n, e, m);
        if (BigInteger.ModPow(s, e, n) != m)
        {
            // Guards against a faulty CRT result leaking a factor of n.
            throw new CryptographicException("The RSA signature failed its self-check.");
        }

        return ToBytes(s, k);
    }

    /// <summary>
    /// Recovers the signed message with the public key, or returns null when the signature does not
    /// carry valid block type 1 padding.
    /// </summary>
    public static byte[]? Recover(RSA publicKey, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        var parameters = publicKey.ExportParameters(includePrivateParameters: false);
        var k = parameters.Modulus!.Length;
        if (signature.Length != k)
        {
            return null;
        }

        var n = ToInteger(parameters.Modulus);
        var s = ToInteger(signature);
        if (s >= n)
        {
            return null;
        }

        var encoded = ToBytes(BigInteger.ModPow(s, ToInteger(parameters.Exponent!), n), k);
        if (encoded[0] != 0x00 || encoded[1] != 0x01)
        {
            return null;
        }

        var at = 2;
        while (at < k && encoded[at] == 0xFF)
        {
            at++;
        }

        if (at - 2 < MinimumPadding || at >= k || encoded[at] != 0x00)
        {
            return null;
        }

        return encoded[(at + 1)..];
    }

    /// <summary>True when the signature recovers exactly <paramref name="message"/>.</summary>
    public static bool Verify(RSA publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        var recovered = Recover(publicKey, signature);
        return recovered is not null && CryptographicOperations.FixedTimeEquals(recovered, message);
    }

    private static BigInteger PrivateOperation(RSAParameters key, BigInteger n, BigInteger e, BigInteger m)
    {
        // Blinding: sign m·r^e instead of m and divide r out afterwards, so the time taken by the
        // private exponentiation does not depend on the message.
        BigInteger r, rInverse;
        do
        {
            r = RandomBelow(n);
        }
        while (r < 2 || !TryModInverse(r, n, out rInverse));

        var blinded = m * BigInteger.ModPow(r, e, n) % n;
        BigInteger s;
        if (key.P is { Length: > 0 } && key.Q is { Length: > 0 } && key.DP is { Length: > 0 } && key.DQ is { Length: > 0 } && key.InverseQ is { Length: > 0 })
        {
            var p = ToInteger(key.P);
            var q = ToInteger(key.Q);
            var m1 = BigInteger.ModPow(blinded % p, ToInteger(key.DP), p);
            var m2 = BigInteger.ModPow(blinded % q, ToInteger(key.DQ), q);
            var h = ToInteger(key.InverseQ) * (m1 - m2) % p;
            if (h.Sign < 0)
            {
                h += p;
            }

            s = m2 + (h * q);
        }
        else
        {
            s = BigInteger.ModPow(blinded, ToInteger(key.D!), n);
        }

        return s * rInverse % n;
    }

    private static BigInteger RandomBelow(BigInteger n)
    {
        var bytes = new byte[n.GetByteCount(isUnsigned: true)];
        RandomNumberGenerator.Fill(bytes);
        return ToInteger(bytes) % n;
    }

    private static bool TryModInverse(BigInteger a, BigInteger n, out BigInteger inverse)
    {
        BigInteger t = 0, newT = 1, r = n, newR = a;
        while (!newR.IsZero)
        {
            var quotient = r / newR;
            (t, newT) = (newT, t - (quotient * newT));
            (r, newR) = (newR, r - (quotient * newR));
        }

        inverse = t.Sign < 0 ? t + n : t;
        return r.IsOne;
    }

    private static BigInteger ToInteger(ReadOnlySpan<byte> bigEndian) => new(bigEndian, isUnsigned: true, isBigEndian: true);

    private static byte[] ToBytes(BigInteger value, int length)
    {
        var result = new byte[length];
        var count = value.GetByteCount(isUnsigned: true);
        if (!value.TryWriteBytes(result.AsSpan(length - count), out _, isUnsigned: true, isBigEndian: true))
        {
            throw new CryptographicException("RSA result does not fit the modulus size.");
        }

        return result;
    }
}
