using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Strata.Cvmfs.Reading;
using Strata.Server.Tests.Infrastructure;

namespace Strata.Server.Tests.Publication;

/// <summary>
/// Push over the OCI API → outbox → publish job → a signed CernVM-FS revision served under
/// <c>/cvmfs/</c>, read back over HTTP by the verifying reader with the master public key.
/// </summary>
public sealed class PublicationTests : IAsyncLifetime
{
    private const string Fqrn = "unpacked.strata.test";
    private const string Host = "registry.strata.test";
    private TestRegistry _registry = null!;

    public async Task InitializeAsync() => _registry = await TestRegistry.StartAsync(new Dictionary<string, string?>
    {
        ["Publish:Repository"] = Fqrn,
        ["Publish:RegistryHost"] = Host,
        ["Publish:Rules:0"] = "physics/**",
        ["Jobs:PollInterval"] = "00:00:00.100",
    });

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    [Fact]
    public async Task A_pushed_image_is_published_and_readable_through_the_signed_repository()
    {
        await PushImageAsync("physics/analysis", "v1", new LayerBuilder()
            .Directory("usr/").Directory("usr/bin/")
            .File("usr/bin/run.sh", "#!/bin/sh\necho analysis\n", (UnixFileMode)0b111_101_101)
            .Symlink("usr/bin/run", "run.sh")
            .File("etc/motd", "welcome to strata\n"));

        var status = await WaitForPublicationAsync("physics/analysis:v1");

        Assert.Equal("succeeded", status.GetProperty("state").GetString());
        await using var reader = await OpenRepositoryAsync();
        Assert.Equal(status.GetProperty("result").GetProperty("revision").GetInt64(), reader.Revision);
        var image = $"{Host}/physics/analysis:v1";
        Assert.Equal("welcome to strata\n", await ReadTextAsync(reader, $"{image}/etc/motd"));
        Assert.Equal("#!/bin/sh\necho analysis\n", await ReadTextAsync(reader, $"{image}/usr/bin/run.sh"));
        var script = await reader.LookupAsync(await ResolveAsync(reader, $"{image}/usr/bin/run.sh"), default);
        Assert.Equal(0b111_101_101u, script!.Permissions);
        Assert.Equal("run.sh", (await reader.LookupAsync(await ResolveAsync(reader, $"{image}/usr/bin/run"), default))!.SymlinkTarget);
    }

    [Fact]
    public async Task Repositories_outside_the_rules_are_not_published()
    {
        await PushImageAsync("private/tool", "v1", new LayerBuilder().File("a", "b"));
        await PushImageAsync("physics/marker", "v1", new LayerBuilder().File("a", "b"));
        await WaitForPublicationAsync("physics/marker:v1");

        using var response = await _registry.Http.GetAsync("/api/v1/publications/status?image=private/tool:v1");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_hostile_layer_fails_the_publication_with_its_reason_and_the_registry_keeps_serving()
    {
        var traversal = new LayerBuilder().File("../../etc/passwd", "root::0:0::/:/bin/sh\n").Gzip();
        var pushed = await PushLayersAsync("physics/evil", "v1", traversal);

        var status = await WaitForPublicationAsync("physics/evil:v1");

        Assert.Equal("failed", status.GetProperty("state").GetString());
        Assert.Contains("traversal", status.GetProperty("error").GetString());
        using var pull = await _registry.Client.GetManifestAsync("physics/evil", "v1");
        Assert.Equal(HttpStatusCode.OK, pull.StatusCode);
        Assert.Equal(pushed, await pull.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Deleting_the_tag_removes_it_from_the_next_revision()
    {
        await PushImageAsync("physics/old", "v1", new LayerBuilder().File("x", "y"));
        await WaitForPublicationAsync("physics/old:v1");

        using (var delete = await _registry.Client.DeleteManifestAsync("physics/old", "v1"))
        {
            Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        }

        var status = await WaitForPublicationAsync("physics/old:v1", job => job.GetProperty("result").ValueKind == JsonValueKind.Object
            && job.GetProperty("result").GetProperty("action").GetString() == "removed");
        await using var reader = await OpenRepositoryAsync();
        Assert.Equal(status.GetProperty("result").GetProperty("revision").GetInt64(), reader.Revision);
        Assert.Null(await reader.LookupAsync($"{Host}/physics/old:v1", default));
    }

    private async Task PushImageAsync(string repository, string tag, LayerBuilder layer) => await PushLayersAsync(repository, tag, layer.Gzip());

    private async Task<byte[]> PushLayersAsync(string repository, string tag, params byte[][] layers)
    {
        var config = TestBlob.ImageConfig();
        await _registry.Client.PushBlobAsync(repository, config);
        var blobs = layers.Select(l => TestBlob.From(l)).ToList();
        foreach (var blob in blobs)
        {
            await _registry.Client.PushBlobAsync(repository, blob);
        }

        var body = ManifestJson.OciManifest(config.Describe(MediaTypes.OciConfig), [.. blobs.Select(b => b.Describe(MediaTypes.OciLayerGzip))]);
        await _registry.Client.PushManifestAsync(repository, tag, body, MediaTypes.OciManifest);
        return body;
    }

    /// <summary>Polls the publication API until the image's job has ended (bounded: 60 s).</summary>
    private async Task<JsonElement> WaitForPublicationAsync(string image, Func<JsonElement, bool>? until = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await _registry.Http.GetAsync($"/api/v1/publications/status?image={image}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var job = await response.Content.ReadFromJsonAsync<JsonElement>();
                var state = job.GetProperty("state").GetString();
                if (state is "succeeded" or "failed" && (until is null || until(job)))
                {
                    return job;
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"publication of {image} did not end within 60 s");
    }

    private async Task<RepositoryReader> OpenRepositoryAsync()
    {
        var master = RSA.Create();
        master.ImportFromPem(await File.ReadAllTextAsync(Path.Combine(_registry.DataDirectory, "keys", $"{Fqrn}.pub")));
        var source = new HttpRepositorySource(_registry.Http, $"/cvmfs/{Fqrn}");
        return await RepositoryReader.OpenAsync(source, new RepositoryReaderOptions { RepositoryName = Fqrn, MasterKeys = [master] }, default);
    }

    /// <summary>
    /// Follows relative symlinks in the directory part of a path (the public tag name is a symlink
    /// into <c>.flat/</c>), as the kernel does for a mounted repository.
    /// </summary>
    private static async Task<string> ResolveAsync(RepositoryReader reader, string path)
    {
        var parts = path.Split('/');
        var resolved = new List<string>();
        for (var i = 0; i < parts.Length; i++)
        {
            resolved.Add(parts[i]);
            if (i == parts.Length - 1)
            {
                break;
            }

            var entry = await reader.LookupAsync(string.Join('/', resolved), default);
            if (entry?.SymlinkTarget is { } target)
            {
                resolved.RemoveAt(resolved.Count - 1);
                foreach (var step in target.Split('/'))
                {
                    if (step == "..")
                    {
                        resolved.RemoveAt(resolved.Count - 1);
                    }
                    else if (step is not ("." or ""))
                    {
                        resolved.Add(step);
                    }
                }
            }
        }

        return string.Join('/', resolved);
    }

    private static async Task<string> ReadTextAsync(RepositoryReader reader, string path)
    {
        await using var stream = await reader.OpenFileAsync(await ResolveAsync(reader, path), default);
        return await new StreamReader(stream).ReadToEndAsync();
    }
}
