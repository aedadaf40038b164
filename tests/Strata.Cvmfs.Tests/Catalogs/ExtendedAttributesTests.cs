using Strata.Cvmfs.Catalogs;

namespace Strata.Cvmfs.Tests.Catalogs;

public sealed class ExtendedAttributesTests
{
    [Fact]
    public void Real_blob_with_four_attributes_parses_including_binary_and_empty_values()
    {
        var blob = Convert.FromHexString("01040601757365722e61310b05757365722e62696e617279000102feff0a00757365722e656d7074790907757365722e75746638776572742dc3bc");

        var xattrs = ExtendedAttributes.Parse(blob);

        Assert.Equal(["user.a", "user.binary", "user.empty", "user.utf8"], xattrs.Attributes.Select(a => a.Key));
        Assert.Equal("31", Convert.ToHexStringLower(xattrs.Get("user.a")!));
        Assert.Equal("000102feff", Convert.ToHexStringLower(xattrs.Get("user.binary")!));
        Assert.Empty(xattrs.Get("user.empty")!);
        Assert.Equal("776572742dc3bc", Convert.ToHexStringLower(xattrs.Get("user.utf8")!));
        Assert.Equal(blob, xattrs.ToBlob());
    }

    [Fact]
    public void Security_capability_blob_round_trips()
    {
        var blob = Convert.FromHexString("0101131473656375726974792e6361706162696c6974790100000200040000000000000000000000000000");

        var xattrs = ExtendedAttributes.Parse(blob);

        Assert.Equal("0100000200040000000000000000000000000000", Convert.ToHexStringLower(xattrs.Get("security.capability")!));
        Assert.Equal(blob, xattrs.ToBlob());
    }

    [Fact]
    public void Created_attributes_are_serialized_in_name_order()
    {
        var xattrs = ExtendedAttributes.Create(
        [
            new("user.utf8", Convert.FromHexString("776572742dc3bc")),
            new("user.empty", []),
            new("user.binary", Convert.FromHexString("000102feff")),
            new("user.a", "1"u8.ToArray()),
        ]);

        Assert.Equal("01040601757365722e61310b05757365722e62696e617279000102feff0a00757365722e656d7074790907757365722e75746638776572742dc3bc", Convert.ToHexStringLower(xattrs.ToBlob()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("02")]
    [InlineData("0201")]
    [InlineData("010106")]
    [InlineData("0101060175736572")]
    [InlineData("01000000")]
    public void Malformed_blobs_are_rejected(string hex)
    {
        Assert.Throws<CvmfsFormatException>(() => ExtendedAttributes.Parse(Convert.FromHexString(hex)));
    }

    [Fact]
    public void Values_longer_than_255_bytes_cannot_be_stored()
    {
        Assert.Throws<CvmfsFormatException>(() => ExtendedAttributes.Create([new("user.big", new byte[256])]));
    }
}
