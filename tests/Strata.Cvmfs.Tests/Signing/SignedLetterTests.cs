using Strata.Cvmfs.Signing;

namespace Strata.Cvmfs.Tests.Signing;

public sealed class SignedLetterTests
{
    [Fact]
    public void Letter_without_separator_is_unsigned()
    {
        var letter = SignedLetter.Parse("Cabc\nS1\n"u8.ToArray());

        Assert.False(letter.IsSigned);
        Assert.Equal("Cabc\nS1\n"u8.ToArray(), letter.Text.ToArray());
        var error = Assert.Throws<CvmfsVerificationException>(() => letter.VerifyDeclaredHash());
        Assert.Equal(VerificationFailure.SignatureMissing, error.Failure);
    }

    [Fact]
    public void Separator_is_recognised_only_as_a_whole_line()
    {
        var letter = SignedLetter.Parse("Nname--x\n--\nhash\nSIG"u8.ToArray());

        Assert.Equal("Nname--x\n"u8.ToArray(), letter.Text.ToArray());
        Assert.Equal("hash", letter.DeclaredHash);
        Assert.Equal("SIG"u8.ToArray(), letter.Signature.ToArray());
    }

    [Fact]
    public void Signature_bytes_may_contain_line_feeds_and_separators()
    {
        byte[] signature = [0x0a, (byte)'-', (byte)'-', 0x0a, 0x00];
        var composed = SignedLetter.Compose("A\n"u8, "h", signature);

        var letter = SignedLetter.Parse(composed);

        Assert.Equal(signature, letter.Signature.ToArray());
    }

    [Fact]
    public void Hash_line_that_disagrees_with_the_text_is_refused()
    {
        var letter = SignedLetter.Parse(SignedLetter.Compose("A\n"u8, "0000000000000000000000000000000000000000", []));

        var error = Assert.Throws<CvmfsVerificationException>(() => letter.VerifyDeclaredHash());

        Assert.Equal(VerificationFailure.LetterHashMismatch, error.Failure);
    }
}
