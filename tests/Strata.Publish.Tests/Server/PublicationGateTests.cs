using Strata.Server.Publication;

namespace Strata.Publish.Tests.Server;

public sealed class PublicationGateTests
{
    [Fact]
    public async Task One_publication_at_a_time_by_default_the_next_starts_when_the_first_leaves()
    {
        using var gate = new PublicationGate(new PublicationOptions().MaxConcurrentPublications);
        var first = await gate.EnterAsync(CancellationToken.None);

        var second = gate.EnterAsync(CancellationToken.None);
        await Task.Delay(100);
        Assert.False(second.IsCompleted);

        first.Dispose();
        first.Dispose();   // idempotent: a double release must not open a second slot
        using var entered = await second.WaitAsync(TimeSpan.FromSeconds(10));
        var third = gate.EnterAsync(CancellationToken.None);
        await Task.Delay(100);
        Assert.False(third.IsCompleted);
        entered.Dispose();
        (await third.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }

    [Fact]
    public void Defaults_leave_cores_to_request_serving_and_compress_fast()
    {
        var options = new PublicationOptions();

        Assert.Equal(1, options.MaxConcurrentPublications);
        Assert.Equal(Math.Max(1, Environment.ProcessorCount / 2), options.EffectiveMaxParallelLayers);
        Assert.Equal(1, options.CompressionLevel);
        Assert.True(options.StoreIncompressibleUncompressed);
    }
}
