using System.Net;
using Strata.EndToEnd.Tests.Infrastructure;
using Strata.ScaleOut.Tests.Infrastructure;

namespace Strata.ScaleOut.Tests.Faults;

/// <summary>
/// PostgreSQL stopped under a running replica, then started again: requests fail with 503
/// UNAVAILABLE and Retry-After (never a 500), nothing written during the outage appears, and the
/// replica serves again on its own once the database is back. The database is the test's own
/// (the shared one is never stopped).
/// </summary>
[Trait("Category", "Integration")]
public sealed class PostgresOutageTests
{
    [Fact]
    public async Task Requests_answer_503_while_PostgreSQL_is_down_and_succeed_again_after_it_restarts()
    {
        await using var postgres = await DedicatedPostgres.StartAsync();
        await using var cluster = await ReplicaCluster.CreateAsync();
        var replica = await cluster.StartInProcessAsync(new Dictionary<string, string?>
        {
            ["Metadata:ConnectionString"] = postgres.ConnectionString,
            ["Publish:Enabled"] = "false",
        });
        using var http = new RegistryHttp(replica.BaseAddress);
        var before = HttpImage.Create(new Dictionary<string, byte[]> { ["a"] = Blobs.Random(10_000, 91) });
        var during = HttpImage.Create(new Dictionary<string, byte[]> { ["b"] = Blobs.Random(10_000, 92) });
        await before.PushAsync(http, "pg/app", "before");
        Assert.Equal(HttpStatusCode.Created, await Blobs.PushAsync(http, "pg/app", during.Config));
        Assert.Equal(HttpStatusCode.Created, await Blobs.PushAsync(http, "pg/app", during.Layer));

        await postgres.StopAsync();

        using (var manifest = await http.GetManifestAsync("pg/app", "before"))
        {
            await OciAssert.RetryableErrorAsync(manifest, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
        }

        using (var put = await during.PutManifestAsync(http, "pg/app", "during"))
        {
            await OciAssert.RetryableErrorAsync(put, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
        }

        using (var upload = await http.Client.PostAsync("v2/pg/app/blobs/uploads/", content: null))
        {
            await OciAssert.RetryableErrorAsync(upload, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
        }

        using (var ready = await http.Client.GetAsync("readyz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.NotNull(ready.Headers.RetryAfter);
        }

        await postgres.RestartAsync();

        // The pool reconnects by itself: no restart of the replica.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using var manifest = await http.GetManifestAsync("pg/app", "before");
            if (manifest.StatusCode == HttpStatusCode.OK)
            {
                Assert.Equal(before.Manifest, await manifest.Content.ReadAsByteArrayAsync());
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"still {(int)manifest.StatusCode} a minute after PostgreSQL came back");
            await Task.Delay(200);
        }

        using (var missing = await http.GetManifestAsync("pg/app", "during"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        using (var put = await during.PutManifestAsync(http, "pg/app", "during"))
        {
            await RegistryHttp.ExpectAsync(put, HttpStatusCode.Created);
        }

        using (var ready = await http.Client.GetAsync("readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
    }
}
