namespace Strata.Metadata.Contracts;

/// <summary>The kinds of <see cref="OutboxEvent"/> the registry writes.</summary>
public static class OutboxEventKinds
{
    /// <summary>A manifest was stored in a repository (first time only for a given digest).</summary>
    public const string ManifestPushed = "manifest.pushed";

    /// <summary>A manifest was deleted, with every tag that pointed at it.</summary>
    public const string ManifestDeleted = "manifest.deleted";

    /// <summary>A tag was created or moved to the event's digest.</summary>
    public const string TagSet = "tag.set";

    /// <summary>A tag was removed (the manifest stays).</summary>
    public const string TagDeleted = "tag.deleted";

    /// <summary>A blob was unlinked from a repository (a GC candidate).</summary>
    public const string BlobUnlinked = "blob.unlinked";
}
