using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Strata.EndToEnd.Tests.Infrastructure;

namespace Strata.ScaleOut.Tests.Infrastructure;

/// <summary>
/// A one-layer linux/amd64 image made in memory (a gzip tar with the given files) and pushed with
/// plain HTTP: for tests that need an image of a chosen size without building one with umoci.
/// </summary>
public sealed class HttpImage
{
    private HttpImage(byte[] layer, byte[] config, byte[] manifest)
    {
        Layer = layer;
        Config = config;
        Manifest = manifest;
    }

    public byte[] Layer { get; }

    public byte[] Config { get; }

    public byte[] Manifest { get; }

    public string ManifestDigest => Blobs.Digest(Manifest);

    /// <summary>An image whose layer holds <paramref name="files"/> (path → content).</summary>
    public static HttpImage Create(IReadOnlyDictionary<string, byte[]> files)
    {
        using var layer = new MemoryStream();
        using (var gzip = new GZipStream(layer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path)
                {
                    DataStream = new MemoryStream(content, writable: false),
                    Mode = (UnixFileMode)0b110_100_100,
                    ModificationTime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
                });
            }
        }

        var layerBytes = layer.ToArray();
        using var diff = new MemoryStream();
        using (var gunzip = new GZipStream(new MemoryStream(layerBytes), CompressionMode.Decompress))
        {
            gunzip.CopyTo(diff);
        }

        var config = Encoding.UTF8.GetBytes(
            "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
            + Blobs.Digest(diff.ToArray()) + "\"]}}");
        var manifest = Encoding.UTF8.GetBytes(
            "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OciManifest + "\","
            + "\"config\":{\"mediaType\":\"" + MediaTypes.OciConfig + "\",\"digest\":\"" + Blobs.Digest(config) + "\",\"size\":" + config.Length + "},"
            + "\"layers\":[{\"mediaType\":\"" + MediaTypes.OciLayerGzip + "\",\"digest\":\"" + Blobs.Digest(layerBytes) + "\",\"size\":" + layerBytes.Length + "}]}");
        return new HttpImage(layerBytes, config, manifest);
    }

    /// <summary>Pushes blobs and the manifest under <paramref name="tag"/>; fails the test unless every step succeeds.</summary>
    public async Task PushAsync(RegistryHttp http, string repository, string tag)
    {
        Assert.Equal(HttpStatusCode.Created, await Blobs.PushAsync(http, repository, Config));
        Assert.Equal(HttpStatusCode.Created, await Blobs.PushAsync(http, repository, Layer));
        using var response = await PutManifestAsync(http, repository, tag);
        await RegistryHttp.ExpectAsync(response, HttpStatusCode.Created);
    }

    public Task<HttpResponseMessage> PutManifestAsync(RegistryHttp http, string repository, string tag)
    {
        var content = new ByteArrayContent(Manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes.OciManifest);
        return http.Client.PutAsync($"v2/{repository}/manifests/{tag}", content);
    }
}
