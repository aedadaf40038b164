using Strata.Metadata.Contracts.Gc;

namespace Strata.Metadata.Contracts;

/// <summary>
/// Every metadata capability one backend provides (SQLite now, PostgreSQL later). Consumers depend
/// on the small interfaces; the composition root registers one implementation for all of them.
/// Every backend must pass <c>MetadataStoreConformanceTests</c>.
/// </summary>
public interface IMetadataStore : IRepositoryStore, IBlobLinkStore, IManifestStore, ITagStore, IUploadSessionStore, IOutboxStore, IJobQueue, IGarbageCollectionStore, IAsyncDisposable
{
    /// <summary>Creates or migrates the schema. Safe to call at every start.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);
}
