namespace Strata.Publish.Gc.Mirror;

/// <summary>What one collection of a mirror found and deleted (or, dry, would delete).</summary>
/// <param name="Summary">The counts, as for the repository.</param>
/// <param name="Objects">Every object deleted (dry: that a real run would delete), repository-relative, in deletion order.</param>
public sealed record MirrorGcResult(RepositoryGcResult Summary, IReadOnlyList<string> Objects);
