using Strata.Metadata.Contracts;

namespace Strata.Publish.Publishing;

/// <summary>A tag and the platforms it publishes.</summary>
internal sealed record ResolvedTag(ManifestRecord Manifest, bool IsIndex, IReadOnlyList<ResolvedImage> Images, IReadOnlyList<string> Skipped);
