using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Strata.Metadata.Contracts;
using Strata.Metadata.Postgres;
using Strata.Metadata.Sqlite;
using Strata.Storage.Drivers;
using Strata.Storage.FileSystem;
using Strata.Storage.S3;

namespace Strata.Server.Hosting;

/// <summary>
/// Chooses the blob driver (<c>Storage:Driver</c>) and the metadata store (<c>Metadata:Provider</c>)
/// from configuration. Invalid settings fail before the host is built, all listed at once.
/// </summary>
internal static class BackendServiceCollectionExtensions
{
    public static (StorageOptions Storage, MetadataOptions Metadata) AddStrataBackends(this IServiceCollection services, IConfiguration configuration, string data)
    {
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var metadata = configuration.GetSection(MetadataOptions.Section).Get<MetadataOptions>() ?? new MetadataOptions();
        var publishing = configuration.GetValue("Publish:Enabled", true);
        var problems = BackendOptionsValidator.Validate(storage, metadata, publishing, configuration["Publish:RegistryHost"]);
        if (problems.Count > 0)
        {
            throw new OptionsValidationException("Storage/Metadata", typeof(StorageOptions), problems);
        }

        services.AddSingleton(storage);
        services.AddSingleton(metadata);
        if (storage.IsS3)
        {
            services.AddSingleton<IBlobDriver>(_ => new S3BlobDriver(storage.S3));
            if (storage.S3.RedirectReads)
            {
                services.AddSingleton(sp => new Oci.BlobReadRedirect((S3BlobDriver)sp.GetRequiredService<IBlobDriver>()));
            }
        }
        else
        {
            // Embedded default: blobs in <data>/storage.
            services.AddSingleton<IBlobDriver>(_ => new FileSystemBlobDriver(Path.Combine(data, "storage")));
        }

        if (metadata.IsPostgres)
        {
            services.AddSingleton<IMetadataStore>(sp => new PostgresMetadataStore(metadata.ConnectionString!, sp.GetRequiredService<TimeProvider>()));
        }
        else
        {
            // Embedded default: metadata in <data>/strata.db.
            services.AddSingleton<IMetadataStore>(sp => new SqliteMetadataStore(Path.Combine(data, "strata.db"), sp.GetRequiredService<TimeProvider>()));
        }

        return (storage, metadata);
    }
}
