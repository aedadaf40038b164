using Strata.Oci.Digests;
using Strata.Publish.Trees;

namespace Strata.Publish.Layers;

/// <summary>One ingested layer: its catalog (stored, not yet part of any revision) and what it took.</summary>
/// <param name="Layer">The compressed layer digest.</param>
/// <param name="Catalog">The layer catalog rooted at <c>/.layers/xx/&lt;hex&gt;/layerfs</c>.</param>
/// <param name="Compression">Detected compression.</param>
/// <param name="CompressedBytes">Bytes read from the layer blob.</param>
/// <param name="UncompressedBytes">Bytes of file content in the layer.</param>
/// <param name="Entries">Tar entries read.</param>
/// <param name="Files">Regular files stored.</param>
/// <param name="Elapsed">Wall time.</param>
/// <param name="Warnings">What was dropped and why.</param>
public sealed record LayerIngestResult(
    Digest Layer,
    WrittenCatalog Catalog,
    LayerCompression Compression,
    long CompressedBytes,
    long UncompressedBytes,
    long Entries,
    long Files,
    TimeSpan Elapsed,
    IReadOnlyList<string> Warnings);
