using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Strata.Metadata.Contracts;
using Strata.Publish.Publishing;
using Strata.Publish.Repository;
using Strata.Registry.Jobs;
using Strata.Server.Hosting;
using Strata.Storage.Drivers;

namespace Strata.Server.Publication;

/// <summary>Wires CernVM-FS publication: keys, the publisher, the outbox consumer and the job handler.</summary>
public static class PublicationServiceCollectionExtensions
{
    public static IServiceCollection AddStrataPublication(this IServiceCollection services, IConfiguration configuration, StrataOptions strata)
    {
        var data = Path.GetFullPath(strata.Data);
        services.AddOptions<PublicationOptions>()
            .Bind(configuration.GetSection(PublicationOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Keys are created on first start, in the data folder (secrets never go to blob storage).
        services.AddSingleton(sp => RepositoryKeys.LoadOrCreate(
            Path.Combine(data, "keys"), sp.GetRequiredService<IOptions<PublicationOptions>>().Value.Repository, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PublicationOptions>>().Value;
            return new ImagePublisher(
                sp.GetRequiredService<IBlobDriver>(),
                sp.GetRequiredService<IManifestStore>(),
                new ImagePublisherOptions
                {
                    RepositoryName = options.Repository,
                    RegistryHost = string.IsNullOrEmpty(options.RegistryHost) ? strata.Listen : options.RegistryHost,
                    WorkDirectory = Path.Combine(data, "tmp", "publish"),
                    CompressionLevel = options.CompressionLevel,
                    StoreIncompressibleUncompressed = options.StoreIncompressibleUncompressed,
                    MaxParallelLayers = options.EffectiveMaxParallelLayers,
                    PipelineSmallFiles = options.PipelineSmallFiles,
                },
                sp.GetRequiredService<RepositoryKeys>(),
                sp.GetRequiredService<TimeProvider>());
        });

        services.AddSingleton(sp => new PublicationGate(sp.GetRequiredService<IOptions<PublicationOptions>>().Value.MaxConcurrentPublications));
        if (configuration.GetValue(PublicationOptions.Section + ":" + nameof(PublicationOptions.Enabled), true))
        {
            services.AddSingleton<IOutboxConsumer, PublicationConsumer>();
            services.AddSingleton<IJobHandler, PublishJobHandler>();
            services.AddHostedService<WhitelistRenewalService>();
        }

        return services;
    }
}
