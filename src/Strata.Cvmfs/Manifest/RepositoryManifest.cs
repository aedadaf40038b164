using System.Globalization;
using System.Text;
using Strata.Cvmfs.Objects;

namespace Strata.Cvmfs.Manifest;

/// <summary>
/// The fields of <c>.cvmfspublished</c> (cvmfs <c>manifest::Manifest</c>): one line per field, the
/// key is the first character and the value the rest of the line.
/// </summary>
public sealed record RepositoryManifest
{
    /// <summary>MD5 of the empty path: the only root path hash cvmfs writes.</summary>
    public const string EmptyRootPathHash = "d41d8cd98f00b204e9800998ecf8427e";

    /// <summary><c>C</c>: hash of the root catalog object.</summary>
    public required ContentHash RootCatalogHash { get; init; }

    /// <summary><c>B</c>: uncompressed size of the root catalog in bytes (0 when absent).</summary>
    public long RootCatalogSize { get; init; }

    /// <summary><c>R</c>: MD5 hex of the root path; <see cref="EmptyRootPathHash"/> in practice.</summary>
    public string RootPathHash { get; init; } = EmptyRootPathHash;

    /// <summary><c>D</c>: time to live of the root catalog, in seconds.</summary>
    public required long TtlSeconds { get; init; }

    /// <summary><c>S</c>: revision of the root catalog.</summary>
    public required long Revision { get; init; }

    /// <summary><c>G</c>: whether the repository is garbage-collectable.</summary>
    public bool GarbageCollectable { get; init; }

    /// <summary><c>A</c>: whether <c>.cvmfsalt-*</c> copies of root objects exist.</summary>
    public bool HasAlternativePaths { get; init; }

    /// <summary><c>L</c>: micro catalog hash (defined, unused by cvmfs).</summary>
    public ContentHash? MicroCatalogHash { get; init; }

    /// <summary><c>N</c>: fully qualified repository name.</summary>
    public string? RepositoryName { get; init; }

    /// <summary><c>X</c>: hash of the certificate object.</summary>
    public ContentHash? CertificateHash { get; init; }

    /// <summary><c>H</c>: hash of the history (tag) database object.</summary>
    public ContentHash? HistoryHash { get; init; }

    /// <summary><c>T</c>: publish time, seconds since the Unix epoch (0 when absent).</summary>
    public long PublishTimestamp { get; init; }

    /// <summary><c>M</c>: hash of the meta-info JSON object.</summary>
    public ContentHash? MetaInfoHash { get; init; }

    /// <summary><c>Y</c>: SHA-1 of the raw <c>.cvmfsreflog</c> (server-side; clients ignore it).</summary>
    public ContentHash? ReflogHash { get; init; }

    /// <summary>Lines with keys this type does not model, kept in order (readers must ignore unknown keys).</summary>
    public IReadOnlyList<KeyValuePair<char, string>> UnknownFields { get; init; } = [];

    /// <summary>Parses the text part of a manifest (the bytes before <c>--</c>).</summary>
    public static RepositoryManifest Parse(ReadOnlySpan<byte> text)
    {
        string content;
        try
        {
            content = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(text);
        }
        catch (DecoderFallbackException e)
        {
            throw new CvmfsFormatException("The manifest is not UTF-8 text.", e);
        }

        ContentHash? catalog = null;
        long? ttl = null, revision = null;
        string? rootPath = null;
        var manifest = new Builder();
        foreach (var rawLine in content.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            var key = line[0];
            var value = line[1..];
            switch (key)
            {
                case 'C': catalog = Hash(key, value); break;
                case 'B': manifest.CatalogSize = Integer(key, value); break;
                case 'R': rootPath = RootPath(value); break;
                case 'D': ttl = Integer(key, value); break;
                case 'S': revision = Integer(key, value); break;
                case 'G': manifest.GarbageCollectable = value == "yes"; break;
                case 'A': manifest.Alternative = value == "yes"; break;
                case 'L': manifest.Micro = Hash(key, value); break;
                case 'N': manifest.Name = value; break;
                case 'X': manifest.Certificate = Hash(key, value); break;
                case 'H': manifest.History = Hash(key, value); break;
                case 'T': manifest.Timestamp = Integer(key, value); break;
                case 'M': manifest.MetaInfo = Hash(key, value); break;
                case 'Y': manifest.Reflog = Hash(key, value); break;
                default: manifest.Unknown.Add(new(key, value)); break;
            }
        }

        // cvmfs's Manifest::LoadMem requires exactly these four keys.
        if (catalog is null || rootPath is null || ttl is null || revision is null)
        {
            throw new CvmfsFormatException("The manifest lacks one of the required fields C, R, D, S.");
        }

        return new RepositoryManifest
        {
            RootCatalogHash = catalog.Value,
            RootCatalogSize = manifest.CatalogSize,
            RootPathHash = rootPath,
            TtlSeconds = ttl.Value,
            Revision = revision.Value,
            GarbageCollectable = manifest.GarbageCollectable,
            HasAlternativePaths = manifest.Alternative,
            MicroCatalogHash = manifest.Micro,
            RepositoryName = manifest.Name,
            CertificateHash = manifest.Certificate,
            HistoryHash = manifest.History,
            PublishTimestamp = manifest.Timestamp,
            MetaInfoHash = manifest.MetaInfo,
            ReflogHash = manifest.Reflog,
            UnknownFields = manifest.Unknown,
        };
    }

