using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Objects;

namespace Strata.Cvmfs.Tests.Catalogs;

public sealed class EntryFlagsTests
{
    [Theory]
    [InlineData(1, EntryKind.Directory)]
    [InlineData(3, EntryKind.Directory)]
    [InlineData(33, EntryKind.Directory)]
    [InlineData(4, EntryKind.File)]
    [InlineData(68, EntryKind.File)]
    [InlineData(132, EntryKind.File)]
    [InlineData(12, EntryKind.Symlink)]
    [InlineData(16, EntryKind.Special)]
    public void Kind_is_decided_from_the_flags(int flags, EntryKind kind)
    {
        var entry = new CatalogEntry { Key = PathKey.Root, ParentKey = PathKey.None, Flags = (EntryFlags)flags, Name = "x" };

        Assert.Equal(kind, entry.Kind);
    }

    [Fact]
    public void Default_bits_mean_sha1_and_zlib()
    {
        Assert.Equal(ContentHashAlgorithm.Sha1, EntryFlags.File.HashAlgorithm());
        Assert.Equal(ObjectCompression.Zlib, EntryFlags.File.Compression());
    }

    [Fact]
    public void Hash_algorithm_and_compression_live_in_bits_8_to_13()
    {
        var flags = (EntryFlags.File | EntryFlags.Chunked).WithContentEncoding(ContentHashAlgorithm.Shake128, ObjectCompression.None);

        Assert.Equal(68 | (2 << 8) | (1 << 11), (int)flags);
        Assert.Equal(ContentHashAlgorithm.Shake128, flags.HashAlgorithm());
        Assert.Equal(ObjectCompression.None, flags.Compression());
        Assert.Equal(EntryFlags.File | EntryFlags.Chunked, flags & ~(EntryFlags.HashAlgorithmMask | EntryFlags.CompressionMask));
    }

    [Fact]
    public void Hardlinks_column_packs_group_and_link_count()
    {
        var entry = new CatalogEntry { Key = PathKey.Root, ParentKey = PathKey.None, Flags = EntryFlags.File, Name = "pair-a", Hardlinks = 4294967298 };

        Assert.Equal(1u, entry.HardlinkGroup);
        Assert.Equal(2u, entry.LinkCount);
        Assert.Equal(4294967298, CatalogEntry.PackHardlinks(1, 2));
    }
}
