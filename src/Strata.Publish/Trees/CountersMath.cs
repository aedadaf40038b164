using Strata.Cvmfs.Catalogs;

namespace Strata.Publish.Trees;

/// <summary>Subtraction for catalog counters (the format library only adds).</summary>
internal static class CountersMath
{
    public static CatalogCounters Subtract(CatalogCounters a, CatalogCounters b) => new()
    {
        Chunked = a.Chunked - b.Chunked,
        ChunkedSize = a.ChunkedSize - b.ChunkedSize,
        Chunks = a.Chunks - b.Chunks,
        Directories = a.Directories - b.Directories,
        External = a.External - b.External,
        ExternalFileSize = a.ExternalFileSize - b.ExternalFileSize,
        FileSize = a.FileSize - b.FileSize,
        Nested = a.Nested - b.Nested,
        Regular = a.Regular - b.Regular,
        Special = a.Special - b.Special,
        Symlinks = a.Symlinks - b.Symlinks,
        Xattrs = a.Xattrs - b.Xattrs,
    };

    public static bool IsZero(CatalogCounters c) => c == CatalogCounters.Zero;
}
