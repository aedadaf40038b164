namespace Strata.Server.Tests.Infrastructure;

/// <summary>An OCI content descriptor as the tests write it into manifests.</summary>
public sealed record Descriptor(string MediaType, string Digest, long Size)
{
    public string? ArtifactType { get; init; }

    public Platform? Platform { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>Base64 of the content, embedded (the descriptor <c>data</c> field).</summary>
    public string? Data { get; init; }
}
