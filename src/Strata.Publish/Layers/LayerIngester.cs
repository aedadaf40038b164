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
                // Small files are copied into batches that are compressed, hashed and stored on
                // another core while the tar stream is being decompressed (SmallFilePipeline);
                // entries still reach the tree in tar order (hard links and replacements depend on it).
                var pipeline = options.PipelineSmallFiles ? new SmallFilePipeline(contentWriter, cancellationToken) : null;
                var pending = new Queue<PendingEntry>();
                try
                {
                    while (await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } entry)
                    {
                        entries++;
                        var waiting = new PendingEntry(entry, null, null, 0);
                        if (entry.Type == LayerEntryType.File && !IsWhiteoutName(entry.Path))
                        {
                            var content = reader.OpenContent();
                            await using (content.ConfigureAwait(false))
                            {
                                if (pipeline is not null && entry.Size <= SmallFilePipeline.MaxFileBytes)
                                {
                                    var (batch, index) = await pipeline.AddAsync(content, (int)entry.Size).ConfigureAwait(false);
                                    waiting = waiting with { Batch = batch, Index = index };
                                }
                                else
                                {
                                    waiting = waiting with { Stored = await contentWriter.WriteAsync(content, cancellationToken).ConfigureAwait(false) };
                                }
                            }
                        }

                        pending.Enqueue(waiting);
                        while (pending.Count > 0 && (pending.Peek().IsReady || pending.Count > SmallFilePipeline.MaxWaitingEntries))
                        {
                            (files, bytes) = await AddAsync(builder, pending.Dequeue(), pipeline, files, bytes).ConfigureAwait(false);
                        }
                    }

                    while (pending.Count > 0)
                    {
                        (files, bytes) = await AddAsync(builder, pending.Dequeue(), pipeline, files, bytes).ConfigureAwait(false);
                    }
                }
                catch
                {
                    // Let started batches finish before the failure surfaces (no work left running behind it).
                    if (pipeline is not null)
                    {
                        await pipeline.AbandonAsync().ConfigureAwait(false);
                    }

                    throw;
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

    private static async Task<(long Files, long Bytes)> AddAsync(LayerTreeBuilder builder, PendingEntry pending, SmallFilePipeline? pipeline, long files, long bytes)
    {
        var stored = pending.Stored;
        if (pending.Batch is { } batch)
        {
            await pipeline!.EnsureStartedAsync(batch).ConfigureAwait(false);
            await batch.Encoding!.ConfigureAwait(false);
            stored = batch.Stored(pending.Index);
        }

        if (stored is not null)
        {
            if (stored.Size != pending.Entry.Size)
            {
                throw new LayerFormatException($"'{pending.Entry.Path}' is shorter than its header says");
            }

            files++;
            bytes += stored.Size;
        }

        builder.Add(pending.Entry, stored);
        return (files, bytes);
    }

    /// <summary>A tar entry on its way to the tree: its content stored already, or in a batch being encoded.</summary>
    private readonly record struct PendingEntry(LayerEntry Entry, StoredFile? Stored, SmallFileBatch? Batch, int Index)
    {
        public bool IsReady => Batch is null || Batch.IsEncoded;
    }

    private static bool IsWhiteoutName(string path)
    {
        var slash = path.LastIndexOf('/');
        return path.AsSpan(slash + 1).StartsWith(".wh.", StringComparison.Ordinal);
    }
}
