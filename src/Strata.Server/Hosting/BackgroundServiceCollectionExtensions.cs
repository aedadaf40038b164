using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Strata.Metadata.Contracts;
using Strata.Metadata.Postgres;
using Strata.Registry.Jobs;

namespace Strata.Server.Hosting;

/// <summary>Background work that depends on the deployment: outbox dispatch (one process, or one leader among replicas) and job retention.</summary>
internal static class BackgroundServiceCollectionExtensions
{
    /// <summary>
    /// SQLite: one process, so its own dispatcher. PostgreSQL: every replica runs a
    /// <see cref="LeaderOutboxDispatcher"/>, and the one holding the lock dispatches.
    /// </summary>
    public static IServiceCollection AddOutboxDispatch(this IServiceCollection services, MetadataOptions metadata)
    {
        if (!metadata.IsPostgres)
        {
            services.AddHostedService<OutboxDispatcher>();
            return services;
        }

        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => new LeaderOutboxDispatcher(
            (PostgresMetadataStore)sp.GetRequiredService<IMetadataStore>(),
            sp.GetRequiredService<OutboxDispatcher>(),
            sp.GetServices<IOutboxConsumer>(),
            sp.GetRequiredService<JobSignal>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<JobWorkerOptions>>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<LeaderOutboxDispatcher>>()));
        return services;
    }

    /// <summary>
    /// The job workers. On PostgreSQL, job kinds in <see cref="FleetSerializedKinds"/> run one at a
    /// time across the fleet (<see cref="FleetSerializedJobHandler"/>). Handlers are resolved when the
    /// worker is created, so handlers registered after this call (publication) are included.
    /// </summary>
    public static IServiceCollection AddJobWorker(this IServiceCollection services, MetadataOptions metadata)
    {
        services.AddHostedService(sp =>
        {
            var handlers = sp.GetServices<IJobHandler>().ToList();
            if (metadata.IsPostgres)
            {
                var store = (PostgresMetadataStore)sp.GetRequiredService<IMetadataStore>();
                handlers = [.. handlers.Select(h => FleetSerializedKinds.Contains(h.Kind) ? new FleetSerializedJobHandler(h, store) : h)];
            }

            return ActivatorUtilities.CreateInstance<JobWorker>(sp, (IEnumerable<IJobHandler>)handlers);
        });
        return services;
    }

    /// <summary>Job kinds that must never run concurrently on two replicas (see <see cref="FleetSerializedJobHandler"/>).</summary>
    private static readonly HashSet<string> FleetSerializedKinds = new(StringComparer.Ordinal) { Publication.PublicationConsumer.JobKind };

    public static IServiceCollection AddJobRetention(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JobRetentionOptions>()
            .Bind(configuration.GetSection(JobRetentionOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHostedService<JobPruningService>();
        return services;
    }
}
