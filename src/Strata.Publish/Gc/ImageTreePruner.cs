using System.Security.Cryptography;
using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Reading;
using Strata.Oci.Digests;
using Strata.Oci.Manifests;
using Strata.Publish.Repository;
using Strata.Publish.Storage;
using Strata.Storage.Drivers;

namespace Strata.Publish.Gc;

/// <summary>
/// Takes flat images and layers that no published tag reaches any more out of the repository tree,
/// in a new revision, as DUCC's garbage collection does: the tags' stored manifests
/// (<c>/.metadata/&lt;host&gt;/&lt;repo&gt;:&lt;tag&gt;/manifest.json</c> and, for an index, <c>manifests/*.json</c>)
/// name the config digests (flat images) and layer digests in use; every other <c>/.flat</c> and
/// <c>/.layers</c> entry goes. Their objects stay as long as a preserved revision reaches them, and
/// are swept by <see cref="RepositoryGarbageCollector"/> once those revisions are condemned.
/// </summary>
/// <remarks>Run it alone (no publication meanwhile): a publication reuses flat images and layers it finds in the tree.</remarks>
public sealed class ImageTreePruner(IBlobDriver driver, RepositoryPublisher publisher, RSA masterPublicKey)
{
    private const int MaxManifestBytes = 4 * 1024 * 1024;

    /// <summary>Flat images and layers present in the current revision that no tag reaches.</summary>
    public async Task<(IReadOnlyList<Digest> FlatImages, IReadOnlyList<Digest> Layers)> FindUnreachableAsync(CancellationToken cancellationToken)
    {
        var name = publisher.Options.RepositoryName;
        if (await ExistsAsync(CvmfsStoragePaths.Object(name, ".cvmfspublished"), cancellationToken).ConfigureAwait(false) is false)
        {
            return ([], []);
        }

        await using var reader = await RepositoryReader.OpenAsync(
            new DriverRepositorySource(driver, name),
            new RepositoryReaderOptions { RepositoryName = name, MasterKeys = [masterPublicKey], SymlinkVariables = _ => null },
            cancellationToken).ConfigureAwait(false);
        var usedFlats = new HashSet<Digest>();
        var usedLayers = new HashSet<Digest>();
        await CollectUsedAsync(reader, RepositoryLayout.MetadataDirectory, usedFlats, usedLayers, cancellationToken).ConfigureAwait(false);
        var flats = await ListPresentAsync(reader, RepositoryLayout.FlatDirectory, cancellationToken).ConfigureAwait(false);
        var layers = await ListPresentAsync(reader, RepositoryLayout.LayersDirectory, cancellationToken).ConfigureAwait(false);
        return (flats.Where(d => !usedFlats.Contains(d)).ToList(), layers.Where(d => !usedLayers.Contains(d)).ToList());
    }

    /// <summary>Commits a revision without the unreachable flat images and layers; null when there were none.</summary>
    public async Task<CommittedRevision?> PruneAsync(IReadOnlyList<Digest> flatImages, IReadOnlyList<Digest> layers, CancellationToken cancellationToken)
    {
        if (flatImages.Count == 0 && layers.Count == 0)
        {
            return null;
        }

        return await publisher.CommitAsync(new RevisionChanges { RemoveFlatImages = flatImages, RemoveLayers = layers }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task CollectUsedAsync(RepositoryReader reader, string directory, HashSet<Digest> flats, HashSet<Digest> layers, CancellationToken cancellationToken)
    {
        if (await reader.LookupAsync(directory, cancellationToken).ConfigureAwait(false) is null)
        {
            return;
        }

        foreach (var entry in await reader.ListAsync(directory, cancellationToken).ConfigureAwait(false))
        {
            if (entry.Kind == EntryKind.Directory)
            {
                await CollectUsedAsync(reader, entry.Path, flats, layers, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (entry.Kind != EntryKind.File || !entry.Name.EndsWith(".json", StringComparison.Ordinal) || entry.Size > MaxManifestBytes)
            {
                continue;
            }

            byte[] content;
            await using (var stream = await reader.OpenFileAsync(entry, cancellationToken).ConfigureAwait(false))
            {
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                content = buffer.ToArray();
            }

            ManifestDocument document;
            try
            {
                document = ManifestParser.Parse(content, contentType: null);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Not a manifest the publisher wrote: it keeps nothing.
                continue;
            }

            if (document.Config is { } config)
            {
                flats.Add(config.Digest);
            }

            foreach (var layer in document.Layers)
            {
                layers.Add(layer.Digest);
            }
        }
    }

    /// <summary>The digests under <c>/.flat/&lt;xx&gt;/&lt;hex&gt;</c> (or <c>/.layers</c>).</summary>
    private static async Task<List<Digest>> ListPresentAsync(RepositoryReader reader, string top, CancellationToken cancellationToken)
    {
        var present = new List<Digest>();
        if (await reader.LookupAsync(top, cancellationToken).ConfigureAwait(false) is null)
        {
            return present;
        }

        foreach (var bucket in await reader.ListAsync(top, cancellationToken).ConfigureAwait(false))
        {
            foreach (var entry in await reader.ListAsync(bucket.Path, cancellationToken).ConfigureAwait(false))
            {
                if (Digest.TryParse("sha256:" + entry.Name, out var digest))
                {
                    present.Add(digest);
                }
            }
        }

        return present;
    }

    private async Task<bool> ExistsAsync(string path, CancellationToken cancellationToken) =>
        await driver.StatAsync(path, cancellationToken).ConfigureAwait(false) is not null;
}
