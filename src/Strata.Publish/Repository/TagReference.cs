namespace Strata.Publish.Repository;

/// <summary>A repository and tag.</summary>
public sealed record TagReference(string Repository, string Tag);
