namespace Strata.Publish.Tests.Verification;

/// <summary>One entry of a verified revision, as its catalog row says (content checked for files).</summary>
/// <param name="Path">Full repository path ("" is the root).</param>
/// <param name="Type">dir, file, symlink or special.</param>
/// <param name="Permissions">Mode bits below the file type (0o7777).</param>
/// <param name="Size">Catalog size (content length for files).</param>
/// <param name="Symlink">Symlink target, verbatim.</param>
/// <param name="Sha256">SHA-256 hex of the decompressed, verified content of a file.</param>
/// <param name="Chunks">Chunk count of a chunked file (0 when stored whole).</param>
internal sealed record VerifiedEntry(string Path, string Type, int Permissions, long Uid, long Gid, long Size, string? Symlink, string? Sha256, int Chunks);
