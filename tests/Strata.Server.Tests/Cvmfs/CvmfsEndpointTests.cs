using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Strata.Server.Tests.Infrastructure;

namespace Strata.Server.Tests.Cvmfs;

/// <summary>The Stratum 0 endpoint: a real CernVM-FS repository served with CernVM-FS's caching rules.</summary>
public sealed class CvmfsEndpointTests : IAsyncLifetime
{
    private TestRegistry _registry = null!;

    public async Task InitializeAsync()
    {
        _registry = await TestRegistry.StartAsync();
        SharedTestRepository.CopyInto(_registry.DataDirectory);
    }

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    private string RepoUrl(string path) => $"/cvmfs/{SharedTestRepository.Fqrn}/{path}";

    [Fact]
    public async Task Manifest_is_served_byte_exact_with_a_61_second_cache_lifetime()
    {
        using var response = await _registry.Http.GetAsync(RepoUrl(".cvmfspublished"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(File.ReadAllBytes(Path.Combine(SharedTestRepository.Directory, ".cvmfspublished")), await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(TimeSpan.FromSeconds(61), response.Headers.CacheControl!.MaxAge);
    }

    [Fact]
    public async Task Every_object_is_served_byte_exact_and_cached_as_immutable()
    {
        var data = Path.Combine(SharedTestRepository.Directory, "data");
        var objects = Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(objects);
        foreach (var file in objects)
        {
            var relative = Path.GetRelativePath(SharedTestRepository.Directory, file).Replace('\\', '/');
            using var response = await _registry.Http.GetAsync(RepoUrl(relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(SHA256.HashData(File.ReadAllBytes(file)), SHA256.HashData(await response.Content.ReadAsByteArrayAsync()));
            Assert.True(response.Headers.CacheControl!.MaxAge >= TimeSpan.FromDays(1), relative);
            Assert.Equal("application/x-cvmfs", response.Content.Headers.ContentType!.MediaType);
        }
    }

    [Fact]
    public async Task Object_ranges_are_honoured()
    {
        var file = Directory.EnumerateFiles(Path.Combine(SharedTestRepository.Directory, "data"), "*", SearchOption.AllDirectories)
            .OrderByDescending(f => new FileInfo(f).Length).First();
        var relative = Path.GetRelativePath(SharedTestRepository.Directory, file).Replace('\\', '/');
        using var request = new HttpRequestMessage(HttpMethod.Get, RepoUrl(relative));
        request.Headers.Range = new RangeHeaderValue(10, 109);

        using var response = await _registry.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(File.ReadAllBytes(file)[10..110], await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("data/../../strata.db")]
    [InlineData("data/00/not-hex")]
    [InlineData("strata.db")]
    [InlineData("")]
    public async Task Anything_but_repository_files_is_404(string path)
    {
        using var response = await _registry.Http.GetAsync(RepoUrl(path));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_repository_is_404()
    {
        using var response = await _registry.Http.GetAsync("/cvmfs/other.example.org/.cvmfspublished");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
