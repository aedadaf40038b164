using Strata.Oci.Names;

namespace Strata.Oci.Tests.Names;

public sealed class TagNameTests
{
    [Theory]
    [InlineData("latest")]
    [InlineData("1")]
    [InlineData("v1.2.3")]
    [InlineData("_private")]
    [InlineData("UPPER-lower_9.x")]
    [InlineData("sha256-abcdef.sig")]
    [InlineData("a..b")]
    [InlineData("a--")]
    public void Valid_tags_are_accepted(string tag)
    {
        Assert.True(TagName.IsValid(tag));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("-dash")]
    [InlineData("a/b")]
    [InlineData("a:b")]
    [InlineData("a+b")]
    [InlineData("a b")]
    [InlineData("a@sha256")]
    [InlineData("latest\n")]
    [InlineData("t\u00e4g")]
    public void Invalid_tags_are_rejected(string? tag)
    {
        Assert.False(TagName.IsValid(tag));
    }

    [Fact]
    public void Tag_of_128_characters_is_the_longest_accepted()
    {
        Assert.True(TagName.IsValid(new string('a', 128)));
        Assert.False(TagName.IsValid(new string('a', 129)));
    }
}
