namespace Strata.Metadata.Tests;

public abstract partial class MetadataStoreConformanceTests
{
    [Fact]
    public async Task Outbox_cursor_of_a_consumer_that_never_ran_is_zero()
    {
        Assert.Equal(0, await Store.GetOutboxCursorAsync("publisher", Ct));
    }

    [Fact]
    public async Task Outbox_cursor_moves_forward_only_and_per_consumer()
    {
        await Store.SetOutboxCursorAsync("publisher", 5, Ct);
        await Store.SetOutboxCursorAsync("scanner", 2, Ct);
        Assert.Equal(5, await Store.GetOutboxCursorAsync("publisher", Ct));

        await Store.SetOutboxCursorAsync("publisher", 9, Ct);
        Assert.Equal(9, await Store.GetOutboxCursorAsync("publisher", Ct));

        // A late write from a slower instance must not hand events out again.
        await Store.SetOutboxCursorAsync("publisher", 7, Ct);
        await Store.SetOutboxCursorAsync("publisher", 9, Ct);
        Assert.Equal(9, await Store.GetOutboxCursorAsync("publisher", Ct));
        Assert.Equal(2, await Store.GetOutboxCursorAsync("scanner", Ct));
    }

    [Fact]
    public async Task Outbox_cursor_survives_reopening_the_store()
    {
        await Store.SetOutboxCursorAsync("publisher", 42, Ct);

        var reopened = await OpenStoreAsync();

        Assert.Equal(42, await reopened.GetOutboxCursorAsync("publisher", Ct));
    }
}
