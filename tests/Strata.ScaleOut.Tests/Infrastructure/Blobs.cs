using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Strata.EndToEnd.Tests.Infrastructure;

namespace Strata.ScaleOut.Tests.Infrastructure;

/// <summary>Small helpers over <see cref="RegistryHttp"/> for blobs moving between replicas.</summary>
public static class Blobs
{
    public static byte[] Random(int length, ulong seed)
    {
        var bytes = new byte[length];
        new Prng(seed).Fill(bytes);
        return bytes;
    }

    public static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The same upload session, addressed on another replica (Location is a path, so any replica serves it).</summary>
    public static Uri On(IRegistryEndpoint replica, Uri location) => new(replica.BaseAddress, location.PathAndQuery);

    /// <summary>A monolithic push (POST, then PUT with the whole body); the status code.</summary>
    public static async Task<HttpStatusCode> PushAsync(RegistryHttp http, string repository, byte[] content)
    {
        var location = await http.StartUploadAsync(repository);
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var separator = location.Query.Length > 0 ? "&" : "?";
        using var response = await http.Client.PutAsync($"{location}{separator}digest={Uri.EscapeDataString(Digest(content))}", body);
        return response.StatusCode;
    }

    /// <summary>GET of a blob: status and bytes.</summary>
    public static async Task<(HttpStatusCode Status, byte[] Content)> GetAsync(RegistryHttp http, string repository, string digest)
    {
        using var response = await http.Client.GetAsync($"v2/{repository}/blobs/{digest}");
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync());
    }
}
