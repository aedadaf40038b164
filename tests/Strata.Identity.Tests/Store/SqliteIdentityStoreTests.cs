using Strata.Metadata.Contracts.Identity;
using Strata.Metadata.Sqlite;

namespace Strata.Identity.Tests.Store;

public sealed class SqliteIdentityStoreTests : IdentityStoreConformanceTests
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "strata-identity-" + Guid.NewGuid().ToString("N"));

    protected override async Task<IIdentityStore> CreateStoreAsync()
    {
        Directory.CreateDirectory(_folder);
        var store = new SqliteMetadataStore(Path.Combine(_folder, "strata.db"), Clock);
        await store.InitializeAsync(Ct);
        return store;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
