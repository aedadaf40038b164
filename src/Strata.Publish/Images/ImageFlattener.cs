using System.Text.Json;
using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Writing;
using Strata.Oci.Digests;
using Strata.Publish.Layers;
using Strata.Publish.Repository;
using Strata.Publish.Trees;

namespace Strata.Publish.Images;

/// <summary>
/// Builds an image's flat root file system at <c>/.flat/xx/&lt;config hex&gt;</c> by merging the
/// rows of its layer catalogs, bottom layer first. No file content is read or copied: flat rows
/// reference the layers' objects and chunks. Per layer, in OCI order:
/// <list type="bullet">
/// <item>an opaque directory first drops everything the lower layers put in it;</item>
/// <item>a whiteout (character device 0/0) deletes the lower entry and is itself not kept;</item>
/// <item>any other entry replaces the lower one of the same path; a directory over a directory
/// merges, taking the upper metadata unless the upper directory is implicit (umoci only creates
/// missing parents, it never touches existing ones); a non-directory over a directory drops the
/// lower subtree;</item>
/// <item>hard links keep their inode ids, so groups are rebuilt per directory of the flat tree.</item>
/// </list>
/// The result is split into nested catalogs by <see cref="CatalogWriteOptions.MaxEntriesPerCatalog"/>.
/// </summary>
public sealed class ImageFlattener(IObjectSink sink, CatalogCache cache, CatalogWriteOptions options)
{
    private const string OpaqueXattr = "trusted.overlay.opaque";

    public async Task<WrittenCatalog> FlattenAsync(Digest config, IReadOnlyList<FlattenLayer> layers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var loader = new CatalogTreeLoader(cache);
        var inodeIds = new InodeIds();
        FsNode? merged = null;
        foreach (var layer in layers)
        {
            var loaded = await loader.LoadAsync(layer.CatalogHash, layer.CatalogSize, RepositoryLayout.LayerRoot(layer.Layer), _ => true, inodeIds, cancellationToken).ConfigureAwait(false);
            MarkImplicit(loaded.Root, loaded.Properties);
            if (merged is null)
            {
                merged = loaded.Root.CloneAttributes(string.Empty);
                merged.Mount = null;
                merged.Xattrs = WithoutOpaque(merged.Xattrs);
            }
            else if (!loaded.Root.Implicit)
            {
                merged.CopyMetadataFrom(loaded.Root);
                merged.Xattrs = WithoutOpaque(merged.Xattrs);
            }

            Apply(merged, loaded.Root);
            cancellationToken.ThrowIfCancellationRequested();
        }

        merged ??= FsNode.Directory(string.Empty, 0b111_101_101, 0, 0, 0);
        var writer = new TreeCatalogWriter(sink, options, cache);
        return await writer.WriteAsync(new CatalogWriteRequest { Root = merged, Path = RepositoryLayout.FlatRoot(config) }, cancellationToken).ConfigureAwait(false);
    }

    private static void Apply(FsNode lower, FsNode upper)
    {
        if (upper.Opaque)
        {
            lower.Children.Clear();
        }

        if (!upper.HasChildren)
        {
            return;
        }

        foreach (var child in upper.Children.Values)
        {
            if (child.IsWhiteout)
            {
                lower.Children.Remove(child.Name);
                continue;
            }

            lower.Children.TryGetValue(child.Name, out var existing);
            if (child.IsDirectory && existing is { IsDirectory: true })
            {
                if (!child.Implicit)
                {
                    existing.CopyMetadataFrom(child);
                    existing.Xattrs = WithoutOpaque(existing.Xattrs);
                }

                Apply(existing, child);
                continue;
            }

            // Nothing below to merge with: the upper subtree moves over as it is, minus its
            // layer-only markings (whiteouts there have nothing left to hide).
            Sanitize(child);
            lower.Children[child.Name] = child;
        }
    }

    private static void Sanitize(FsNode node)
    {
        if (!node.IsDirectory)
        {
            return;
        }

        node.Opaque = false;
        node.Implicit = false;
        node.Xattrs = WithoutOpaque(node.Xattrs);
        if (!node.HasChildren)
        {
            return;
        }

        List<string>? whiteouts = null;
        foreach (var child in node.Children.Values)
        {
            if (child.IsWhiteout)
            {
                (whiteouts ??= []).Add(child.Name);
            }
            else
            {
                Sanitize(child);
            }
        }

        foreach (var name in whiteouts ?? [])
        {
            node.Children.Remove(name);
        }
    }

    /// <summary>Restores the opaque and implicit markings a layer tree had when it was ingested.</summary>
    private static void MarkImplicit(FsNode root, IReadOnlyDictionary<string, string> properties)
    {
        MarkOpaque(root);
        if (!properties.TryGetValue(LayerIngester.ImplicitDirectoriesProperty, out var json))
        {
            return;
        }

        foreach (var path in JsonSerializer.Deserialize<string[]>(json) ?? [])
        {
            var node = root;
            foreach (var part in path.Length == 0 ? [] : path.Split('/'))
            {
                if (node is null || !node.IsDirectory || !node.Children.TryGetValue(part, out node))
                {
                    node = null;
                    break;
                }
            }

            if (node is { IsDirectory: true })
            {
                node.Implicit = true;
            }
        }
    }

    private static void MarkOpaque(FsNode directory)
    {
        if (directory.Xattrs?.Get(OpaqueXattr) is [(byte)'y'])
        {
            directory.Opaque = true;
        }

        if (!directory.HasChildren)
        {
            return;
        }

        foreach (var child in directory.Children.Values)
        {
            if (child.IsDirectory)
            {
                MarkOpaque(child);
            }
        }
    }

    private static Cvmfs.Catalogs.ExtendedAttributes? WithoutOpaque(Cvmfs.Catalogs.ExtendedAttributes? xattrs)
    {
        if (xattrs?.Get(OpaqueXattr) is null)
        {
            return xattrs;
        }

        var rest = xattrs.Attributes.Where(a => a.Key != OpaqueXattr).ToList();
        return rest.Count == 0 ? null : Cvmfs.Catalogs.ExtendedAttributes.Create(rest);
    }

}
