using Strata.Registry.Gc;
using Strata.Registry.Tests.Gc.Support;

namespace Strata.Registry.Tests.Gc;

/// <summary>The race on the embedded deployment: SQLite and the filesystem driver.</summary>
public sealed class SqliteFileSystemGcRaceTests : GcRaceTests
{
    private protected override TimeSpan GracePeriod => TimeSpan.FromSeconds(3);

    private protected override Task<RegistryHarness> CreateHarnessAsync(GcOptions options) => RegistryHarness.SqliteFileSystemAsync(options);
}
