using Strata.Registry.Gc;
using Strata.Registry.Tests.Gc.Support;

namespace Strata.Registry.Tests.Gc;

/// <summary>The race on the scale-out deployment: PostgreSQL (row locks, SKIP LOCKED) and S3.</summary>
[Trait("Category", "Integration")]
public sealed class PostgresS3GcRaceTests : GcRaceTests
{
    private protected override Task<RegistryHarness> CreateHarnessAsync(GcOptions options) => RegistryHarness.PostgresS3Async(options);
}
