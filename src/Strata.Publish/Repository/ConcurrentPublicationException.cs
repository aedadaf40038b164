namespace Strata.Publish.Repository;

/// <summary>Another writer changed the manifest while this commit was being built; nothing was published.</summary>
public sealed class ConcurrentPublicationException(string message) : Exception(message);
