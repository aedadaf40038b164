using System.Text;
using System.Text.Json.Nodes;

namespace Strata.EndToEnd.Tests.Infrastructure;

/// <summary>
/// An OCI image layout folder (<c>oci-layout</c>, <c>index.json</c>, <c>blobs/sha256/…</c>): read it
/// to compare what clients wrote, and write blobs and tags into it to make images by hand.
/// </summary>
public sealed class OciLayout(string path)
{
    private const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    public string Path { get; } = path;

    /// <summary>The <c>oci:</c> reference skopeo understands.</summary>
    public string Reference(string tag) => $"oci:{Path}:{tag}";

    /// <summary>An empty layout.</summary>
    public static OciLayout Create(string path)
    {
        Directory.CreateDirectory(System.IO.Path.Combine(path, "blobs", "sha256"));
        File.WriteAllText(System.IO.Path.Combine(path, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        File.WriteAllText(System.IO.Path.Combine(path, "index.json"), """{"schemaVersion":2,"manifests":[]}""");
        return new OciLayout(path);
    }

    /// <summary>The descriptor index.json gives for <paramref name="tag"/>.</summary>
    public OciDescriptor Resolve(string tag)
    {
        var entry = Index()["manifests"]!.AsArray()
            .SingleOrDefault(m => m?["annotations"]?[RefNameAnnotation]?.GetValue<string>() == tag);
        Assert.True(entry is not null, $"{Path}/index.json has no entry named '{tag}':\n{File.ReadAllText(IndexPath)}");
        return OciDescriptor.FromJson(entry!);
    }

    public string BlobPath(string digest) => System.IO.Path.Combine(Path, "blobs", "sha256", Digests.Hex(digest));

    /// <summary>Every blob file in the layout, as digests, sorted.</summary>
    public IReadOnlyList<string> BlobDigests() =>
        [.. Directory.EnumerateFiles(System.IO.Path.Combine(Path, "blobs", "sha256"))
            .Select(f => "sha256:" + System.IO.Path.GetFileName(f))
            .Order(StringComparer.Ordinal)];

    public byte[] ReadBlob(string digest) => File.ReadAllBytes(BlobPath(digest));

    public JsonObject ReadJsonBlob(string digest) => JsonNode.Parse(ReadBlob(digest))!.AsObject();

    /// <summary>The config and layer descriptors of the image manifest <paramref name="manifestDigest"/>.</summary>
    public IReadOnlyList<OciDescriptor> ManifestBlobs(string manifestDigest)
    {
        var manifest = ReadJsonBlob(manifestDigest);
        return [OciDescriptor.FromJson(manifest["config"]!), .. manifest["layers"]!.AsArray().Select(l => OciDescriptor.FromJson(l!))];
    }

    /// <summary>The manifests an image index lists.</summary>
    public IReadOnlyList<OciDescriptor> IndexManifests(string indexDigest) =>
        [.. ReadJsonBlob(indexDigest)["manifests"]!.AsArray().Select(m => OciDescriptor.FromJson(m!))];

    /// <summary>Stores <paramref name="content"/> as a blob and describes it.</summary>
    public OciDescriptor WriteBlob(byte[] content, string mediaType)
    {
        var digest = Digests.Of(content);
        File.WriteAllBytes(BlobPath(digest), content);
        return new OciDescriptor(mediaType, digest, content.Length);
    }

    public OciDescriptor WriteJsonBlob(JsonNode json, string mediaType) =>
        WriteBlob(Encoding.UTF8.GetBytes(json.ToJsonString()), mediaType);

    /// <summary>Names <paramref name="descriptor"/> <paramref name="tag"/> in index.json (replacing an entry of that name).</summary>
    public void Tag(OciDescriptor descriptor, string tag)
    {
        var index = Index();
        var manifests = index["manifests"]!.AsArray();
        foreach (var old in manifests.Where(m => m?["annotations"]?[RefNameAnnotation]?.GetValue<string>() == tag).ToList())
        {
            manifests.Remove(old);
        }

        var entry = descriptor.ToJson();
        entry["annotations"] = new JsonObject { [RefNameAnnotation] = tag };
        manifests.Add(entry);
        File.WriteAllText(IndexPath, index.ToJsonString());
    }

    private string IndexPath => System.IO.Path.Combine(Path, "index.json");

    private JsonObject Index() => JsonNode.Parse(File.ReadAllText(IndexPath))!.AsObject();
}
