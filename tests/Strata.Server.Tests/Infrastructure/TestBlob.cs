using System.Security.Cryptography;

namespace Strata.Server.Tests.Infrastructure;

/// <summary>Blob content with its digest, ready to be uploaded and described in a manifest.</summary>
public sealed record TestBlob(byte[] Content, string Digest)
{
    public long Size => Content.Length;

    public static TestBlob Random(int size, string algorithm = Digests.Sha256) =>
        From(RandomNumberGenerator.GetBytes(size), algorithm);

    public static TestBlob From(byte[] content, string algorithm = Digests.Sha256) =>
        new(content, Digests.Of(content, algorithm));

    public static TestBlob FromText(string text, string algorithm = Digests.Sha256) =>
        From(System.Text.Encoding.UTF8.GetBytes(text), algorithm);

    /// <summary>The OCI empty descriptor's content, <c>{}</c>.</summary>
    public static TestBlob EmptyJson(string algorithm = Digests.Sha256) => FromText("{}", algorithm);

    /// <summary>A small, unique, valid OCI image config.</summary>
    public static TestBlob ImageConfig(string os = "linux", string architecture = "amd64", string algorithm = Digests.Sha256) =>
        FromText(
            "{\"architecture\":\"" + architecture + "\",\"os\":\"" + os
            + "\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"config\":{\"Labels\":{\"nonce\":\""
            + Guid.NewGuid().ToString("N") + "\"}}}",
            algorithm);

    public Descriptor Describe(string mediaType) => new(mediaType, Digest, Size);
}
