using Strata.Metadata.Contracts.Identity;
using Strata.Metadata.Postgres;
using Strata.Metadata.Tests.Postgres;

namespace Strata.Identity.Tests.Store;

[Trait("Category", "Integration")]
public sealed class PostgresIdentityStoreTests : IdentityStoreConformanceTests
{
    private PostgresTestDatabase _database = null!;

    public override async Task InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateMigratedAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            await _database.DisposeAsync();
        }
    }

    protected override async Task<IIdentityStore> CreateStoreAsync()
    {
        var store = new PostgresMetadataStore(_database.ConnectionString, Clock);
        await store.InitializeAsync(Ct);
        return store;
    }
}
