namespace Strata.Server.Tests.Infrastructure;

/// <summary>An upload started with POST: its absolute location and the hints the registry gave.</summary>
public sealed record UploadSession(Uri Location, string? UploadUuid, int? ChunkMinLength)
{
    /// <summary>A chunk size at least <paramref name="wanted"/> and no less than OCI-Chunk-Min-Length.</summary>
    public int ChunkSize(int wanted) => Math.Max(wanted, ChunkMinLength ?? 0);
}
