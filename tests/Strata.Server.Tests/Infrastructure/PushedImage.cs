namespace Strata.Server.Tests.Infrastructure;

/// <summary>An image manifest the test pushed together with its config and layer blobs.</summary>
public sealed record PushedImage(
    string Repository, byte[] Content, string Digest, string MediaType, TestBlob Config, IReadOnlyList<TestBlob> Layers)
    : PushedManifest(Repository, Content, Digest, MediaType);
