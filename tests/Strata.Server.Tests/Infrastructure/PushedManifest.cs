namespace Strata.Server.Tests.Infrastructure;

/// <summary>A manifest the test pushed: the exact bytes, their digest and the media type sent.</summary>
public record PushedManifest(string Repository, byte[] Content, string Digest, string MediaType)
{
    public long Size => Content.Length;

    public Descriptor Descriptor => new(MediaType, Digest, Content.Length);
}
