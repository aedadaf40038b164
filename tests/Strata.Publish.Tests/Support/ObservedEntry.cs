namespace Strata.Publish.Tests.Support;

/// <summary>An entry as a client sees it, for comparisons (paths relative to the tree's root).</summary>
internal sealed record ObservedEntry(string Path, string Type, uint Permissions, long Uid, long Gid, long Size, string? Target, string? Sha256, uint LinkCount, string Xattrs, long Rdev);
