using System.Security.Cryptography;
using Strata.Cvmfs.Signing;

namespace Strata.Cvmfs.Tests.Signing;

public sealed class RawRsaSignatureTests
{
    [Fact]
    public void Signature_is_deterministic_and_recovers_the_message()
    {
        using var key = RSA.Create(2048);
        var message = "721d98fe18607abf51279f3f32e4a7e2c2ecf525"u8.ToArray();

        var first = RawRsaSignature.Sign(key, message);
        var second = RawRsaSignature.Sign(key, message);

        Assert.Equal(first, second);
        Assert.Equal(256, first.Length);
        Assert.Equal(message, RawRsaSignature.Recover(key, first));
        Assert.True(RawRsaSignature.Verify(key, message, first));
    }

    [Fact]
    public void Signature_matches_what_dotnet_produces_for_the_same_padded_block()
    {
        // SignHash with PKCS#1 v1.5 pads DigestInfo||hash exactly like the raw operation pads any
        // message, so raw-signing the DigestInfo bytes must give .NET's own signature.
        using var key = RSA.Create(2048);
        var hash = SHA256.HashData("strata"u8);
        byte[] digestInfoPrefix = [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];

        var raw = RawRsaSignature.Sign(key, [.. digestInfoPrefix, .. hash]);

        Assert.Equal(key.SignHash(hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), raw);
    }

    [Fact]
    public void Tampered_signature_does_not_verify()
    {
        using var key = RSA.Create(2048);
        var message = "hash"u8.ToArray();
        var signature = RawRsaSignature.Sign(key, message);
        signature[100] ^= 1;

        Assert.False(RawRsaSignature.Verify(key, message, signature));
    }

    [Fact]
    public void Signature_of_another_key_does_not_verify()
    {
        using var key = RSA.Create(2048);
        using var other = RSA.Create(2048);

        Assert.False(RawRsaSignature.Verify(other, "hash"u8, RawRsaSignature.Sign(key, "hash"u8)));
    }

    [Fact]
    public void Message_too_long_for_the_key_is_rejected()
    {
        using var key = RSA.Create(1024);

        Assert.Throws<ArgumentException>(() => RawRsaSignature.Sign(key, new byte[120]));
    }
}
