using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Strata.Publish.Tests.Support;
using Strata.Publish.Tests.Verification;

namespace Strata.Publish.Tests.Crash;

/// <summary>
/// The real <c>strata</c> process killed with SIGKILL in the middle of publishing a large image,
/// several times: the repository on disk and the one served stay at the previous, complete,
/// verified revision, and after a restart the job is taken over and the publication finishes.
/// Checked with the independent verifier (no Strata.Cvmfs code).
/// </summary>
public sealed class KillDuringPublicationTests
{
    private const string Fqrn = "unpacked.strata.local";
    private const string Host = "registry.strata.test";

    // A short lease, so a restarted server takes the dead process's job over within seconds; zlib
    // level 6 (slower than the default 1) so the ingest lasts long enough for the kills to land in it.
    private static readonly string[] ServerArguments = ["--Jobs:LeaseDuration", "00:00:05", "--Publish:RegistryHost", Host, "--Publish:CompressionLevel", "6"];

    [Fact]
    public async Task Kill_9_during_publication_keeps_the_previous_revision_served_and_the_job_finishes_after_restart()
    {
        var root = Directory.CreateTempSubdirectory("strata-publish-crash-").FullName;
        var data = Path.Combine(root, "data");
        var repositoryDirectory = Path.Combine(data, "storage", "cvmfs", Fqrn);
        var server = await StrataServerProcess.StartAsync(data, ServerArguments);
        try
        {
            var masterPublicKey = await File.ReadAllTextAsync(Path.Combine(data, "keys", Fqrn + ".pub"));
            var pusher = new OciHttpPusher(server.Http);
            await pusher.PushImageAsync("library/base", "1", [new LayerBuilder().Directory("etc").File("etc/motd", "hello\n").TarGz()]);
            await WaitForAsync(server, "library/base:1", s => s.State == "succeeded", TimeSpan.FromSeconds(120));
            var before = await VerifyServedAsync(server, masterPublicKey);
            Assert.Equal("hello\n".Length, before.Resolve($"/{Host}/library/base:1/etc/motd")!.Size);

            var (bigLayer, probePath, probeSha) = BigLayer();
            await pusher.PushImageAsync("library/big", "1", [bigLayer]);

            var killedWhileRunning = 0;
            var attempts = 0;
            foreach (var delay in (int[])[300, 1200])
            {
                // Running in this process: the attempt counter moved past the last one seen. Right
                // after the push the job may not be enqueued yet (status 404, "unknown"): keep waiting.
                var running = await WaitForAsync(server, "library/big:1", s => s.State == "succeeded" || (s.State == "running" && s.Attempts > attempts), TimeSpan.FromSeconds(120));
                if (running.State == "succeeded")
                {
                    break;
                }

                Assert.Equal("running", running.State);
                attempts = running.Attempts;
                await Task.Delay(delay);
                var atKill = await StatusAsync(server, "library/big:1");
                await server.KillAsync();
                await server.DisposeAsync();

                // The data folder as the crash left it: complete, verified, and (unless the
                // publication had just finished) still the previous revision.
                var onDisk = await IndependentVerifier.VerifyAsync(new DirectoryRepositoryFiles(repositoryDirectory), Fqrn, masterPublicKey);
                if (atKill.State == "running" && onDisk.RootCatalogHash == before.RootCatalogHash)
                {
                    killedWhileRunning++;
                    Assert.Null(onDisk.Resolve($"/{Host}/library/big:1{probePath}"));
                    Assert.NotNull(onDisk.Resolve($"/{Host}/library/base:1/etc/motd"));
                }

                server = await StrataServerProcess.StartAsync(data, ServerArguments);

                // Right after the restart the job is still leased by the dead process (5 s): what is
                // served is the last complete revision.
                var served = await VerifyServedAsync(server, masterPublicKey);
                Assert.Equal(onDisk.RootCatalogHash, served.RootCatalogHash);
            }

            Assert.True(killedWhileRunning > 0, "no kill landed in the middle of the publication");

            // Let it finish; every manifest served meanwhile is complete and verifies.
            var seen = new HashSet<string> { Convert.ToHexStringLower(await ManifestAsync(server)) };
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(240);
            PublicationState state;
            while ((state = await StatusAsync(server, "library/big:1")).State != "succeeded")
            {
                Assert.True(state.State != "failed", $"the publication failed: {state.Error}\n{server.Output()}");
                Assert.True(DateTime.UtcNow < deadline, $"still {state.State} after 240 s\n{server.Output()}");
                if (seen.Add(Convert.ToHexStringLower(await ManifestAsync(server))))
                {
                    await VerifyServedAsync(server, masterPublicKey);
                }

                await Task.Delay(200);
            }

            var after = await VerifyServedAsync(server, masterPublicKey);
            Assert.True(after.Revision > before.Revision);
            Assert.True(state.Attempts > 1, "the job was taken over after the crash");
            Assert.Equal(probeSha, after.Resolve($"/{Host}/library/big:1{probePath}")!.Sha256);
            Assert.NotNull(after.Resolve($"/{Host}/library/base:1/etc/motd"));
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>~48 MB of text in 384 files: a few seconds of ingest, so kills land inside it.</summary>
    private static (byte[] Layer, string ProbePath, string ProbeSha) BigLayer()
    {
        var random = new Random(20261128);
        var layer = new LayerBuilder().Directory("data");
        string probe = string.Empty;
        for (var i = 0; i < 384; i++)
        {
            var bytes = new byte[96 * 1024];
            random.NextBytes(bytes);
            var text = Encoding.ASCII.GetBytes(Convert.ToBase64String(bytes));
            layer.File($"data/file-{i:D4}.txt", text);
            if (i == 383)
            {
                probe = Convert.ToHexStringLower(SHA256.HashData(text));
            }
        }

        return (layer.TarGz(), "/data/file-0383.txt", probe);
    }

    private static async Task<VerifiedRepository> VerifyServedAsync(StrataServerProcess server, string masterPublicKey) =>
        await IndependentVerifier.VerifyAsync(new HttpRepositoryFiles(server.Http, new Uri(server.BaseAddress, $"cvmfs/{Fqrn}/")), Fqrn, masterPublicKey);

    private static async Task<byte[]> ManifestAsync(StrataServerProcess server) =>
        await server.Http.GetByteArrayAsync($"cvmfs/{Fqrn}/.cvmfspublished");

    private static async Task<PublicationState> StatusAsync(StrataServerProcess server, string image)
    {
        using var response = await server.Http.GetAsync($"api/v1/publications/status?image={Uri.EscapeDataString(image)}");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return new PublicationState("unknown", 0, null);
        }

        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = json.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        return new PublicationState(json.RootElement.GetProperty("state").GetString()!, json.RootElement.GetProperty("attempts").GetInt32(), error);
    }

    private static async Task<PublicationState> WaitForAsync(StrataServerProcess server, string image, Func<PublicationState, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var state = await StatusAsync(server, image);
            if (condition(state))
            {
                return state;
            }

            Assert.True(state.State != "failed", $"{image} failed: {state.Error}\n{server.Output()}");
            Assert.True(DateTime.UtcNow < deadline, $"{image} still {state.State} after {timeout}\n{server.Output()}");
            await Task.Delay(50);
        }
    }

    private sealed record PublicationState(string State, int Attempts, string? Error);
}
