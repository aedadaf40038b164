using Strata.Cvmfs.Reading;

namespace Strata.Cvmfs.Tests.Reading;

public sealed class VariantSymlinkTests
{
    [Theory]
    [InlineData("$(STRATA_VECTORS_UNSET:-fallback)/target", "fallback/target")]
    [InlineData("$(ARCH)/lib", "x86_64/lib")]
    [InlineData("$(ARCH:-aarch64)/lib", "x86_64/lib")]
    [InlineData("$(UNSET)/lib", "/lib")]
    [InlineData("a$(ARCH)b$(UNSET:-c)d", "ax86_64bcd")]
    [InlineData("plain/target", "plain/target")]
    [InlineData("$HOME/x", "$HOME/x")]
    [InlineData("$(unclosed", "$(unclosed")]
    [InlineData("cost$", "cost$")]
    public void Variables_are_expanded_with_defaults_for_unset_ones(string raw, string expanded)
    {
        Assert.Equal(expanded, VariantSymlink.Expand(raw, name => name == "ARCH" ? "x86_64" : null));
    }
}
