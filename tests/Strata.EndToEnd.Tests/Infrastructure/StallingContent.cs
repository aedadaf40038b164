namespace Strata.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A request body that sends <paramref name="prefix"/> and then stops sending until
/// <paramref name="stop"/> fires, like a client whose connection hangs mid-upload.
/// </summary>
public sealed class StallingContent(ReadOnlyMemory<byte> prefix, CancellationToken stop) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
    {
        const int piece = 1 << 20;
        for (var offset = 0; offset < prefix.Length; offset += piece)
        {
            await stream.WriteAsync(prefix.Slice(offset, Math.Min(piece, prefix.Length - offset)), stop);
        }

        await stream.FlushAsync(stop);
        await Task.Delay(Timeout.Infinite, stop);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
