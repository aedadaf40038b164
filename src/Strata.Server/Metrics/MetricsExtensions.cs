using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Strata.Registry.Gc;

namespace Strata.Server.Metrics;

/// <summary>
/// <c>/metrics</c>: Strata's <see cref="System.Diagnostics.Metrics"/> instruments in Prometheus text
/// format, through OpenTelemetry's Prometheus exporter (the .NET project's own). Not authenticated,
/// like Harbor's metrics endpoint and Prometheus convention: the figures are counts and durations
/// labelled by status or store operation, never by repository, user or tag. Deployments that must
/// hide them turn the endpoint off (<c>Metrics:Enabled=false</c>) or deny the path at the proxy.
/// </summary>
public static class MetricsExtensions
{
    /// <summary>The meters exported: garbage collection (counters, last run, queue depth) and SQLite write-lock contention.</summary>
    public static readonly string[] Meters = [GcMetrics.MeterName, GcBacklogGauges.MeterName, "Strata.Metadata.Sqlite"];

    public static IServiceCollection AddStrataMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetricsOptions>().Bind(configuration.GetSection(MetricsOptions.Section));
        var settings = configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new MetricsOptions();
        if (!settings.Enabled)
        {
            return services;
        }

        services.AddSingleton<GcBacklogGauges>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(Meters)
            .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }

    public static WebApplication MapStrataMetrics(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (settings.Enabled)
        {
            // The gauges register their instruments when created; create them before the first scrape.
            app.Services.GetRequiredService<GcBacklogGauges>();
            app.MapPrometheusScrapingEndpoint(settings.Path);
        }

        return app;
    }
}
