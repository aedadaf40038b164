using Strata.Storage.Drivers;

namespace Strata.Publish.Storage;

/// <summary>
/// Where a CernVM-FS repository lives inside the registry's blob driver. Every path is built here.
/// <code>
/// cvmfs/&lt;fqrn&gt;/
///   .cvmfspublished          signed manifest (replaced atomically, written last)
///   .cvmfswhitelist          signed whitelist
///   data/ab/cdef…[-shake128][C|P|X|H]   immutable content-addressed objects
/// </code>
/// The HTTP endpoint serves <c>/cvmfs/&lt;fqrn&gt;/&lt;path&gt;</c> from <see cref="Object"/>
/// of the same relative path, so the driver tree is exactly a Stratum 0 directory.
/// </summary>
public static class CvmfsStoragePaths
{
    public const string Root = "cvmfs";

    /// <summary>The driver prefix of a repository, with a trailing slash.</summary>
    public static string Prefix(string repositoryName)
    {
        if (!StoragePath.IsValid(repositoryName) || repositoryName.Contains('/'))
        {
            throw new ArgumentException($"'{repositoryName}' is not a usable repository name.", nameof(repositoryName));
        }

        return $"{Root}/{repositoryName}/";
    }

    /// <summary>The driver path of a repository-relative path (<c>.cvmfspublished</c>, <c>data/ab/…</c>).</summary>
    public static string Object(string repositoryName, string relativePath) => Prefix(repositoryName) + relativePath;
}
