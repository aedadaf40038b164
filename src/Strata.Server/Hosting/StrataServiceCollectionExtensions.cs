using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Strata.Metadata.Contracts;
using Strata.Metadata.Sqlite;
using Strata.Registry;
using Strata.Registry.Blobs;
using Strata.Registry.Jobs;
using Strata.Registry.Manifests;
using Strata.Registry.Tags;
using Strata.Registry.Uploads;
using Strata.Storage.Drivers;
using Strata.Storage.FileSystem;

namespace Strata.Server.Hosting;

/// <summary>The composition root: which driver and store back the registry, and its services.</summary>
public static class StrataServiceCollectionExtensions
{
    public static IServiceCollection AddStrataRegistry(this IServiceCollection services, IConfiguration configuration, StrataOptions options)
    {
        var data = Path.GetFullPath(options.Data);
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<RegistryOptions>()
            .Bind(configuration.GetSection(RegistryOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Storage:Driver (filesystem | s3) and Metadata:Provider (sqlite | postgres); embedded by default.
        var (_, metadata) = services.AddStrataBackends(configuration, data);
        services.AddSingleton<IRepositoryStore>(sp => sp.GetRequiredService<IMetadataStore>());
        services.AddSingleton<IBlobLinkStore>(sp => sp.GetRequiredService<IMetadataStore>());
        services.AddSingleton<IManifestStore>(sp => sp.GetRequiredService<IMetadataStore>());
        services.AddSingleton<ITagStore>(sp => sp.GetRequiredService<IMetadataStore>());
        services.AddSingleton<IUploadSessionStore>(sp => sp.GetRequiredService<IMetadataStore>());
        services.AddSingleton<IOutboxStore>(sp => sp.GetRequiredService<IMetadataStore>());
        services.AddSingleton<IJobQueue>(sp => sp.GetRequiredService<IMetadataStore>());

        services.AddOptions<JobWorkerOptions>()
            .Bind(configuration.GetSection(JobWorkerOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<JobSignal>();
        services.AddSingleton<UploadStates>();
        services.AddSingleton<UploadService>();
        services.AddSingleton<BlobService>();
        services.AddSingleton<ManifestService>();
        services.AddSingleton<ListingService>();
        services.AddHostedService(sp => new StorageInitializer(data, metadata, sp.GetRequiredService<IMetadataStore>(), sp.GetRequiredService<IBlobDriver>()));
        // Registered after the initializer: hosted services start in order, so workers find the schema ready.
        services.AddOutboxDispatch(metadata);
        services.AddJobWorker(metadata);
        services.AddJobRetention(configuration);
        return services;
    }
}
