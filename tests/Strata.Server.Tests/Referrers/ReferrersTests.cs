using System.Net;
using System.Text.Json;
using Strata.Server.Tests.Infrastructure;

namespace Strata.Server.Tests.Referrers;

/// <summary>
/// end-12a/12b: <c>GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;[?artifactType=]</c> ("Listing Referrers"):
/// always an image index (never 404), one descriptor per manifest in the repository whose
/// <c>subject</c> is the digest, carrying mediaType, digest, size, artifactType (the manifest's, else
/// its config's mediaType for an image manifest, else none for an index) and all annotations;
/// <c>OCI-Filters-Applied: artifactType</c> when filtered. Mirrors the official "artifacts-with-subject",
/// "index-with-subject" and "missing-subject" data and <c>TestReferrers</c>.
/// </summary>
public sealed class ReferrersTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private RegistryClient Client => fixture.Client;

    [Fact]
    public async Task Referrers_of_a_digest_without_referrers_is_an_empty_index()
    {
        var repository = Names.Repository();
        var subject = await Client.PushImageAsync(repository, "subject");

        var response = await Client.ReferrersAsync(repository, subject.Digest);

        Assert.Empty(await ReadIndexAsync(response));
    }

    [Fact]
    public async Task Referrers_of_an_unknown_digest_is_an_empty_index()
    {
        var repository = Names.Repository();
        await Client.PushImageAsync(repository, "x");

        var response = await Client.ReferrersAsync(repository, Digests.Unknown());

        Assert.Empty(await ReadIndexAsync(response));
    }

    [Fact]
    public async Task Referrers_in_an_unknown_repository_is_an_empty_index_not_404()
    {
        // "A registry that supports the referrers API MUST NOT return 404 Not Found"; the official suite
        // queries the referrers of a random digest before it has pushed anything (TestEmptyReferrers).
        var response = await Client.ReferrersAsync(Names.Repository(), Digests.Unknown());

        Assert.Empty(await ReadIndexAsync(response));
    }

    [Fact]
    public async Task Referrers_lists_every_referrer_with_media_type_digest_size_artifact_type_and_annotations()
    {
        var repository = Names.Repository();
        var scenario = await PushScenarioAsync(repository);

        var entries = await ListAllAsync(repository, scenario.Subject.Digest);

        AssertSameReferrers(scenario.All, entries);
    }

    [Fact]
    public async Task Image_manifest_without_artifact_type_is_listed_with_its_config_media_type()
    {
        var repository = Names.Repository();
        var subject = await Client.PushImageAsync(repository, "subject");
        var plain = await Client.PushImageAsync(repository, subject: subject.Descriptor);

        var entries = await ListAllAsync(repository, subject.Digest);

        var entry = Assert.Single(entries);
        Assert.Equal(plain.Digest, entry.GetProperty("digest").GetString());
        Assert.Equal(MediaTypes.OciConfig, entry.GetProperty("artifactType").GetString());
    }

    [Fact]
    public async Task Index_without_artifact_type_is_listed_without_one()
    {
        var repository = Names.Repository();
        var subject = await Client.PushImageAsync(repository, "subject");
        var child = await Client.PushImageAsync(repository);
        var index = await Client.PushIndexAsync(repository, [child.Descriptor], subject: subject.Descriptor);

        var entries = await ListAllAsync(repository, subject.Digest);

        var entry = Assert.Single(entries);
        Assert.Equal(index.Digest, entry.GetProperty("digest").GetString());
        Assert.Equal(MediaTypes.OciIndex, entry.GetProperty("mediaType").GetString());
        Assert.False(entry.TryGetProperty("artifactType", out var artifactType) && artifactType.ValueKind != JsonValueKind.Null,
            "an index without artifactType must be listed without one: " + entry);
    }

    [Fact]
    public async Task Filter_by_artifact_type_returns_only_matching_referrers_and_says_so()
    {
        var repository = Names.Repository();
        var scenario = await PushScenarioAsync(repository);

        foreach (var artifactType in new[] { MediaTypes.ExampleArtifact1, MediaTypes.ExampleArtifact2, MediaTypes.OciConfig })
        {
            var response = await Client.ReferrersAsync(repository, scenario.Subject.Digest, artifactType);

            // "the registry MUST include the OCI-Filters-Applied: artifactType header".
            var applied = (await HttpAssert.RequiredHeaderAsync(response, "OCI-Filters-Applied")).Split(',', StringSplitOptions.TrimEntries);
            Assert.Contains("artifactType", applied);
            AssertSameReferrers([.. scenario.All.Where(r => r.ArtifactType == artifactType)], await ReadIndexAsync(response));
        }
    }

    [Fact]
    public async Task Filter_matching_nothing_returns_an_empty_index_with_the_filter_header()
    {
        var repository = Names.Repository();
        var scenario = await PushScenarioAsync(repository);

        var response = await Client.ReferrersAsync(repository, scenario.Subject.Digest, "application/vnd.example.nothing");

        Assert.Empty(await ReadIndexAsync(response));
        await HttpAssert.HeaderEqualAsync(response, "OCI-Filters-Applied", "artifactType");
    }

    [Fact]
    public async Task Unfiltered_response_does_not_claim_a_filter()
    {
        var repository = Names.Repository();
        var scenario = await PushScenarioAsync(repository);

        var response = await Client.ReferrersAsync(repository, scenario.Subject.Digest);

        await ReadIndexAsync(response);
        await HttpAssert.NoHeaderAsync(response, "OCI-Filters-Applied");
    }

    [Fact]
    public async Task Referrer_with_missing_subject_is_listed_under_that_subject()
    {
        // Official "missing-subject": the subject never exists, its referrers list still shows the referrer.
        var repository = Names.Repository();
        var subject = new Descriptor(MediaTypes.OciManifest, Digests.Of("missing content"u8), 123);
        var annotations = new Dictionary<string, string> { ["org.opencontainers.conformance"] = "hello conformance test", ["nonce"] = Guid.NewGuid().ToString() };
        var artifact = await Client.PushImageAsync(
            repository, "tagged-artifact", subject: subject, artifactType: MediaTypes.ExampleArtifact1,
            annotations: annotations, emptyConfig: true, layerMediaType: MediaTypes.ExampleArtifact1);

        var entries = await ListAllAsync(repository, subject.Digest);

        AssertSameReferrers([new Expected(artifact.Descriptor, MediaTypes.ExampleArtifact1, annotations)], entries);
    }

    [Fact]
    public async Task Referrers_of_an_index_subject_are_listed()
    {
        // Official "index-with-subject": an artifact index whose subject is an index.
        var repository = Names.Repository();
        var subject = await Client.PushIndexAsync(repository, [(await Client.PushImageAsync(repository)).Descriptor], "index");
        var child = await Client.PushImageAsync(repository);
        var annotations = new Dictionary<string, string> { ["org.opencontainers.conformance"] = "hello conformance test" };
        var referrer = await Client.PushIndexAsync(repository, [child.Descriptor], "tagged-artifact", subject.Descriptor, MediaTypes.ExampleArtifact1, annotations);

        var entries = await ListAllAsync(repository, subject.Digest);

        AssertSameReferrers([new Expected(referrer.Descriptor, MediaTypes.ExampleArtifact1, annotations)], entries);
    }

    [Fact]
    public async Task Deleted_referrer_is_no_longer_listed()
    {
        var repository = Names.Repository();
        var scenario = await PushScenarioAsync(repository);
        var removed = scenario.All[0];

        await HttpAssert.StatusAsync(await Client.DeleteManifestAsync(repository, removed.Descriptor.Digest), HttpStatusCode.Accepted);

        AssertSameReferrers([.. scenario.All.Skip(1)], await ListAllAsync(repository, scenario.Subject.Digest));
    }

    [Fact]
    public async Task Referrer_whose_tag_is_deleted_is_still_listed()
    {
        var repository = Names.Repository();
        var scenario = await PushScenarioAsync(repository);

        await HttpAssert.StatusAsync(await Client.DeleteManifestAsync(repository, "tagged-artifact1"), HttpStatusCode.Accepted);

        AssertSameReferrers(scenario.All, await ListAllAsync(repository, scenario.Subject.Digest));
    }

    [Fact]
    public async Task Referrers_are_per_repository()
    {
        var a = Names.Repository();
        var b = Names.Repository();
        var subject = await Client.PushImageAsync(a, "subject");
        await Client.PushBlobsAsync(b, [subject.Config, .. subject.Layers]);
        await Client.PushManifestAsync(b, "subject", subject.Content, subject.MediaType);
        var inB = await Client.PushImageAsync(b, subject: subject.Descriptor, artifactType: MediaTypes.ExampleArtifact1, emptyConfig: true);

        Assert.Empty(await ListAllAsync(a, subject.Digest));
        AssertSameReferrers([new Expected(inB.Descriptor, MediaTypes.ExampleArtifact1, null)], await ListAllAsync(b, subject.Digest));
    }

    [Fact]
    public async Task Pushing_the_same_referrer_twice_lists_it_once()
    {
        var repository = Names.Repository();
        var subject = await Client.PushImageAsync(repository, "subject");
        var artifact = await Client.PushImageAsync(repository, "one", subject: subject.Descriptor, artifactType: MediaTypes.ExampleArtifact1, emptyConfig: true);
        await Client.PushManifestAsync(repository, "two", artifact.Content, artifact.MediaType);

        AssertSameReferrers([new Expected(artifact.Descriptor, MediaTypes.ExampleArtifact1, null)], await ListAllAsync(repository, subject.Digest));
    }

    [Fact]
    public async Task Referrers_of_a_sha512_subject_are_listed()
    {
        var repository = Names.Repository();
        var subject = await Client.PushImageAsync(repository, algorithm: Digests.Sha512);
        var artifact = await Client.PushImageAsync(
            repository, subject: subject.Descriptor, artifactType: MediaTypes.ExampleArtifact2, emptyConfig: true, algorithm: Digests.Sha512);

        var entries = await ListAllAsync(repository, subject.Digest);

        AssertSameReferrers([new Expected(artifact.Descriptor, MediaTypes.ExampleArtifact2, null)], entries);
    }

    [Theory]
    [InlineData("sha256:baddigeststring")]
    [InlineData("sha256:1234")]
    [InlineData("notadigest")]
    public async Task Referrers_of_a_malformed_digest_returns_400(string digest)
    {
        // "If the request is invalid (for example, <digest> has invalid syntax), the registry MUST return 400".
        var repository = Names.Repository();
        await Client.PushImageAsync(repository, "x");

        var response = await Client.ReferrersAsync(repository, digest);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    /// <summary>
    /// A subject with five referrers: a plain image (artifactType from its config), two artifacts of
    /// different types with annotations (one tagged), an artifact index, and an index without artifactType.
    /// </summary>
    private async Task<Scenario> PushScenarioAsync(string repository)
    {
        var subject = await Client.PushImageAsync(repository, "subject");
        var all = new List<Expected>();

        var plain = await Client.PushImageAsync(repository, subject: subject.Descriptor);
        all.Add(new Expected(plain.Descriptor, MediaTypes.OciConfig, null));

        var annotations1 = Annotations();
        var artifact1 = await Client.PushImageAsync(
            repository, "tagged-artifact1", subject: subject.Descriptor, artifactType: MediaTypes.ExampleArtifact1,
            annotations: annotations1, emptyConfig: true, layerMediaType: MediaTypes.ExampleArtifact1);
        all.Add(new Expected(artifact1.Descriptor, MediaTypes.ExampleArtifact1, annotations1));

        var annotations2 = Annotations();
        var artifact2 = await Client.PushImageAsync(
            repository, subject: subject.Descriptor, artifactType: MediaTypes.ExampleArtifact2,
            annotations: annotations2, emptyConfig: true, layerMediaType: MediaTypes.OctetStream);
        all.Add(new Expected(artifact2.Descriptor, MediaTypes.ExampleArtifact2, annotations2));

        var child = await Client.PushImageAsync(repository);
        var annotations3 = Annotations();
        var artifactIndex = await Client.PushIndexAsync(repository, [child.Descriptor], subject: subject.Descriptor, artifactType: MediaTypes.ExampleArtifact1, annotations: annotations3);
        all.Add(new Expected(artifactIndex.Descriptor, MediaTypes.ExampleArtifact1, annotations3));

        var annotations4 = Annotations();
        var plainIndex = await Client.PushIndexAsync(repository, [child.Descriptor], subject: subject.Descriptor, annotations: annotations4);
        all.Add(new Expected(plainIndex.Descriptor, null, annotations4));

        // A manifest with a different subject must not show up.
        await Client.PushImageAsync(repository, subject: child.Descriptor, artifactType: MediaTypes.ExampleArtifact1, emptyConfig: true);
        return new Scenario(subject, all);
    }

    private static Dictionary<string, string> Annotations() => new()
    {
        ["org.opencontainers.conformance"] = "hello conformance test",
        ["org.opencontainers.conformance.uniq"] = Guid.NewGuid().ToString(),
    };

    /// <summary>Every descriptor of the referrers list, following <c>Link</c> pages if the registry pages.</summary>
    private async Task<IReadOnlyList<JsonElement>> ListAllAsync(string repository, string digest)
    {
        var all = new List<JsonElement>();
        Uri? url = Client.Url($"/v2/{repository}/referrers/{digest}");
        for (var page = 0; url is not null; page++)
        {
            Assert.True(page < 20, "referrers pagination does not terminate");
            var response = await Client.SendAsync(HttpMethod.Get, url);
            all.AddRange(await ReadIndexAsync(response));
            url = await LinkHeader.NextAsync(response);
        }

        return all;
    }

    /// <summary>200, <c>Content-Type: application/vnd.oci.image.index.v1+json</c>, a schema 2 index.</summary>
    private static async Task<IReadOnlyList<JsonElement>> ReadIndexAsync(HttpResponseMessage response)
    {
        await HttpAssert.StatusAsync(response, HttpStatusCode.OK);
        await HttpAssert.HeaderEqualAsync(response, "Content-Type", MediaTypes.OciIndex);
        var root = await JsonBody.ParseAsync(response);
        var described = await HttpAssert.DescribeAsync(response);
        Assert.True(root.TryGetProperty("schemaVersion", out var version) && version.ValueKind == JsonValueKind.Number && version.GetInt32() == 2,
            "referrers response needs schemaVersion 2:\n" + described);
        Assert.True(root.TryGetProperty("mediaType", out var mediaType) && mediaType.GetString() == MediaTypes.OciIndex,
            "referrers response needs mediaType " + MediaTypes.OciIndex + ":\n" + described);
        Assert.True(root.TryGetProperty("manifests", out var manifests) && manifests.ValueKind == JsonValueKind.Array,
            "referrers response needs a manifests array (empty when there are none):\n" + described);
        return [.. manifests.EnumerateArray()];
    }

    private static void AssertSameReferrers(IReadOnlyList<Expected> expected, IReadOnlyList<JsonElement> entries)
    {
        var digests = entries.Select(e => e.GetProperty("digest").GetString()).ToList();
        Assert.Equal(digests.Count, digests.Distinct().Count());
        Assert.Equal(expected.Select(e => e.Descriptor.Digest).Order(StringComparer.Ordinal), digests.Order(StringComparer.Ordinal));
        foreach (var want in expected)
        {
            var entry = entries.Single(e => e.GetProperty("digest").GetString() == want.Descriptor.Digest);
            Assert.Equal(want.Descriptor.MediaType, entry.GetProperty("mediaType").GetString());
            Assert.Equal(want.Descriptor.Size, entry.GetProperty("size").GetInt64());
            var artifactType = entry.TryGetProperty("artifactType", out var at) && at.ValueKind == JsonValueKind.String ? at.GetString() : null;
            Assert.Equal(want.ArtifactType, artifactType);
            foreach (var (key, value) in want.Annotations ?? new Dictionary<string, string>())
            {
                Assert.True(
                    entry.TryGetProperty("annotations", out var annotations) && annotations.TryGetProperty(key, out var actual) && actual.GetString() == value,
                    $"referrer {want.Descriptor.Digest} must carry annotation {key}={value}: {entry}");
            }
        }
    }

    private sealed record Expected(Descriptor Descriptor, string? ArtifactType, IReadOnlyDictionary<string, string>? Annotations);

    private sealed record Scenario(PushedImage Subject, IReadOnlyList<Expected> All);
}
