namespace Strata.Server.Tests.Infrastructure;

/// <summary>Unique repository names and tags, so tests sharing a registry never collide.</summary>
public static class Names
{
    /// <summary>e.g. <c>conformance/blobs-3f9a1c2e</c>: valid per the spec's name grammar.</summary>
    public static string Repository(string prefix = "conformance") =>
        $"{prefix}/r{Guid.NewGuid().ToString("N")[..12]}";

    public static string Tag(string prefix = "t") => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";
}
