using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Strata.Server.Auth;
using Strata.Server.Cvmfs;
using Strata.Server.Gc;
using Strata.Server.Http;
using Strata.Server.Management;
using Strata.Server.Metrics;
using Strata.Server.Oci;
using Strata.Server.Publication;

namespace Strata.Server.Hosting;

/// <summary>
/// Builds the Strata host. Configuration, lowest to highest precedence: <c>appsettings.json</c>,
/// <c>strata.json</c> in the working directory or the file named by the <c>Config</c> setting,
/// <c>STRATA__…</c> environment variables (<c>__</c> separates sections), command-line
/// <c>--Key value</c> pairs, then <paramref name="settings"/> (what <c>strata serve</c> flags set).
/// </summary>
public static class StrataServer
{
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args });
        var configuration = builder.Configuration;
        configuration.AddJsonFile("strata.json", optional: true);
        var file = settings?.GetValueOrDefault("Config") ?? configuration["Config"];
        if (!string.IsNullOrEmpty(file))
        {
            configuration.AddJsonFile(Path.GetFullPath(file), optional: false);
        }

        configuration.AddEnvironmentVariables("STRATA__");
        configuration.AddCommandLine(args);
        if (settings is not null)
        {
            configuration.AddInMemoryCollection(settings);
        }

        var options = configuration.Get<StrataOptions>() ?? new StrataOptions();
        var problems = new StrataOptionsValidator().Validate(null, options);
        if (problems.Failed)
        {
            throw new OptionsValidationException(nameof(StrataOptions), typeof(StrataOptions), problems.Failures);
        }

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        ListenAddress.TryParse(options.Listen, out var endpoint);
        // 64 KiB connection buffers instead of 4 KiB: fewer, larger receives for blob uploads.
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>, LargeBlockMemoryPoolFactory>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(endpoint);
            kestrel.AddServerHeader = false;
            // Blobs are streamed to storage, never buffered, so their size is not limited here;
            // manifests have their own limit (Registry:MaxManifestBytes).
            kestrel.Limits.MaxRequestBodySize = null;
        });

        builder.Services.AddStrataRegistry(configuration, options);
        builder.Services.AddStrataPublication(configuration, options);
        builder.Services.AddStrataGc(configuration);
        builder.Services.AddStrataAuth(configuration, options);
        builder.Services.AddStrataMetrics(configuration);
        var app = builder.Build();
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/v2"), v2 => v2.UseMiddleware<OciErrorMiddleware>());
        app.UseWhen(c => !c.Request.Path.StartsWithSegments("/v2"), other => other.UseMiddleware<BackendUnavailableMiddleware>());
        app.UseStrataAuth();
        OciEndpoints.Map(app);
        CvmfsEndpoints.Map(app);
        PublicationEndpoints.Map(app);
        HealthEndpoints.Map(app);
        GcEndpoints.Map(app);
        app.MapStrataMetrics();
        return app;
    }

    /// <summary>The base address actually bound (useful with port 0), after the app started.</summary>
    public static Uri GetListeningUri(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var first = addresses.First().Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1");
        return new Uri(first.EndsWith('/') ? first : first + "/");
    }
}
