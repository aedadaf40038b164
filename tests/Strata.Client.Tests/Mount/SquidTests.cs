using Strata.Client.Network;
using Strata.Client.Tests.Support;

namespace Strata.Client.Tests.Mount;

/// <summary>
/// Through a real Squid, configured as a cvmfs site does (<c>CVMFS_HTTP_PROXY</c>): the first
/// client fills Squid's cache, a second client with an empty local cache is served by Squid alone.
/// </summary>
public sealed class SquidTests
{
    private static readonly string[] Files = ["/README.txt", "/data/random-6M.bin", "/nested/big/compressible-20M.txt", "/tiny/5.txt"];

    [Fact]
    public async Task Second_client_is_served_from_squids_cache_with_correct_bytes_even_with_the_origin_stopped()
    {
        var squid = await SquidProxy.StartAsync();
        using var scratch = new TemporaryDirectory();
        var origin = new RepositoryServer(TestVectors.Repo);
        try
        {
            // First client: everything goes origin → Squid → client.
            await using (var first = await TestMount.StartAsync(Options(origin.Url, squid, scratch.Sub("cache1")), scratch.Sub("mnt1")))
            {
                foreach (var path in Files)
                {
                    AssertContent(first, path);
                }
            }

            var objects = origin.Requests.Select(r => r.Path).Where(p => p.StartsWith("data/", StringComparison.Ordinal)).Distinct().ToList();
            Assert.True(objects.Count >= 6, $"only {objects.Count} objects fetched");
            foreach (var path in objects)
            {
                Assert.Equal(1, origin.CountRequests(path));
                Assert.Equal(["TCP_MISS"], await squid.WaitForResultCodesAsync($"{origin.Url}/{path}", 1));
            }

            // The origin goes away. A second client with an empty local cache still mounts and reads:
            // manifest, whitelist (fresh for 61 s), catalogs and objects all come from Squid.
            await origin.DisposeAsync();
            await using (var second = await TestMount.StartAsync(Options(origin.Url, squid, scratch.Sub("cache2")), scratch.Sub("mnt2")))
            {
                Assert.False(second.Client.Current.Offline);
                foreach (var path in Files)
                {
                    AssertContent(second, path);
                }

                Assert.True(second.Client.Statistics.BytesFetched > 6_000_000);
            }

            foreach (var path in objects)
            {
                var codes = await squid.WaitForResultCodesAsync($"{origin.Url}/{path}", 2);
                Assert.Equal(2, codes.Count);
                Assert.Contains(codes[1], (string[])["TCP_HIT", "TCP_MEM_HIT"]);
            }
        }
        finally
        {
            await origin.DisposeAsync();
        }
    }

    [Fact]
    public async Task Dead_first_proxy_fails_over_to_squid_in_the_next_group()
    {
        var squid = await SquidProxy.StartAsync();
        using var scratch = new TemporaryDirectory();
        await using var origin = new RepositoryServer(TestVectors.Repo);

        // 127.0.0.1:9 (discard) has no listener: the first group fails, the second (Squid) serves.
        var options = TestMount.Options(origin.Url, scratch.Sub("cache"), o => o with
        {
            Network = o.Network with { Proxies = ProxyChain.Parse($"http://127.0.0.1:9;{squid.Proxy}") },
        });
        await using var mount = await TestMount.StartAsync(options, scratch.Sub("mnt"));
        AssertContent(mount, "/README.txt");
        Assert.Equal(["TCP_MISS"], await squid.WaitForResultCodesAsync($"{origin.Url}/data/fe/c189a08d3d1ec5bdd256e64480d5734b111291", 1));
    }

    private static Strata.Client.Repository.ClientOptions Options(string url, SquidProxy squid, string cache) =>
        TestMount.Options(url, cache, o => o with { Network = o.Network with { Proxies = ProxyChain.Parse(squid.Proxy), Timeout = TimeSpan.FromSeconds(10) } });

    private static void AssertContent(TestMount mount, string path) =>
        Assert.Equal(ExpectedTree.Sha256("tree-r2.jsonl", path), ExpectedTree.Sha256Of(File.ReadAllBytes(mount[path])));
}
