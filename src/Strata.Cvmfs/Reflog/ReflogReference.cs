using Strata.Cvmfs.Objects;

namespace Strata.Cvmfs.Reflog;

/// <summary>A row of the reflog's <c>refs</c> table.</summary>
/// <param name="Hash">The referenced object.</param>
/// <param name="Kind">What it is.</param>
/// <param name="Timestamp">When it was published, seconds since the epoch.</param>
public sealed record ReflogReference(ContentHash Hash, ReflogReferenceKind Kind, long Timestamp);
