namespace Strata.Publish.Repository;

/// <summary>
/// Maps OCI architecture names to what <c>uname -m</c> prints, which is what the cvmfs client puts
/// in <c>CVMFS_ARCH</c> (cvmfs/cvmfs#3127) and so what a variant symlink
/// <c>$(CVMFS_ARCH:-x86_64)</c> resolves to. OCI (Go) names differ: amd64 is x86_64, arm64 is aarch64.
/// </summary>
public static class ArchitectureAliases
{
    /// <summary>The <c>uname -m</c> names a Linux host of this platform reports.</summary>
    public static IReadOnlyList<string> For(string architecture, string? variant) => (architecture, variant) switch
    {
        ("amd64", _) => ["x86_64"],
        ("arm64", _) => ["aarch64"],
        ("arm", "v6") => ["armv6l"],
        ("arm", "v5") => ["armv5tel", "armv5l"],
        ("arm", _) => ["armv7l"],
        ("386", _) => ["i686", "i386"],
        ("ppc64le", _) => ["ppc64le"],
        ("ppc64", _) => ["ppc64"],
        ("s390x", _) => ["s390x"],
        ("riscv64", _) => ["riscv64"],
        ("mips64le", _) or ("mips64", _) => ["mips64"],
        ("loong64", _) => ["loongarch64"],
        _ => [],
    };
}
