namespace Strata.Metadata.Tests;

public abstract partial class MetadataStoreConformanceTests
{
    private const string SbomType = "application/spdx+json";
    private const string SignatureType = "application/vnd.dev.cosign.artifact.sig.v1+json";

    [Fact]
    public async Task ListReferrers_returns_the_subjects_referrers_ordered_by_digest()
    {
        var subject = await PushImageAsync("r", "img");
        var referrers = Enumerable.Range(0, 5)
            .Select(i => TestData.Manifest("r", $"ref{i}", subject: subject.Digest, artifactType: i % 2 == 0 ? SbomType : SignatureType, annotationsJson: $$"""{"i":"{{i}}"}"""))
            .ToList();
        foreach (var referrer in referrers)
        {
            Assert.True((await Store.PutManifestAsync(TestData.Write(referrer), Ct)).Succeeded);
        }

        await Store.PutManifestAsync(TestData.Write(TestData.Manifest("r", "unrelated", subject: TestData.DigestOf("x"))), Ct);
        await Store.PutManifestAsync(TestData.Write(TestData.Manifest("other", "elsewhere", subject: subject.Digest)), Ct);

        var listed = await Store.ListReferrersAsync("r", subject.Digest, null, Ct);

        var expected = referrers.OrderBy(m => m.Digest.ToString(), StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Select(m => m.Digest), listed.Select(m => m.Digest));
        for (var i = 0; i < expected.Count; i++)
        {
            AssertSameManifest(expected[i], listed[i], compareContent: false);
        }
    }

    [Fact]
    public async Task ListReferrers_filters_by_artifact_type()
    {
        var subject = TestData.DigestOf("subject");
        var sbom = TestData.Manifest("r", "sbom", subject: subject, artifactType: SbomType);
        var signature = TestData.Manifest("r", "sig", subject: subject, artifactType: SignatureType);
        await Store.PutManifestAsync(TestData.Write(sbom), Ct);
        await Store.PutManifestAsync(TestData.Write(signature), Ct);

        var listed = await Store.ListReferrersAsync("r", subject, SbomType, Ct);

        Assert.Equal([sbom.Digest], listed.Select(m => m.Digest));
        Assert.Empty(await Store.ListReferrersAsync("r", subject, "application/x.none", Ct));
    }

    [Fact]
    public async Task PutManifest_accepts_a_subject_that_is_not_stored()
    {
        // OCI allows pushing referrers before (or without) their subject.
        var subject = TestData.DigestOf("not pushed yet");
        var referrer = TestData.Manifest("r", "sig", subject: subject, artifactType: SignatureType);

        Assert.True((await Store.PutManifestAsync(TestData.Write(referrer), Ct)).Succeeded);

        Assert.Equal([referrer.Digest], (await Store.ListReferrersAsync("r", subject, null, Ct)).Select(m => m.Digest));
    }

    [Fact]
    public async Task ListReferrers_without_referrers_is_empty()
    {
        var subject = await PushImageAsync("r", "img");

        Assert.Empty(await Store.ListReferrersAsync("r", subject.Digest, null, Ct));
        Assert.Empty(await Store.ListReferrersAsync("unknown", subject.Digest, null, Ct));
    }

    [Fact]
    public async Task ListReferrers_forgets_a_deleted_referrer()
    {
        var subject = TestData.DigestOf("subject");
        var referrer = TestData.Manifest("r", "sig", subject: subject);
        await Store.PutManifestAsync(TestData.Write(referrer), Ct);

        await Store.DeleteManifestAsync("r", referrer.Digest, Ct);

        Assert.Empty(await Store.ListReferrersAsync("r", subject, null, Ct));
    }
}
