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
                // Small files are read into memory and compressed, hashed and stored on other cores
                // while the tar stream is being decompressed; entries still reach the tree in tar
                // order (hard links and replacements depend on it). Bounded in count and bytes.
                var pending = new Queue<(LayerEntry Entry, Task<StoredFile>? Content, long Buffered)>();
                long buffered = 0;
                try
                {
                    while (await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } entry)
                    {
                        entries++;
                        Task<StoredFile>? stored = null;
                        long inMemory = 0;
                        if (entry.Type == LayerEntryType.File && !IsWhiteoutName(entry.Path))
                        {
                            var content = reader.OpenContent();
                            await using (content.ConfigureAwait(false))
                            {
                                if (options.PipelineSmallFiles && entry.Size <= InMemoryFileLimit)
                                {
                                    var data = new byte[entry.Size];
                                    await content.ReadExactlyAsync(data, cancellationToken).ConfigureAwait(false);
                                    buffered += data.Length;
                                    inMemory = data.Length;
                                    stored = Task.Run(() => contentWriter.WriteAsync(new MemoryStream(data, writable: false), cancellationToken), cancellationToken);
                                }
                                else
                                {
                                    stored = Task.FromResult(await contentWriter.WriteAsync(content, cancellationToken).ConfigureAwait(false));
                                }
                            }
                        }

                        pending.Enqueue((entry, stored, inMemory));
                        while (pending.Count > 0 && (pending.Peek().Content is null or { IsCompleted: true } || pending.Count > MaxPendingEntries || buffered > MaxBufferedBytes))
                        {
                            var (done, file, held) = pending.Dequeue();
                            (files, bytes) = await AddAsync(builder, done, file, files, bytes).ConfigureAwait(false);
                            buffered -= held;
                        }
                    }

                    while (pending.Count > 0)
                    {
                        var (done, file, _) = pending.Dequeue();
                        (files, bytes) = await AddAsync(builder, done, file, files, bytes).ConfigureAwait(false);
                    }
                }
                catch
                {
                    // Let queued writes finish before the failure surfaces (no work left running behind it).
                    foreach (var (_, file, _) in pending)
                    {
                        if (file is not null)
                        {
                            try
                            {
                                await file.ConfigureAwait(false);
                            }
                            catch (Exception)
                            {
                                // The first failure is the one reported.
                            }
                        }
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

    private const int InMemoryFileLimit = 1024 * 1024;
    private const long MaxBufferedBytes = 64L * 1024 * 1024;
    private static readonly int MaxPendingEntries = Math.Max(64, Environment.ProcessorCount * 32);

    private static async Task<(long Files, long Bytes)> AddAsync(LayerTreeBuilder builder, LayerEntry entry, Task<StoredFile>? content, long files, long bytes)
    {
        StoredFile? stored = null;
        if (content is not null)
        {
            stored = await content.ConfigureAwait(false);
            if (stored.Size != entry.Size)
            {
                throw new LayerFormatException($"'{entry.Path}' is shorter than its header says");
            }

            files++;
            bytes += stored.Size;
        }

        builder.Add(entry, stored);
        return (files, bytes);
    }

    private static bool IsWhiteoutName(string path)
    {
        var slash = path.LastIndexOf('/');
        return path.AsSpan(slash + 1).StartsWith(".wh.", StringComparison.Ordinal);
    }
}
