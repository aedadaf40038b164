namespace Strata.EndToEnd.Tests.Infrastructure;

/// <summary>Assertions that two OCI layouts hold the same content.</summary>
public static class LayoutAssert
{
    /// <summary>
    /// The manifest <paramref name="manifestDigest"/>, its config and every layer exist in both
    /// layouts with identical bytes (and each file's bytes match the digest it is named by).
    /// </summary>
    public static void SameImage(OciLayout expected, OciLayout actual, string manifestDigest)
    {
        SameBlob(expected, actual, manifestDigest);
        var blobs = expected.ManifestBlobs(manifestDigest);
        Assert.Equal(blobs, actual.ManifestBlobs(manifestDigest));
        foreach (var blob in blobs)
        {
            SameBlob(expected, actual, blob.Digest);
        }
    }

    /// <summary>The blob's files in both layouts have the same bytes, and those bytes have the digest (compared in pieces: blobs may be large).</summary>
    public static void SameBlob(OciLayout expected, OciLayout actual, string digest)
    {
        Assert.True(File.Exists(actual.BlobPath(digest)), $"{digest} is missing from {actual.Path}");
        Assert.Equal(digest, Digests.OfFile(actual.BlobPath(digest)));
        using var want = File.OpenRead(expected.BlobPath(digest));
        using var got = File.OpenRead(actual.BlobPath(digest));
        Assert.True(want.Length == got.Length, $"{digest}: {want.Length} bytes expected, {got.Length} read back");
        var a = new byte[1 << 20];
        var b = new byte[1 << 20];
        for (long offset = 0; offset < want.Length; offset += a.Length)
        {
            var count = (int)Math.Min(a.Length, want.Length - offset);
            want.ReadExactly(a, 0, count);
            got.ReadExactly(b, 0, count);
            Assert.True(a.AsSpan(0, count).SequenceEqual(b.AsSpan(0, count)), $"{digest}: bytes differ in [{offset}, {offset + count})");
        }
    }
}
