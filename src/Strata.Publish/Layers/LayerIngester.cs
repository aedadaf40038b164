using System.Diagnostics;
using System.Text.Json;
using Strata.Cvmfs.Writing;
using Strata.Oci.Digests;
using Strata.Publish.Repository;
using Strata.Publish.Trees;
using Strata.Storage;
using Strata.Storage.Drivers;

namespace Strata.Publish.Layers;

/// <summary>
/// Ingests one layer blob: streams it from the registry's driver through
/// <see cref="LayerDecompressor"/> and <see cref="LayerTarReader"/>, stores every regular file
/// with <see cref="FileContentWriter"/> (zlib, content hash, chunked above 4 MiB), and writes the
/// layer's own tree in overlayfs form (<see cref="LayerTreeBuilder"/>) as a catalog rooted at
/// <c>/.layers/&lt;xx&gt;/&lt;hex&gt;/layerfs</c>. Nothing becomes visible: the catalog joins a
/// revision only when a commit references it, so a hostile or broken layer
/// (<see cref="LayerFormatException"/>) leaves at most unreferenced objects behind. Instances are
/// stateless; different layers can be ingested in parallel.
/// </summary>
public sealed class LayerIngester(IBlobDriver driver, IObjectSink sink, CatalogCache cache, LayerIngestOptions options)
{
    /// <summary>Catalog property listing the directories the layer did not list itself (JSON array of layer-relative paths).</summary>
    public const string ImplicitDirectoriesProperty = "strata_implicit_directories";

    /// <summary>Catalog property naming the layer digest.</summary>
    public const string LayerDigestProperty = "strata_layer_digest";

    public async Task<LayerIngestResult> IngestAsync(Digest layer, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var blob = await driver.OpenReadAsync(BlobPaths.Blob(layer), 0, cancellationToken).ConfigureAwait(false);
        var counted = new CountingReadStream(blob);
        var builder = new LayerTreeBuilder(new InodeIds());
        var contentWriter = new FileContentWriter(sink, options.Content);
        long entries = 0, files = 0, bytes = 0;
        LayerCompression compression;
        try
        {
            var (tar, detected) = await LayerDecompressor.OpenAsync(counted, options.Limits, cancellationToken).ConfigureAwait(false);
            compression = detected;
            var reader = new LayerTarReader(tar, options.Limits);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    entries++;
                    StoredFile? stored = null;
                    if (entry.Type == LayerEntryType.File && !IsWhiteoutName(entry.Path))
                    {
                        var content = reader.OpenContent();
                        await using (content.ConfigureAwait(false))
                        {
                            stored = await contentWriter.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                        }

                        if (stored.Size != entry.Size)
                        {
                            throw new LayerFormatException($"'{entry.Path}' is shorter than its header says");
                        }

                        files++;
                        bytes += stored.Size;
                    }

                    builder.Add(entry, stored);
                }
            }
        }
        catch (InvalidDataException e)
        {
            throw new LayerFormatException($"layer {layer} is corrupt: {e.Message}");
        }
        catch (ZstdSharp.ZstdException e)
        {
            throw new LayerFormatException($"layer {layer} is corrupt: {e.Message}");
        }
        finally
        {
            await blob.DisposeAsync().ConfigureAwait(false);
        }

        var writer = new TreeCatalogWriter(sink, options.Catalogs, cache);
        var catalog = await writer.WriteAsync(
            new CatalogWriteRequest
            {
                Root = builder.Root,
                Path = RepositoryLayout.LayerRoot(layer),
                ExtraProperties = new Dictionary<string, string>
                {
                    [LayerDigestProperty] = layer.ToString(),
                    [ImplicitDirectoriesProperty] = JsonSerializer.Serialize(builder.ImplicitDirectories()),
                },
            },
            cancellationToken).ConfigureAwait(false);
        return new LayerIngestResult(layer, catalog, compression, counted.BytesRead, bytes, entries, files, stopwatch.Elapsed, builder.Warnings);
    }

    private static bool IsWhiteoutName(string path)
    {
        var slash = path.LastIndexOf('/');
        return path.AsSpan(slash + 1).StartsWith(".wh.", StringComparison.Ordinal);
    }
}
