using System.Collections.Concurrent;
using System.Diagnostics;
using Strata.Cvmfs.Writing;
using Strata.Metadata.Contracts;
using Strata.Oci.Digests;
using Strata.Publish.Images;
using Strata.Publish.Layers;
using Strata.Publish.Repository;
using Strata.Storage.Drivers;

namespace Strata.Publish.Publishing;

/// <summary>
/// Publishes registry tags into the CernVM-FS repository: the API a publication job calls.
/// <see cref="PublishAsync"/> resolves the tag (an index means every Linux platform), ingests only
/// the layers the repository lacks, flattens only the images it lacks, and commits one revision
/// with the tag's names. A re-tag, or a new image on known layers, does no layer work at all. A
/// failure (bad layer, missing blob) throws <see cref="PublishException"/> and leaves the current
/// revision as it was. Safe to call concurrently; commits are serialized.
/// </summary>
public sealed class ImagePublisher
{
    private readonly IBlobDriver _driver;
    private readonly ImagePublisherOptions _options;
    private readonly RepositoryPublisher _repository;
    private readonly TagResolver _resolver;

    public ImagePublisher(IBlobDriver driver, IManifestStore manifests, ImagePublisherOptions options, RepositoryKeys keys, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(manifests);
        ArgumentNullException.ThrowIfNull(options);
        _driver = driver;
        _options = options;
        _repository = new RepositoryPublisher(driver, options.ToRepositoryOptions(), keys, timeProvider);
        _resolver = new TagResolver(manifests, driver, options.MaxConfigBytes);
    }

    /// <summary>The revision writer underneath (snapshots, whitelist renewal).</summary>
    public RepositoryPublisher Repository => _repository;

    public async Task<PublishResult> PublishAsync(string repository, string tag, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var phase = Stopwatch.StartNew();
        var resolved = await _resolver.ResolveAsync(repository, tag, cancellationToken).ConfigureAwait(false);
        var snapshot = await _repository.OpenSnapshotAsync(cancellationToken).ConfigureAwait(false);

        // A flat image that exists implies its layers were published with it: no layer look-ups.
        var toFlatten = new List<ResolvedImage>();
        foreach (var image in resolved.Images.DistinctBy(i => i.Platform.Config))
        {
            if (await snapshot.FindFlatImageAsync(image.Platform.Config, cancellationToken).ConfigureAwait(false) is null)
            {
                toFlatten.Add(image);
            }
        }

        var layers = new Dictionary<Digest, FlattenLayer>();
        var toIngest = new List<Digest>();
        foreach (var layer in toFlatten.SelectMany(i => i.Layers).Select(l => l.Digest).Distinct())
        {
            if (await snapshot.FindLayerAsync(layer, cancellationToken).ConfigureAwait(false) is { } found)
            {
                layers[layer] = new FlattenLayer(layer, found.Hash, found.Size);
            }
            else
            {
                toIngest.Add(layer);
            }
        }

        var resolveTime = phase.Elapsed;
        phase.Restart();
        var sink = _repository.CreateSink();
        var catalogOptions = _repository.CatalogOptions(snapshot.Revision + 1);
        var ingester = new LayerIngester(_driver, sink, _repository.Catalogs, new LayerIngestOptions
        {
            Limits = _options.LayerLimits,
            Content = new FileContentOptions { Algorithm = _options.Algorithm, Compression = _options.Compression, CompressionLevel = _options.CompressionLevel, StoreIncompressibleUncompressed = _options.StoreIncompressibleUncompressed, Chunking = _options.Chunking },
            Catalogs = catalogOptions,
            PipelineSmallFiles = _options.PipelineSmallFiles,
        });
        var ingested = new ConcurrentBag<LayerIngestResult>();
        await Parallel.ForEachAsync(
            toIngest,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.MaxParallelLayers), CancellationToken = cancellationToken },
            async (layer, ct) =>
            {
                try
                {
                    ingested.Add(await ingester.IngestAsync(layer, ct).ConfigureAwait(false));
                }
                catch (LayerFormatException e)
                {
                    throw new PublishException($"{repository}:{tag}: layer {layer} cannot be published: {e.Message}", e);
                }
                catch (StoredObjectNotFoundException e)
                {
                    throw new PublishException($"{repository}:{tag}: layer {layer} is missing from the blob store", e);
                }
            }).ConfigureAwait(false);
        foreach (var result in ingested)
        {
            layers[result.Layer] = new FlattenLayer(result.Layer, result.Catalog.Hash, result.Catalog.Size);
        }

        var ingestTime = phase.Elapsed;
        phase.Restart();
        var flattener = new ImageFlattener(sink, _repository.Catalogs, catalogOptions);
        var flats = new List<PublishedCatalog>();
        foreach (var image in toFlatten)
        {
            var written = await flattener.FlattenAsync(image.Platform.Config, [.. image.Layers.Select(l => layers[l.Digest])], cancellationToken).ConfigureAwait(false);
            flats.Add(new PublishedCatalog(image.Platform.Config, written));
        }

        await sink.FlushAsync(cancellationToken).ConfigureAwait(false);
        var flattenTime = phase.Elapsed;
        phase.Restart();
        var committed = await _repository.CommitAsync(
            new RevisionChanges
            {
                Layers = [.. ingested.Select(r => new PublishedCatalog(r.Layer, r.Catalog))],
                FlatImages = flats,
                SetTags = [new TagPublication(repository, tag, resolved.Manifest.Content, [.. resolved.Images.Select(i => i.Platform)], resolved.IsIndex)],
            },
            cancellationToken).ConfigureAwait(false);
        var commitTime = phase.Elapsed;
        var counters = sink.Counters;
        return new PublishResult(
            repository,
            tag,
            committed.Revision,
            [.. resolved.Images.Select(i => i.Platform.Name)],
            resolved.Skipped,
            ingested.Count,
            layers.Count - ingested.Count,
            flats.Count,
            resolved.Images.DistinctBy(i => i.Platform.Config).Count() - flats.Count,
            ingested.Sum(r => r.CompressedBytes),
            ingested.Sum(r => r.UncompressedBytes),
            counters.ObjectsStored,
            counters.BytesStored,
            counters.ObjectsDeduplicated,
            ingested.Sum(r => r.Files),
            ingested.Sum(r => r.Entries),
            flats.Sum(f => f.Catalog.Statistics.Total.Directories + f.Catalog.Statistics.Total.Regular + f.Catalog.Statistics.Total.Symlinks + f.Catalog.Statistics.Total.Special),
            new PublishTimings(resolveTime, ingestTime, flattenTime, commitTime, total.Elapsed),
            [.. ingested.SelectMany(r => r.Warnings)]);
    }

    /// <summary>Removes a tag's public name, metadata and platform links in a new revision (flat images and layers stay until garbage collection).</summary>
    public async Task<PublishResult> UnpublishAsync(string repository, string tag, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var committed = await _repository.CommitAsync(new RevisionChanges { RemoveTags = [new TagReference(repository, tag)] }, cancellationToken).ConfigureAwait(false);
        var elapsed = total.Elapsed;
        return new PublishResult(repository, tag, committed.Revision, [], [], 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, new PublishTimings(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, elapsed, elapsed), []);
    }
}
