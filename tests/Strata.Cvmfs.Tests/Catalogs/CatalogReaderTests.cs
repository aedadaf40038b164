using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Tests.Support;

namespace Strata.Cvmfs.Tests.Catalogs;

public sealed class CatalogReaderTests : IDisposable
{
    private const string RootCatalog = "data/d6/d19aeabf6e6114b624c3ee335db87cfc7fed93C";
    private const string NestedCatalog = "data/97/136cb3534f23412559d1eb56375cd7885c61e5C";
    private readonly TemporaryDirectory _scratch = new();

    [Fact]
    public void Root_catalog_properties_are_those_of_expected_catalog_rows_txt()
    {
        using var catalog = Open(RootCatalog);

        Assert.Equal("2.5", catalog.SchemaVersion);
        Assert.Equal(7, catalog.SchemaRevision);
        Assert.Equal(2, catalog.Revision);
        Assert.Equal(240, catalog.TtlSeconds);
        Assert.Equal(1795829281, catalog.LastModified);
        Assert.Equal("9f7342c93b7102f0e1022e400b194ec8b22e83d4", catalog.PreviousRevision.ToString());
        Assert.Equal(string.Empty, catalog.RootPrefix);
        var nested = Assert.Single(catalog.NestedCatalogs);
        Assert.Equal(new NestedCatalogReference("/nested", ContentHash.Parse("97136cb3534f23412559d1eb56375cd7885c61e5"), 57344), nested);
    }

    [Fact]
    public void Root_catalog_statistics_are_read_as_self_and_subtree_counters()
    {
        using var catalog = Open(RootCatalog);

        Assert.Equal(new CatalogCounters { Chunked = 1, ChunkedSize = 6000017, Chunks = 2, Directories = 23, FileSize = 6002241, Nested = 1, Regular = 44, Symlinks = 7, Xattrs = 4 }, catalog.Statistics.Self);
        Assert.Equal(new CatalogCounters { Chunked = 1, ChunkedSize = 20000003, Chunks = 2, Directories = 5, FileSize = 20000105, Nested = 1, Regular = 6 }, catalog.Statistics.Subtree);
    }

    [Fact]
    public void Root_entry_has_parent_zero_and_linkcount_seventeen()
    {
        using var catalog = Open(RootCatalog);

        var root = catalog.Lookup(PathKey.Root)!;

        Assert.Equal(PathKey.None, root.ParentKey);
        Assert.Equal(EntryFlags.Directory, root.Flags);
        Assert.Equal(17u, root.LinkCount);
        Assert.Equal(16877u, root.Mode);
        Assert.Equal(1795828646, root.Mtime);
        Assert.Null(root.ContentHash);
        Assert.Null(root.MtimeNanoseconds);
        Assert.Null(root.Xattrs);
    }

    [Fact]
    public void Hardlink_pair_shares_group_one_and_the_content_hash()
    {
        using var catalog = Open(RootCatalog);

        var a = catalog.Lookup(PathKey.ForPath("/hardlinks/pair-a"))!;
        var b = catalog.Lookup(PathKey.ForPath("/hardlinks/pair-b"))!;

        Assert.Equal(4294967298, a.Hardlinks);
        Assert.Equal((1u, 2u), (a.HardlinkGroup, a.LinkCount));
        Assert.Equal(a.ContentHash, b.ContentHash);
        Assert.Equal("5daae4f720aa1422b02142b66239ed86f35a7a57", a.ContentHash.ToString());
        Assert.Equal(PathKey.ForPath("/hardlinks"), a.ParentKey);
    }

    [Fact]
    public void Chunked_file_has_no_bulk_hash_and_two_chunk_rows()
    {
        using var catalog = Open(RootCatalog);

        var file = catalog.Lookup(PathKey.ForPath("/data/random-6M.bin"))!;
        var chunks = catalog.ListChunks(file.Key, file.HashAlgorithm);

        Assert.Equal(EntryFlags.File | EntryFlags.Chunked, file.Flags);
        Assert.Null(file.ContentHash);
        Assert.Equal(
        [
            new ChunkRecord(0, 5534236, ContentHash.Parse("5d13562aef28626b2bf48bef81fc7c76d8d21d22")),
            new ChunkRecord(5534236, 465781, ContentHash.Parse("f6ef3049f3915eec4fbd22ea593ae225237c6ffd")),
        ], chunks);
    }

    [Fact]
    public void Symlink_row_keeps_the_raw_variant_target()
    {
        using var catalog = Open(RootCatalog);

        var link = catalog.Lookup(PathKey.ForPath("/links/variant"))!;

        Assert.Equal(EntryKind.Symlink, link.Kind);
        Assert.Equal(EntryFlags.File | EntryFlags.Link, link.Flags);
        Assert.Equal("$(STRATA_VECTORS_UNSET:-fallback)/target", link.Symlink);
        Assert.Equal(40, link.Size);
        Assert.Equal(41471u, link.Mode);
    }

    [Fact]
    public void Directory_xattrs_are_decoded()
    {
        using var catalog = Open(RootCatalog);

        var dir = catalog.Lookup(PathKey.ForPath("/xattrs/dir-with-xattr"))!;

        Assert.Equal("on a directory"u8.ToArray(), dir.Xattrs!.Get("user.dirattr"));
    }

    [Fact]
    public void Nested_mount_point_is_flag_3_in_the_parent_and_33_in_the_child()
    {
        using var root = Open(RootCatalog);
        using var nested = Open(NestedCatalog);

        Assert.Equal(EntryFlags.Directory | EntryFlags.NestedMountpoint, root.Lookup(PathKey.ForPath("/nested"))!.Flags);
        var nestedRoot = nested.Lookup(PathKey.ForPath("/nested"))!;
        Assert.Equal(EntryFlags.Directory | EntryFlags.NestedRoot, nestedRoot.Flags);
        Assert.Equal(PathKey.Root, nestedRoot.ParentKey);
        Assert.Equal("/nested", nested.RootPrefix);
        Assert.Equal("/nested/level2", Assert.Single(nested.NestedCatalogs).Path);
    }

    [Fact]
    public void Listing_by_parent_key_returns_the_direct_children()
    {
        using var nested = Open(NestedCatalog);

        var names = nested.List(PathKey.ForPath("/nested")).Select(e => e.Name).Order(StringComparer.Ordinal);

        Assert.Equal([".cvmfscatalog", "big", "inner.txt", "level2"], names);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(73)]
    [InlineData(1000)]
    public void Paged_enumeration_returns_every_row_once_whatever_the_page_size(int pageSize)
    {
        using var catalog = Open(RootCatalog);

        var keys = catalog.EnumerateEntries(pageSize).Select(e => e.Key).ToList();

        Assert.Equal(74, keys.Count); // 22 + 1 + 43 + 7 + 1 rows by flags (1, 3, 4, 12, 68)
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    [Fact]
    public void Every_catalog_in_the_repository_opens_with_schema_2_5()
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(TestVectors.Repo, "data"), "*C", SearchOption.AllDirectories))
        {
            using var catalog = Open(Path.GetRelativePath(TestVectors.Repo, file));
            Assert.Equal("2.5", catalog.SchemaVersion);
            Assert.NotNull(catalog.Lookup(PathKey.ForPath(catalog.RootPrefix)));
        }
    }

    public void Dispose() => _scratch.Dispose();

    private Catalog Open(string relative) => Catalog.Open(TestVectors.ExtractObject(relative, _scratch.Path));
}
