using Strata.Oci.Digests;

namespace Strata.Publish.Repository;

/// <summary>
/// The repository tree Strata publishes, DUCC-compatible where DUCC has a convention:
/// <code>
/// /                                            root catalog
/// /&lt;host&gt;/&lt;repo&gt;:&lt;tag&gt;                         public name: relative symlink to the flat image
///                                              (multi-arch: variant symlink into .platforms)
/// /.flat/                                      nested catalog
///   &lt;xx&gt;/                                      nested catalog per 2-hex bucket
///     &lt;config hex&gt;/                            nested catalog(s): the flat root file system
/// /.layers/                                    nested catalog
///   &lt;xx&gt;/                                      nested catalog per bucket
///     &lt;layer hex&gt;/layerfs/                     nested catalog(s): the layer in overlayfs form
/// /.metadata/&lt;host&gt;/&lt;repo&gt;:&lt;tag&gt;/manifest.json     nested catalog: the tag's manifest bytes
///                             manifests/&lt;platform&gt;.json  (index: each platform's manifest)
/// /.platforms/&lt;host&gt;/&lt;repo&gt;:&lt;tag&gt;/&lt;os&gt;-&lt;arch&gt;[-&lt;variant&gt;]   symlink to the flat image
///                                      /x86_64, aarch64 …        uname -m aliases (CVMFS_ARCH)
/// </code>
/// Layers are keyed by compressed digest (what containerd's CRI label names, so the cvmfs
/// snapshotter finds them), flat images by config digest (same config ⇒ same diff ids ⇒ same tree).
/// </summary>
public static class RepositoryLayout
{
    public const string FlatDirectory = "/.flat";
    public const string LayersDirectory = "/.layers";
    public const string MetadataDirectory = "/.metadata";
    public const string PlatformsDirectory = "/.platforms";

    public static string Bucket(Digest digest) => digest.Hex[..2];

    /// <summary><c>/.layers/xx/&lt;hex&gt;/layerfs</c>.</summary>
    public static string LayerRoot(Digest layer) => $"{LayersDirectory}/{Bucket(layer)}/{layer.Hex}/layerfs";

    /// <summary><c>/.flat/xx/&lt;config hex&gt;</c>.</summary>
    public static string FlatRoot(Digest config) => $"{FlatDirectory}/{Bucket(config)}/{config.Hex}";
}
