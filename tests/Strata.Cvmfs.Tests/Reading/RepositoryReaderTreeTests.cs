using System.Text.RegularExpressions;
using Strata.Cvmfs.Reading;
using Strata.Cvmfs.Tests.Support;

namespace Strata.Cvmfs.Tests.Reading;

public sealed partial class RepositoryReaderTreeTests
{
    [Fact]
    public async Task Newest_revision_reproduces_expected_tree_r2_exactly()
    {
        await AssertTreeAsync(tag: null, "tree-r2.jsonl");
    }

    [Fact]
    public async Task History_tag_r1_sync_reproduces_expected_tree_r1_exactly()
    {
        await AssertTreeAsync(tag: "r1-sync", "tree-r1.jsonl");
    }

    [Fact]
    public async Task Opening_by_tag_selects_the_tagged_root_catalog_and_revision()
    {
        using var key = TestVectors.MasterPublicKey();
        await using var reader = await OpenAsync(key, "r1-sync");

        Assert.Equal("9f7342c93b7102f0e1022e400b194ec8b22e83d4", reader.RootCatalogHash.ToString());
        Assert.Equal(1, reader.Revision);
        Assert.Equal("r1-sync", reader.Tag!.Name);
    }

    [Fact]
    public async Task Tags_are_listed_from_the_history_database()
    {
        using var key = TestVectors.MasterPublicKey();
        await using var reader = await OpenAsync(key, null);

        var tags = await reader.ListTagsAsync(CancellationToken.None);

        Assert.Equal(["r2-ingest", "trunk", "r1-sync", "trunk-previous"], tags.Select(t => t.Name));
    }

    [Fact]
    public async Task Chunked_file_reads_the_same_bytes_after_seeking_into_its_second_chunk()
    {
        using var key = TestVectors.MasterPublicKey();
        await using var reader = await OpenAsync(key, null);
        await using var content = await reader.OpenFileAsync("/data/random-6M.bin", CancellationToken.None);
        var secondChunk = TestVectors.DecompressObject("data/f6/ef3049f3915eec4fbd22ea593ae225237c6ffdP");

        content.Position = 5534236 + 100;
        var buffer = new byte[1000];
        await content.ReadExactlyAsync(buffer, CancellationToken.None);

        Assert.Equal(secondChunk.AsSpan(100, 1000).ToArray(), buffer);
    }

    internal static Task<RepositoryReader> OpenAsync(System.Security.Cryptography.RSA masterKey, string? tag, string? repo = null) =>
        RepositoryReader.OpenAsync(
            new FileSystemRepositorySource(repo ?? TestVectors.Repo),
            new RepositoryReaderOptions
            {
                RepositoryName = TestVectors.RepositoryName,
                MasterKeys = [masterKey],
                Tag = tag,
                SymlinkVariables = _ => null,
            },
            CancellationToken.None);

    private static async Task AssertTreeAsync(string? tag, string expectedFile)
    {
        using var key = TestVectors.MasterPublicKey();
        await using var reader = await OpenAsync(key, tag);

        var actual = await TreeDumper.DumpAsync(reader, CancellationToken.None);

        // The client's virtual attributes on the root are not stored in the repository.
        var expected = File.ReadAllLines(TestVectors.Expected(expectedFile))
            .Select(line => MagicXattrs().Replace(line, string.Empty))
            .ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }
    }

    [GeneratedRegex(",\"cvmfs_magic_xattrs\":\\[[^\\]]*\\]")]
    private static partial Regex MagicXattrs();
}
