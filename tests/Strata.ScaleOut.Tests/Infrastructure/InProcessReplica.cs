using Microsoft.AspNetCore.Builder;
using Strata.Server.Hosting;

namespace Strata.ScaleOut.Tests.Infrastructure;

/// <summary>A replica in the test process: <see cref="StrataServer.Build"/> on a free loopback port.</summary>
public sealed class InProcessReplica : IReplica
{
    private readonly WebApplication _app;

    private InProcessReplica(WebApplication app, string dataDirectory, Uri baseAddress)
    {
        _app = app;
        DataDirectory = dataDirectory;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string DataDirectory { get; }

    public static async Task<InProcessReplica> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var app = StrataServer.Build([], settings);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await app.StartAsync(timeout.Token);
            return new InProcessReplica(app, settings["Data"]!, StrataServer.GetListeningUri(app));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await _app.StopAsync(timeout.Token);
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }
}
