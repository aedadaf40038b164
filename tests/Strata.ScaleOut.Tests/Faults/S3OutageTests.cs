using System.Net;
using Strata.EndToEnd.Tests.Infrastructure;
using Strata.ScaleOut.Tests.Infrastructure;

namespace Strata.ScaleOut.Tests.Faults;

/// <summary>
/// The S3 store unreachable under a running replica (connections reset, as when the server goes
/// down), then back: blob reads and writes answer 503 UNAVAILABLE with Retry-After, an upload made
/// during the outage never appears, and service resumes by itself. The shared store keeps running;
/// the replica reaches it through a gate the test closes.
/// </summary>
[Trait("Category", "Integration")]
public sealed class S3OutageTests
{
    [Fact]
    public async Task Blob_requests_answer_503_while_S3_is_unreachable_and_succeed_again_when_it_is_back()
    {
        await using var cluster = await ReplicaCluster.CreateAsync();
        await using var gate = new TcpGate(new Uri(cluster.S3.ServiceUrl!));
        var replica = await cluster.StartInProcessAsync(new Dictionary<string, string?>
        {
            ["Storage:S3:ServiceUrl"] = gate.Url,
            ["Storage:S3:MaxErrorRetry"] = "1",
            ["Storage:S3:RequestTimeout"] = "00:00:20",
            ["Publish:Enabled"] = "false",
        });
        using var http = new RegistryHttp(replica.BaseAddress);
        var stored = Blobs.Random(2 << 20, seed: 101);
        var duringOutage = Blobs.Random(1 << 20, seed: 102);
        Assert.Equal(HttpStatusCode.Created, await Blobs.PushAsync(http, "s3/app", stored));

        gate.Close();

        using (var get = await http.Client.GetAsync($"v2/s3/app/blobs/{Blobs.Digest(stored)}"))
        {
            await OciAssert.RetryableErrorAsync(get, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
        }

        var location = await http.StartUploadAsync("s3/app");
        var separator = location.Query.Length > 0 ? "&" : "?";
        using (var body = new ByteArrayContent(duringOutage))
        using (var put = await http.Client.PutAsync($"{location}{separator}digest={Uri.EscapeDataString(Blobs.Digest(duringOutage))}", body))
        {
            await OciAssert.RetryableErrorAsync(put, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
        }

        gate.Open();

        var (status, got) = await Blobs.GetAsync(http, "s3/app", Blobs.Digest(stored));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(stored, got);
        using (var head = new HttpRequestMessage(HttpMethod.Head, $"v2/s3/app/blobs/{Blobs.Digest(duringOutage)}"))
        using (var missing = await http.Client.SendAsync(head))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Created, await Blobs.PushAsync(http, "s3/app", duringOutage));
        Assert.Equal(duringOutage, (await Blobs.GetAsync(http, "s3/app", Blobs.Digest(duringOutage))).Content);
    }
}
