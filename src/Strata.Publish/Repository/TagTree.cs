using Strata.Cvmfs.Writing;
using Strata.Oci.Names;
using Strata.Publish.Trees;

namespace Strata.Publish.Repository;

/// <summary>
/// Edits the public names of the root tree: the tag symlinks, <c>/.metadata</c> and
/// <c>/.platforms</c> (see <see cref="RepositoryLayout"/>).
/// </summary>
internal sealed class TagTree(FsNode root, string registryHost, long now)
{
    private const uint DirectoryPermissions = 0b111_101_101;
    private const string ArchVariable = "CVMFS_ARCH";

    public FsNode Metadata { get; } = Top(root, RepositoryLayout.MetadataDirectory[1..], now);

    public FsNode Platforms { get; } = Top(root, RepositoryLayout.PlatformsDirectory[1..], now);

    /// <summary>The relative target of a tag's public symlink.</summary>
    public static string PublicTarget(string registryHost, TagPublication tag)
    {
        var depth = tag.Repository.Split('/').Length;
        var up = string.Concat(Enumerable.Repeat("../", depth));
        if (!tag.IsIndex)
        {
            return up + RepositoryLayout.FlatRoot(tag.Platforms[0].Config)[1..];
        }

        return up + RepositoryLayout.PlatformsDirectory[1..] + "/" + registryHost + "/" + tag.Repository + ":" + tag.Tag + "/$(" + ArchVariable + ":-" + DefaultAlias(tag.Platforms) + ")";
    }

    public void Remove(TagReference tag)
    {
        var (directories, name) = Split(tag.Repository, tag.Tag);
        RemoveAndPrune(root, [registryHost, .. directories, name]);
        RemoveAndPrune(Metadata, [registryHost, .. directories, name]);
        RemoveAndPrune(Platforms, [registryHost, .. directories, name]);
    }

    public async Task SetAsync(TagPublication tag, FileContentWriter content, CancellationToken cancellationToken)
    {
        if (tag.Platforms.Count == 0)
        {
            throw new ArgumentException($"{tag.Repository}:{tag.Tag} has no platform to publish.", nameof(tag));
        }

        var (directories, name) = Split(tag.Repository, tag.Tag);
        var linkDirectory = EnsureDirectories(root, [registryHost, .. directories]);
        linkDirectory.Children[name] = Symlink(name, PublicTarget(registryHost, tag));

        var metadata = EnsureDirectories(Metadata, [registryHost, .. directories]);
        var tagMetadata = FsNode.Directory(name, DirectoryPermissions, 0, 0, now);
        metadata.Children[name] = tagMetadata;
        tagMetadata.Children["manifest.json"] = await FileAsync("manifest.json", tag.ManifestBytes, content, cancellationToken).ConfigureAwait(false);
        if (tag.IsIndex)
        {
            var manifests = FsNode.Directory("manifests", DirectoryPermissions, 0, 0, now);
            tagMetadata.Children["manifests"] = manifests;
            foreach (var platform in tag.Platforms.Where(p => p.ManifestBytes is not null))
            {
                var fileName = platform.Name + ".json";
                manifests.Children.TryAdd(fileName, await FileAsync(fileName, platform.ManifestBytes!, content, cancellationToken).ConfigureAwait(false));
            }
        }

        var platforms = EnsureDirectories(Platforms, [registryHost, .. directories]);
        var tagPlatforms = FsNode.Directory(name, DirectoryPermissions, 0, 0, now);
        platforms.Children[name] = tagPlatforms;
        var up = string.Concat(Enumerable.Repeat("../", directories.Length + 3));
        foreach (var platform in tag.Platforms)
        {
            tagPlatforms.Children.TryAdd(platform.Name, Symlink(platform.Name, up + RepositoryLayout.FlatRoot(platform.Config)[1..]));
        }

        foreach (var platform in tag.Platforms.Where(p => p.Os == "linux"))
        {
            foreach (var alias in ArchitectureAliases.For(platform.Architecture, platform.Variant))
            {
                tagPlatforms.Children.TryAdd(alias, Symlink(alias, platform.Name));
            }
        }
    }

    private static string DefaultAlias(IReadOnlyList<PlatformImage> platforms)
    {
        // Unset CVMFS_ARCH means linux/amd64, if the image has it.
        if (platforms.Any(p => p.Os == "linux" && p.Architecture == "amd64"))
        {
            return "x86_64";
        }

        var first = platforms[0];
        return first.Os == "linux" && ArchitectureAliases.For(first.Architecture, first.Variant) is [var alias, ..] ? alias : first.Name;
    }

    private static (string[] Directories, string Name) Split(string repository, string tag)
    {
        if (!RepositoryName.IsValid(repository) || !TagName.IsValid(tag))
        {
            throw new ArgumentException($"'{repository}:{tag}' is not a valid repository and tag.");
        }

        var parts = repository.Split('/');
        return (parts[..^1], parts[^1] + ":" + tag);
    }

    private FsNode Symlink(string name, string target) =>
        new(name, FsNodeType.Symlink) { Mode = UnixMode.Symlink | 0b111_111_111, Symlink = target, Mtime = now };

    private async Task<FsNode> FileAsync(string name, byte[] bytes, FileContentWriter content, CancellationToken cancellationToken)
    {
        var stored = await content.WriteAsync(new MemoryStream(bytes, writable: false), cancellationToken).ConfigureAwait(false);
        return new FsNode(name, FsNodeType.File)
        {
            Mode = UnixMode.Regular | 0b110_100_100,
            Mtime = now,
            Size = stored.Size,
            Content = new FileContent(stored.Hash, stored.Chunks, stored.Flags),
        };
    }

    private FsNode EnsureDirectories(FsNode start, IEnumerable<string> names)
    {
        var current = start;
        foreach (var name in names)
        {
            if (!current.Children.TryGetValue(name, out var next) || !next.IsDirectory || next.Mount is not null)
            {
                next = FsNode.Directory(name, DirectoryPermissions, 0, 0, now);
                current.Children[name] = next;
            }

            current = next;
        }

        return current;
    }

    private static void RemoveAndPrune(FsNode start, string[] path)
    {
        var chain = new List<FsNode> { start };
        foreach (var name in path[..^1])
        {
            if (!chain[^1].Children.TryGetValue(name, out var next) || !next.IsDirectory)
            {
                return;
            }

            chain.Add(next);
        }

        if (!chain[^1].Children.Remove(path[^1]))
        {
            return;
        }

        for (var i = chain.Count - 1; i > 0 && !chain[i].HasChildren; i--)
        {
            chain[i - 1].Children.Remove(chain[i].Name);
        }
    }

    private static FsNode Top(FsNode root, string name, long now)
    {
        if (!root.Children.TryGetValue(name, out var node) || !node.IsDirectory || node.Mount is not null)
        {
            node = FsNode.Directory(name, DirectoryPermissions, 0, 0, now);
            root.Children[name] = node;
        }

        node.ForceNested = true;
        return node;
    }
}
