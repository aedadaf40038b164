using System.Net;

namespace Strata.Server.Tests.Infrastructure;

/// <summary>
/// A request body of unknown length, sent with <c>Transfer-Encoding: chunked</c> and no
/// Content-Length, the way docker streams a layer in one PATCH.
/// </summary>
public sealed class StreamedContent(byte[] data, int pieceSize = 4096) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        for (var offset = 0; offset < data.Length; offset += pieceSize)
        {
            await stream.WriteAsync(data.AsMemory(offset, Math.Min(pieceSize, data.Length - offset)));
            await stream.FlushAsync();
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
