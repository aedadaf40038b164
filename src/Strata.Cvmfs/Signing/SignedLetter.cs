using System.Text;
using Strata.Cvmfs.Objects;

namespace Strata.Cvmfs.Signing;

/// <summary>
/// The layout shared by <c>.cvmfspublished</c> and <c>.cvmfswhitelist</c> (cvmfs calls it a letter):
/// <code>
/// text (LF-terminated lines)
/// --
/// &lt;hex hash of the text, incl. its last LF&gt;[-algorithm suffix]
/// &lt;raw signature bytes to the end of the file&gt;
/// </code>
/// </summary>
public sealed class SignedLetter
{
    private static readonly byte[] Separator = "--\n"u8.ToArray();

    private SignedLetter(ReadOnlyMemory<byte> text, string? declaredHash, ReadOnlyMemory<byte> signature)
    {
        Text = text;
        DeclaredHash = declaredHash;
        Signature = signature;
    }

    /// <summary>The signed text, up to and including the LF before <c>--</c>.</summary>
    public ReadOnlyMemory<byte> Text { get; }

    /// <summary>The hash line after <c>--</c> (null for an unsigned letter).</summary>
    public string? DeclaredHash { get; }

    /// <summary>The raw signature bytes (empty for an unsigned letter).</summary>
    public ReadOnlyMemory<byte> Signature { get; }

    /// <summary>True when the letter has a <c>--</c> block.</summary>
    public bool IsSigned => DeclaredHash is not null;

    /// <summary>Splits a letter into text, hash line and signature.</summary>
    public static SignedLetter Parse(ReadOnlyMemory<byte> letter)
    {
        var span = letter.Span;

        // The separator is a whole line: at the start of the file or right after an LF.
        var separatorAt = -1;
        for (var at = 0; at <= span.Length - Separator.Length;)
        {
            if (span[at..].StartsWith(Separator))
            {
                separatorAt = at;
                break;
            }

            var lf = span[at..].IndexOf((byte)'\n');
            if (lf < 0)
            {
                break;
            }

            at += lf + 1;
        }

        if (separatorAt < 0)
        {
            return new SignedLetter(letter, null, ReadOnlyMemory<byte>.Empty);
        }

        var afterSeparator = separatorAt + Separator.Length;
        var hashEnd = span[afterSeparator..].IndexOf((byte)'\n');
        if (hashEnd < 0)
        {
            throw new CvmfsFormatException("The signature block has no hash line.");
        }

        var hashLine = span.Slice(afterSeparator, hashEnd);
        if (hashLine.Length > 64 || hashLine.ContainsAnyExceptInRange((byte)0x21, (byte)0x7e))
        {
            throw new CvmfsFormatException("The hash line of the signature block is malformed.");
        }

        var signatureStart = afterSeparator + hashEnd + 1;
        return new SignedLetter(letter[..separatorAt], Encoding.ASCII.GetString(hashLine), letter[signatureStart..]);
    }

    /// <summary>Assembles a signed letter: text, <c>--</c>, hash line, signature.</summary>
    public static byte[] Compose(ReadOnlySpan<byte> text, string hashLine, ReadOnlySpan<byte> signature)
    {
        if (text.Length > 0 && text[^1] != (byte)'\n')
        {
            throw new ArgumentException("The signed text must end with a line feed.", nameof(text));
        }

        var hash = Encoding.ASCII.GetBytes(hashLine);
        var result = new byte[text.Length + Separator.Length + hash.Length + 1 + signature.Length];
        var at = 0;
        text.CopyTo(result);
        at += text.Length;
        Separator.CopyTo(result, at);
        at += Separator.Length;
        hash.CopyTo(result, at);
        at += hash.Length;
        result[at++] = (byte)'\n';
        signature.CopyTo(result.AsSpan(at));
        return result;
    }

    /// <summary>
    /// The hash line for <paramref name="text"/>: hex of its hash plus algorithm suffix, which is
    /// exactly the string the signature covers.
    /// </summary>
    public static string HashLineFor(ReadOnlySpan<byte> text, ContentHashAlgorithm algorithm) =>
        ContentHasher.Compute(algorithm, text).ToString();

    /// <summary>
    /// Checks that the declared hash line matches the text (same algorithm, recomputed) and returns it;
    /// cvmfs refuses a letter whose printed hash disagrees with its text before looking at the signature.
    /// </summary>
    public string VerifyDeclaredHash()
    {
        if (DeclaredHash is null)
        {
            throw new CvmfsVerificationException(VerificationFailure.SignatureMissing, "The file is not signed.");
        }

        if (!ContentHash.TryParse(DeclaredHash, out var declared))
        {
            throw new CvmfsVerificationException(VerificationFailure.LetterHashMismatch, $"The hash line '{DeclaredHash}' is not a content hash.");
        }

        var actual = ContentHasher.Compute(declared.Algorithm, Text.Span);
        if (actual != declared)
        {
            throw new CvmfsVerificationException(VerificationFailure.LetterHashMismatch, $"The text hashes to {actual}, but the hash line says {DeclaredHash}.");
        }

        return DeclaredHash;
    }
}
