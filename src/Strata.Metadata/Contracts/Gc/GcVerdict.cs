namespace Strata.Metadata.Contracts.Gc;

/// <summary>What a review decided.</summary>
public enum GcVerdict
{
    /// <summary>Still referenced: the review is closed (or postponed while young unreferenced links remain).</summary>
    Kept,

    /// <summary>Nothing to do: the blob or manifest no longer exists.</summary>
    Vanished,

    /// <summary>A manifest: deleted in the review's transaction.</summary>
    Deleted,

    /// <summary>A blob: marked deleting; the caller deletes the bytes and completes the deletion.</summary>
    Condemned,
}
