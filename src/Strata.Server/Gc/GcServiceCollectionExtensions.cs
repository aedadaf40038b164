using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Strata.Metadata.Contracts;
using Strata.Metadata.Contracts.Gc;
using Strata.Publish.Gc;
using Strata.Registry.Gc;

namespace Strata.Server.Gc;

/// <summary>Wires online garbage collection: settings, the collector, usage figures, metrics and the background schedule.</summary>
public static class GcServiceCollectionExtensions
{
    public static IServiceCollection AddStrataGc(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GcOptions>()
            .Bind(configuration.GetSection(GcOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IGarbageCollectionStore>(sp => sp.GetRequiredService<IMetadataStore>());
        services.AddSingleton(sp => new GcMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton<GarbageCollector>();
        services.AddSingleton<UsageCalculator>();
        services.AddHostedService<GcBackgroundService>();

        // The CernVM-FS repository: collected alone, publications wait at the gate meanwhile.
        services.AddOptions<CvmfsGcOptions>()
            .Bind(configuration.GetSection(CvmfsGcOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<RepositoryMaintenanceGate>();
        services.AddSingleton<CvmfsGcRunner>();
        services.AddHostedService<CvmfsGcBackgroundService>();
        return services;
    }
}
