using System.Text;
using Strata.Publish.Publishing;
using Strata.Publish.Tests.Support;

namespace Strata.Publish.Tests.Publishing;

/// <summary>
/// <c>PipelineSmallFiles</c> moves the encoding of small files to batches on other threads; the
/// repository must come out the same as with every file encoded in tar order on one thread.
/// </summary>
public sealed class SmallFileBatchingTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Batched_small_files_publish_the_same_tree_and_objects_as_inline_encoding()
    {
        var layers = new[] { ManySmallFilesLayer(), new LayerBuilder().Whiteout("usr/share/f0007.txt").File("usr/share/f0008.txt", "replaced").TarGz() };

        var (inlineTree, inlineObjects) = await PublishAsync(layers, pipeline: false);
        var (batchedTree, batchedObjects) = await PublishAsync(layers, pipeline: true);

        Assert.Equal(inlineObjects, batchedObjects);
        Assert.Equal(inlineTree.Keys, batchedTree.Keys);
        foreach (var (path, entry) in inlineTree)
        {
            Assert.Equal(entry, batchedTree[path]);
        }

        Assert.DoesNotContain("/usr/share/f0007.txt", batchedTree.Keys);
        Assert.Equal(2u, batchedTree["/usr/share/link-to-f0003"].LinkCount);
    }

    [Fact]
    public async Task A_truncated_small_file_fails_the_batched_publication_as_a_layer_error()
    {
        await using var publication = await Publication.CreateAsync(o => o with { PipelineSmallFiles = true });
        await publication.Registry.PushImageAsync("library/good", "1", [new LayerBuilder().File("ok", "ok").TarGz()]);
        await publication.Publisher.PublishAsync("library/good", "1", Ct);
        var before = publication.ManifestBytes();
        var tar = ManySmallFilesTar();
        await publication.Registry.PushImageAsync("library/cut", "1", [LayerBuilder.Gzip(tar[..(tar.Length / 3)])]);

        var error = await Assert.ThrowsAsync<PublishException>(() => publication.Publisher.PublishAsync("library/cut", "1", Ct));

        Assert.Contains("layer", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, publication.ManifestBytes());
    }

    private static async Task<(SortedDictionary<string, ObservedEntry> Tree, List<string> Objects)> PublishAsync(byte[][] layers, bool pipeline)
    {
        await using var publication = await Publication.CreateAsync(o => o with { PipelineSmallFiles = pipeline, CompressionLevel = 1, StoreIncompressibleUncompressed = true });
        var pushed = await publication.Registry.PushImageAsync("library/small", "1", layers);
        await publication.Publisher.PublishAsync("library/small", "1", Ct);
        await using var reader = await publication.OpenReaderAsync();
        var config = Strata.Oci.Manifests.ManifestParser.Parse(pushed.Content, pushed.MediaType).Config!.Digest;
        var root = $"/.flat/{config.Hex[..2]}/{config.Hex}";
        var tree = await Publication.ObserveAsync(reader, root);
        publication.AssertIndependentlySeen(root, tree);

        // File objects only (no suffix or a chunk's P): catalogs and certificates carry timestamps and keys.
        var data = Path.Combine(publication.RepositoryDirectory, "data");
        var objects = Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(data, f))
            .Where(f => !f.StartsWith("txn", StringComparison.Ordinal) && f[^1] is (>= '0' and <= '9') or (>= 'a' and <= 'f') or 'P')
            .Order(StringComparer.Ordinal)
            .ToList();
        return (tree, objects);
    }

    private static byte[] ManySmallFilesLayer() => LayerBuilder.Gzip(ManySmallFilesTar());

    /// <summary>
    /// More files than several batches hold, with a large file, a hard link, an empty file,
    /// duplicate contents and incompressible data among them, so batches are cut by count and by
    /// bytes and entries wait behind them.
    /// </summary>
    private static byte[] ManySmallFilesTar()
    {
        var builder = new LayerBuilder().Directory("usr").Directory("usr/share");
        var random = new Random(11);
        for (var i = 0; i < 700; i++)
        {
            if (i == 3)
            {
                builder.File("usr/share/f0003.txt", "linked content");
                builder.Hardlink("usr/share/link-to-f0003", "usr/share/f0003.txt");
                continue;
            }

            var size = i % 97 == 0 ? 200_000 : i % 5 * 700;
            var content = i % 13 == 0 ? new byte[size] : Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat($"file {i % 50} ", size / 6 + 1)))[..size];
            if (i % 41 == 0)
            {
                random.NextBytes(content);
            }
            else if (size > 64 * 1024)
            {
                // Compressible but not trivially, past the encoder's first block: read through gzip in
                // short pieces when inline, whole when batched (the object must not depend on that).
                for (var b = 0; b < size; b++)
                {
                    content[b] = (byte)(random.Next(16) == 0 ? random.Next(256) : 'a' + (b / 7 % 5));
                }
            }

            builder.File($"usr/share/f{i:D4}.txt", content);
            if (i == 350)
            {
                var large = new byte[3 * 1024 * 1024];
                random.NextBytes(large);
                builder.File("usr/share/large.bin", large);
            }
        }

        return builder.Tar();
    }
}
