using System.Net;
using System.Net.Http.Headers;
using Strata.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Strata.EndToEnd.Tests.Crash;

/// <summary>
/// An upload session outlives a <c>kill -9</c> of the server: after the restart the client asks
/// where the upload stands (GET → <c>Range</c>), sends the rest and closes it (OCI distribution
/// spec, "Pushing a blob in chunks" and "Resuming an upload").
/// </summary>
[Trait("Category", "Integration")]
public sealed class UploadResumeAfterCrashTests(ITestOutputHelper output)
{
    private const int ChunkSize = 8 * 1024 * 1024;

    [Fact]
    public async Task Upload_with_a_chunk_acknowledged_before_the_crash_resumes_after_the_restart()
    {
        using var folder = new TempDirectory("resume");
        var data = folder.Combine("data");
        var content = new Prng(seed: 11).Bytes(3 * ChunkSize);
        const string name = "resume/acknowledged";

        var first = await StrataProcess.StartAsync(data);
        Uri location;
        try
        {
            using var http = new RegistryHttp(first.BaseAddress);
            location = await http.StartUploadAsync(name);
            location = await http.PatchChunkAsync(location, content[..ChunkSize], start: 0);
            await first.KillAsync();
        }
        finally
        {
            await first.DisposeAsync();
        }

        await using var second = await StrataProcess.StartAsync(data);
        using var resumed = new RegistryHttp(second.BaseAddress);
        var (current, lastByte) = await resumed.UploadStatusAsync(Rebase(location, second));
        Assert.Equal(ChunkSize - 1, lastByte);

        current = await resumed.PatchChunkAsync(current, content[ChunkSize..], start: ChunkSize);
        var digest = Digests.Of(content);
        await resumed.CompleteUploadAsync(current, digest);
        await AssertBlobAsync(resumed, name, digest, content);
    }

    [Fact]
    public async Task Upload_killed_in_the_middle_of_a_chunk_resumes_from_the_range_the_registry_reports()
    {
        using var folder = new TempDirectory("resume");
        var data = folder.Combine("data");
        var content = new Prng(seed: 12).Bytes(8 * ChunkSize);
        const int sentBeforeKill = 4 * ChunkSize;
        const string name = "resume/interrupted";

        var first = await StrataProcess.StartAsync(data);
        Uri location;
        try
        {
            using var http = new RegistryHttp(first.BaseAddress);
            location = await http.StartUploadAsync(name);
            location = await http.PatchChunkAsync(location, content[..ChunkSize], start: 0);
            var before = DirectorySize.Of(data);

            // The second PATCH announces the whole rest but stalls after sending part of it.
            using var stall = new CancellationTokenSource();
            using var body = new StallingContent(content.AsMemory(ChunkSize, sentBeforeKill - ChunkSize), stall.Token);
            body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            body.Headers.ContentLength = content.Length - ChunkSize;
            using var patch = new HttpRequestMessage(HttpMethod.Patch, location) { Content = body };
            patch.Content.Headers.TryAddWithoutValidation("Content-Range", $"{ChunkSize}-{content.Length - 1}");
            var sending = http.Client.SendAsync(patch, stall.Token);

            var reachedDisk = await DirectorySize.WaitForAsync(data, before + ChunkSize, TimeSpan.FromSeconds(30), sending);
            await first.KillAsync();
            await stall.CancelAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => sending);
            Assert.True(reachedDisk, $"{ChunkSize} bytes of the stalled PATCH never reached the data folder (is the body buffered in memory?):\n{first.Output()}");
        }
        finally
        {
            await first.DisposeAsync();
        }

        await using var second = await StrataProcess.StartAsync(data);
        using var resumed = new RegistryHttp(second.BaseAddress);
        var (current, lastByte) = await resumed.UploadStatusAsync(Rebase(location, second));
        output.WriteLine($"sent {sentBeforeKill} bytes before the kill; after the restart the registry holds {lastByte + 1}");
        // At least the acknowledged chunk, at most what was sent; whatever the registry kept is the truth.
        Assert.InRange(lastByte + 1, ChunkSize, sentBeforeKill);

        var resumeAt = (int)(lastByte + 1);
        current = await resumed.PatchChunkAsync(current, content[resumeAt..], start: resumeAt);
        var digest = Digests.Of(content);
        await resumed.CompleteUploadAsync(current, digest);
        await AssertBlobAsync(resumed, name, digest, content);
    }

    private static Uri Rebase(Uri location, IRegistryEndpoint server) => new(server.BaseAddress, location.PathAndQuery);

    private static async Task AssertBlobAsync(RegistryHttp http, string name, string digest, byte[] content)
    {
        using var response = await http.Client.GetAsync($"v2/{name}/blobs/{digest}");
        await RegistryHttp.ExpectAsync(response, HttpStatusCode.OK);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(digest, Digests.Of(body));
        Assert.True(content.AsSpan().SequenceEqual(body), "the blob read back differs from what was uploaded");
    }
}
