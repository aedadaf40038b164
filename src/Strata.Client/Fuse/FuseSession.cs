using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Strata.Client.Fuse;

/// <summary>
/// The kernel side of a mount: a few dedicated threads block in <c>read(2)</c> on /dev/fuse (never a
/// native callback into managed code), each request is handed to the file system, which may finish
/// it asynchronously, and replies are single <c>write(2)</c> calls, which the kernel accepts from any
/// thread in any order. The loop ends when the kernel reports the mount gone (ENODEV).
/// </summary>
internal sealed class FuseSession
{
    public const int OutHeaderSize = 16;

    // Requests are small (we take no writes), but the kernel insists on room for max_write + headers.
    private const int ReadBufferSize = (1024 * 1024) + (64 * 1024);

    private readonly int _fd;
    private readonly Func<FuseRequest, ValueTask> _dispatch;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _running;

    public FuseSession(int fd, Func<FuseRequest, ValueTask> dispatch)
    {
        _fd = fd;
        _dispatch = dispatch;
    }

    /// <summary>Completes when every reader thread has stopped (unmounted or aborted).</summary>
    public Task Completion => _completion.Task;

    public void Start(int threads)
    {
        _running = threads;
        for (var i = 0; i < threads; i++)
        {
            var thread = new Thread(ReadLoop) { IsBackground = true, Name = $"fuse-reader-{i}" };
            thread.Start();
        }
    }

    /// <summary>Replies with an error only (or success without payload when <paramref name="errno"/> is 0).</summary>
    public void ReplyError(ulong unique, int errno)
    {
        Span<byte> header = stackalloc byte[OutHeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header, OutHeaderSize);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], -errno);
        BinaryPrimitives.WriteUInt64LittleEndian(header[8..], unique);
        Send(header);
    }

    /// <summary>Replies with <paramref name="buffer"/>[0..length), whose first 16 bytes are left for the header.</summary>
    public void Reply(ulong unique, Span<byte> buffer, int length)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)length);
        BinaryPrimitives.WriteInt32LittleEndian(buffer[4..], 0);
        BinaryPrimitives.WriteUInt64LittleEndian(buffer[8..], unique);
        Send(buffer[..length]);
    }

    private unsafe void Send(ReadOnlySpan<byte> message)
    {
        fixed (byte* pointer = message)
        {
            var written = LibC.Write(_fd, pointer, message.Length);

            // ENOENT: the request was interrupted and is gone; anything else means the mount is going away.
            _ = written;
        }
    }

    private unsafe void ReadLoop()
    {
        var buffer = GC.AllocateUninitializedArray<byte>(ReadBufferSize, pinned: true);
        try
        {
            fixed (byte* pointer = buffer)
            {
                while (true)
                {
                    var n = LibC.Read(_fd, pointer, buffer.Length);
                    if (n < 0)
                    {
                        var errno = Marshal.GetLastPInvokeError();
                        if (errno is Errno.EIntr or Errno.EAgain || errno == 2 /* ENOENT: request vanished */)
                        {
                            continue;
                        }

                        // ENODEV: unmounted; EBADF: closed by us.
                        if (errno != Errno.ENoDev && Environment.GetEnvironmentVariable("STRATA_FUSE_DEBUG") is { } debug)
                        {
                            File.AppendAllText(debug, $"fuse reader stopped: errno {errno}\n");
                        }

                        return;
                    }

                    if (n < FuseRequest.HeaderSize)
                    {
                        return;
                    }

                    var request = new FuseRequest(buffer.AsSpan(0, (int)n));
                    ValueTask pending;
                    try
                    {
                        pending = _dispatch(request);
                    }
                    catch (Exception)
                    {
                        request.Dispose();
                        ReplyError(request.Unique, Errno.EIo);
                        continue;
                    }

                    if (!pending.IsCompletedSuccessfully)
                    {
                        _ = Observe(pending);
                    }
                }
            }
        }
        finally
        {
            if (Interlocked.Decrement(ref _running) == 0)
            {
                _completion.TrySetResult();
            }
        }
    }

    private static async Task Observe(ValueTask pending)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The file system replies to its own failures; nothing may escape a reader thread.
        }
    }

    /// <summary>Rents a reply buffer of at least <paramref name="size"/> bytes (header included).</summary>
    public static byte[] Rent(int size) => ArrayPool<byte>.Shared.Rent(size);

    public static void Return(byte[] buffer) => ArrayPool<byte>.Shared.Return(buffer);
}
