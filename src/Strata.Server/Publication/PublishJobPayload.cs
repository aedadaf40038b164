namespace Strata.Server.Publication;

/// <summary>What a publish job works on. The job reconciles the tag: published if it exists, removed if not.</summary>
public sealed record PublishJobPayload(string Repository, string Tag);
