using Strata.Oci.Names;

namespace Strata.Oci.Tests.Names;

public sealed class RepositoryNameTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("ubuntu")]
    [InlineData("library/ubuntu")]
    [InlineData("cern/atlas/athena/analysis-base")]
    [InlineData("a/b/c/d/e/f/g")]
    [InlineData("a.b")]
    [InlineData("a_b")]
    [InlineData("a__b")]
    [InlineData("a-b")]
    [InlineData("a--b")]
    [InlineData("a---b")]
    [InlineData("a.b_c__d-e--f")]
    [InlineData("v1.0/x9")]
    public void Valid_names_are_accepted(string name)
    {
        Assert.True(RepositoryName.IsValid(name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("A")]
    [InlineData("library/Ubuntu")]
    [InlineData("/a")]
    [InlineData("a/")]
    [InlineData("a//b")]
    [InlineData("a___b")]
    [InlineData("a..b")]
    [InlineData("a._b")]
    [InlineData("a-.b")]
    [InlineData("a_-b")]
    [InlineData(".a")]
    [InlineData("_a")]
    [InlineData("-a")]
    [InlineData("a.")]
    [InlineData("a_")]
    [InlineData("a-")]
    [InlineData("a/.b")]
    [InlineData("a/../b")]
    [InlineData("a b")]
    [InlineData("a:b")]
    [InlineData("a@b")]
    [InlineData("a\\b")]
    [InlineData("a\n")]
    [InlineData("\u00e4")]
    public void Invalid_names_are_rejected(string? name)
    {
        Assert.False(RepositoryName.IsValid(name));
    }

    [Fact]
    public void Name_of_exactly_255_characters_is_accepted()
    {
        var name = string.Join('/', Enumerable.Repeat("abcdefghij", 23)) + "/ab";

        Assert.Equal(RepositoryName.MaxLength, name.Length);
        Assert.True(RepositoryName.IsValid(name));
    }

    [Fact]
    public void Name_longer_than_255_characters_is_rejected()
    {
        Assert.False(RepositoryName.IsValid(new string('a', RepositoryName.MaxLength + 1)));
        Assert.False(RepositoryName.IsValid(string.Join('/', Enumerable.Repeat("abcdefghij", 23)) + "/abc"));
    }
}
