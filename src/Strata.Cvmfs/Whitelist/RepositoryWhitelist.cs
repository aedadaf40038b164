using System.Globalization;
using System.Text;
using Strata.Cvmfs.Objects;

namespace Strata.Cvmfs.Whitelist;

/// <summary>
/// The fields of <c>.cvmfswhitelist</c> (cvmfs <c>whitelist::Whitelist::ParseWhitelist</c>): the
/// repository certificates the master key vouches for, until an expiry time.
/// </summary>
public sealed record RepositoryWhitelist
{
    private const string TimestampFormat = "yyyyMMddHHmmss";

    /// <summary>Line 1: when the whitelist was made (informational; the client ignores it).</summary>
    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>Line 2 (<c>E</c>): after this instant clients refuse the whitelist.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Line 3 (<c>N</c>): the repository the whitelist is for.</summary>
    public required string RepositoryName { get; init; }

    /// <summary>Fingerprints (hash of the DER encoding) of the trusted repository certificates.</summary>
    public required IReadOnlyList<ContentHash> Fingerprints { get; init; }

    /// <summary><c>Vpkcs7</c>: the whitelist is additionally PKCS#7-signed (not supported by this reader).</summary>
    public bool RequiresPkcs7 { get; init; }

    /// <summary><c>Wcachain</c>: certificates must chain to a CA (not supported by this reader).</summary>
    public bool RequiresCaChain { get; init; }

    /// <summary>Parses the text part of a whitelist (the bytes before <c>--</c>).</summary>
    public static RepositoryWhitelist Parse(ReadOnlySpan<byte> text)
    {
        var lines = Encoding.ASCII.GetString(text).Split('\n');
        if (lines.Length < 3)
        {
            throw new CvmfsFormatException("The whitelist is too short.");
        }

        var issued = Timestamp(lines[0], "issue time");
        if (lines[1].Length < 1 || lines[1][0] != 'E')
        {
            throw new CvmfsFormatException("The whitelist's second line is not an expiry (E…).");
        }

        var expires = Timestamp(lines[1][1..], "expiry");
        if (lines[2].Length < 2 || lines[2][0] != 'N')
        {
            throw new CvmfsFormatException("The whitelist's third line is not a repository name (N…).");
        }

        var fingerprints = new List<ContentHash>();
        bool pkcs7 = false, caChain = false;
        foreach (var line in lines.Skip(3))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line == "Vpkcs7")
            {
                pkcs7 = true;
                continue;
            }

            if (line == "Wcachain")
            {
                caChain = true;
                continue;
            }

            // cvmfs reads a fingerprint up to the first space; the rest of the line is a comment.
            var token = line.Split(' ', 2)[0];
            if (!TryParseFingerprint(token, out var fingerprint))
            {
                throw new CvmfsFormatException($"Not a certificate fingerprint: '{token}'.");
            }

            fingerprints.Add(fingerprint);
        }

        return new RepositoryWhitelist
        {
            IssuedAt = issued,
            ExpiresAt = expires,
            RepositoryName = lines[2][1..],
            Fingerprints = fingerprints,
            RequiresPkcs7 = pkcs7,
            RequiresCaChain = caChain,
        };
    }

    /// <summary>Parses <c>AB:CD:…[-suffix]</c>.</summary>
    public static bool TryParseFingerprint(string text, out ContentHash fingerprint)
    {
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var hex = (dash < 0 ? text : text[..dash]).Replace(":", string.Empty, StringComparison.Ordinal);
        var suffix = dash < 0 ? string.Empty : text[dash..];
        return ContentHash.TryParse(hex + suffix, out fingerprint);
    }

    /// <summary>The text part, as <c>cvmfs_server create_whitelist</c> writes it.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        text.Append(Format(IssuedAt)).Append('\n');
        text.Append('E').Append(Format(ExpiresAt)).Append('\n');
        text.Append('N').Append(RepositoryName).Append('\n');
        if (RequiresPkcs7)
        {
            text.Append("Vpkcs7\n");
        }

        if (RequiresCaChain)
        {
            text.Append("Wcachain\n");
        }

        foreach (var fingerprint in Fingerprints)
        {
            text.Append(fingerprint.ToFingerprint()).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>True when the whitelist is still valid at <paramref name="now"/>.</summary>
    public bool IsValidAt(DateTimeOffset now) => now < ExpiresAt;

    /// <summary>True when <paramref name="fingerprint"/> is listed.</summary>
    public bool Lists(ContentHash fingerprint) => Fingerprints.Contains(fingerprint);

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    private static DateTimeOffset Timestamp(string text, string what) =>
        DateTime.TryParseExact(text, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            ? new DateTimeOffset(time, TimeSpan.Zero)
            : throw new CvmfsFormatException($"The whitelist {what} '{text}' is not a YYYYMMDDhhmmss timestamp.");
}
