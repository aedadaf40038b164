using Strata.Registry.Gc;
using Strata.Registry.Tests.Gc.Support;

namespace Strata.Registry.Tests.Gc;

/// <summary>The race on the scale-out deployment: PostgreSQL (row locks, SKIP LOCKED) and S3.</summary>
[Trait("Category", "Integration")]
public sealed class PostgresS3GcRaceTests : GcRaceTests
{
    // S3 uploads (put, copy, delete per blob) on a shared 2-core machine make a push take seconds.
    private protected override TimeSpan GracePeriod => TimeSpan.FromSeconds(10);

    private protected override Task<RegistryHarness> CreateHarnessAsync(GcOptions options) => RegistryHarness.PostgresS3Async(options);
}
