using System.Text;
using Strata.Metadata.Contracts;
using Strata.Oci.Digests;
using Strata.Oci.Manifests;

namespace Strata.Metadata.Tests;

/// <summary>Builders for records with real digests. Times are whole milliseconds, the stores' precision.</summary>
internal static class TestData
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    public static Digest DigestOf(string text) => Digest.Compute(DigestAlgorithm.Sha256, Encoding.UTF8.GetBytes(text));

    public static BlobRecord Blob(string seed, long size = 1234) => new(DigestOf("blob:" + seed), size, Epoch);

    public static ManifestRecord Manifest(
        string repository,
        string seed,
        string mediaType = MediaTypes.OciManifest,
        Digest? subject = null,
        string? artifactType = null,
        string? annotationsJson = null)
    {
        var content = Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"{{mediaType}}","seed":"{{seed}}","subject":"{{subject}}","artifactType":"{{artifactType}}"}""");
        return new ManifestRecord(
            repository,
            Digest.Compute(DigestAlgorithm.Sha256, content),
            mediaType,
            content.Length,
            artifactType,
            subject,
            annotationsJson,
            content,
            Epoch);
    }

    /// <summary>A manifest with no references, so it can be stored without linking blobs first.</summary>
    public static ManifestWrite Write(ManifestRecord manifest, params string[] tags) => new(manifest, [], [], tags);
}