    /// <summary>
    /// The text part in the order cvmfs's <c>Manifest::ExportString</c> writes it: C B R D S G A, then
    /// the optional L N X H T M Y when set. Unknown fields are not written.
    /// </summary>
    public string ToText()
    {
        var text = new StringBuilder();
        Line(text, 'C', RootCatalogHash.ToString());
        Line(text, 'B', RootCatalogSize.ToString(CultureInfo.InvariantCulture));
        Line(text, 'R', RootPathHash);
        Line(text, 'D', TtlSeconds.ToString(CultureInfo.InvariantCulture));
        Line(text, 'S', Revision.ToString(CultureInfo.InvariantCulture));
        Line(text, 'G', GarbageCollectable ? "yes" : "no");
        Line(text, 'A', HasAlternativePaths ? "yes" : "no");
        OptionalHash(text, 'L', MicroCatalogHash);
        if (!string.IsNullOrEmpty(RepositoryName))
        {
            Line(text, 'N', RepositoryName);
        }

        OptionalHash(text, 'X', CertificateHash);
        OptionalHash(text, 'H', HistoryHash);
        if (PublishTimestamp > 0)
        {
            Line(text, 'T', PublishTimestamp.ToString(CultureInfo.InvariantCulture));
        }

        OptionalHash(text, 'M', MetaInfoHash);
        OptionalHash(text, 'Y', ReflogHash);
        return text.ToString();
    }

    private static void OptionalHash(StringBuilder text, char key, ContentHash? hash)
    {
        if (hash is { IsEmpty: false } value)
        {
            Line(text, key, value.ToString());
        }
    }

    private static void Line(StringBuilder text, char key, string value)
    {
        if (value.Contains('\n'))
        {
            throw new CvmfsFormatException($"Manifest field {key} contains a line break.");
        }

        text.Append(key).Append(value).Append('\n');
    }

    private static ContentHash Hash(char key, string value) =>
        ContentHash.TryParse(value, out var hash) ? hash : throw new CvmfsFormatException($"Manifest field {key} is not a content hash: '{value}'.");

    private static long Integer(char key, string value) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new CvmfsFormatException($"Manifest field {key} is not an integer: '{value}'.");

    private static string RootPath(string value) =>
        value.Length == 32 && value.All(char.IsAsciiHexDigit) ? value : throw new CvmfsFormatException($"Manifest field R is not an MD5 hash: '{value}'.");

    private sealed class Builder
    {
        public long CatalogSize { get; set; }

        public bool GarbageCollectable { get; set; }

        public bool Alternative { get; set; }

        public ContentHash? Micro { get; set; }

        public string? Name { get; set; }

        public ContentHash? Certificate { get; set; }

        public ContentHash? History { get; set; }

        public long Timestamp { get; set; }

        public ContentHash? MetaInfo { get; set; }

        public ContentHash? Reflog { get; set; }

        public List<KeyValuePair<char, string>> Unknown { get; } = [];
    }
}
