using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Strata.Publish.Tests.Gc;

/// <summary>
/// A plain static web server (Kestrel on 127.0.0.1) for a repository directory, as Apache serves a
/// Stratum 0 or 1: <c>/cvmfs/&lt;fqrn&gt;/PATH</c> is the file <c>ROOT/PATH</c>, 404 otherwise.
/// </summary>
internal sealed class StaticRepositoryServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StaticRepositoryServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The repository URL (<c>http://127.0.0.1:PORT/cvmfs/FQRN</c>).</summary>
    public string Url { get; }

    public static async Task<StaticRepositoryServer> StartAsync(string root, string fqrn)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet($"/cvmfs/{fqrn}/{{**path}}", (string path) =>
        {
            var full = Path.GetFullPath(Path.Combine(root, path));
            return full.StartsWith(Path.GetFullPath(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(full)
                ? Results.File(full, "application/x-cvmfs")
                : Results.NotFound();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new StaticRepositoryServer(app, $"{address.TrimEnd('/')}/cvmfs/{fqrn}");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
