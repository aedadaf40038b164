using Strata.Oci.Digests;

namespace Strata.Metadata.Contracts;

/// <summary>
/// A manifest stored in one repository. <see cref="Content"/> is the exact pushed bytes
/// (manifests are small, at most the configured limit, 4 MiB by default, and served byte-exact).
/// <see cref="AnnotationsJson"/> is the manifest's top-level annotations object as JSON, kept for
/// the referrers API.
/// </summary>
public sealed record ManifestRecord(
    string Repository,
    Digest Digest,
    string MediaType,
    long Size,
    string? ArtifactType,
    Digest? Subject,
    string? AnnotationsJson,
    byte[] Content,
    DateTimeOffset CreatedAt);
