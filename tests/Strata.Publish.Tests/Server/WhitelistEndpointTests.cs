using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Strata.Cvmfs.Signing;
using Strata.Cvmfs.Whitelist;
using Strata.Publish.Tests.Support;

namespace Strata.Publish.Tests.Server;

/// <summary><c>strata keys import-whitelist</c> against a real server: <c>PUT /api/v1/publications/whitelist</c>.</summary>
public sealed class WhitelistEndpointTests
{
    private const string Fqrn = "unpacked.strata.local";

    [Fact]
    public async Task Strata_keys_import_whitelist_installs_a_verified_whitelist_and_the_server_refuses_a_bad_one()
    {
        var root = Directory.CreateTempSubdirectory("strata-whitelist-import-").FullName;
        var data = Path.Combine(root, "data");
        var server = await StrataServerProcess.StartAsync(data, []);
        try
        {
            var served = $"cvmfs/{Fqrn}/.cvmfswhitelist";
            var original = await WaitForWhitelistAsync(server, served);

            using (var garbage = new ByteArrayContent("not a whitelist"u8.ToArray()))
            using (var refused = await server.Http.PutAsync("api/v1/publications/whitelist", garbage))
            {
                Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
                Assert.Contains("not usable", await refused.Content.ReadAsStringAsync());
            }

            Assert.Equal(original, await server.Http.GetByteArrayAsync(served));

            // Signed "elsewhere" with the master key, valid 60 days, listing the repository certificate.
            using var master = RSA.Create();
            master.ImportFromPem(await File.ReadAllTextAsync(Path.Combine(data, "keys", Fqrn + ".masterkey")));
            using var certificate = RepositoryCertificate.Parse(await File.ReadAllBytesAsync(Path.Combine(data, "keys", Fqrn + ".crt")));
            var now = DateTimeOffset.UtcNow;
            var whitelist = SignedWhitelist.Create(new RepositoryWhitelist { IssuedAt = now, ExpiresAt = now.AddDays(60), RepositoryName = Fqrn, Fingerprints = [certificate.Fingerprint()] }, master);
            var file = Path.Combine(root, "signed.cvmfswhitelist");
            await File.WriteAllBytesAsync(file, whitelist);

            var (exit, output) = await RunStrataAsync("keys", "import-whitelist", file, "--server", server.BaseAddress.ToString());

            Assert.True(exit == 0, output);
            Assert.Contains("expiresAt", output);
            Assert.Equal(whitelist, await server.Http.GetByteArrayAsync(served));

            // A restart runs the renewal check at once: the imported whitelist stays.
            await server.DisposeAsync();
            server = await StrataServerProcess.StartAsync(data, []);
            await Task.Delay(500);
            Assert.Equal(whitelist, await server.Http.GetByteArrayAsync(served));
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<byte[]> WaitForWhitelistAsync(StrataServerProcess server, string path)
    {
        for (var i = 0; i < 200; i++)
        {
            using var response = await server.Http.GetAsync(path);
            if (response.IsSuccessStatusCode)
            {
                return await response.Content.ReadAsByteArrayAsync();
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the server made no whitelist within 20 s\n" + server.Output());
    }

    private static async Task<(int Exit, string Output)> RunStrataAsync(params string[] arguments)
    {
        var info = StrataServerProcess.StartInfo();
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
