using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;

namespace Strata.Publish.Tests.Support;

/// <summary>Pushes an image over the OCI distribution API (POST + PUT per blob, then the manifest), as a client does.</summary>
internal sealed class OciHttpPusher(HttpClient http)
{
    public async Task PushImageAsync(string repository, string tag, IReadOnlyList<byte[]> layersTarGz)
    {
        var layers = new List<Dictionary<string, object>>();
        var diffIds = new List<string>();
        foreach (var layer in layersTarGz)
        {
            layers.Add(await PushBlobAsync(repository, layer, "application/vnd.oci.image.layer.v1.tar+gzip"));
            using var gunzip = new System.IO.Compression.GZipStream(new MemoryStream(layer), System.IO.Compression.CompressionMode.Decompress);
            diffIds.Add("sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(gunzip)));
        }

        var config = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["config"] = new Dictionary<string, object> { ["Cmd"] = new[] { "/bin/sh" }, ["Labels"] = new Dictionary<string, string> { ["image"] = repository + ":" + tag } },
            ["rootfs"] = new Dictionary<string, object> { ["type"] = "layers", ["diff_ids"] = diffIds },
        });
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = await PushBlobAsync(repository, config, "application/vnd.oci.image.config.v1+json"),
            ["layers"] = layers,
        });
        using var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.manifest.v1+json");
        using var response = await http.PutAsync($"v2/{repository}/manifests/{tag}", content);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"manifest PUT: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<Dictionary<string, object>> PushBlobAsync(string repository, byte[] blob, string mediaType)
    {
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(blob));
        using var start = await http.PostAsync($"v2/{repository}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var location = start.Headers.Location!;
        var url = location.IsAbsoluteUri ? location : new Uri(http.BaseAddress!, location);
        var separator = url.Query.Length > 0 ? "&" : "?";
        using var body = new ByteArrayContent(blob);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var finish = await http.PutAsync(new Uri(url + separator + "digest=" + Uri.EscapeDataString(digest)), body);
        Assert.True(finish.StatusCode == HttpStatusCode.Created, $"blob PUT: {(int)finish.StatusCode} {await finish.Content.ReadAsStringAsync()}");
        return new Dictionary<string, object> { ["mediaType"] = mediaType, ["digest"] = digest, ["size"] = blob.Length };
    }
}
