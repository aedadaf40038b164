using System.Buffers;
using System.Collections.Concurrent;

namespace Strata.Server.Http;

/// <summary>
/// Kestrel's connection buffers in 64 KiB blocks instead of its default 4 KiB ones.
/// </summary>
/// <remarks>
/// Kestrel receives into whatever is left of the current pool block, so with 4 KiB blocks a blob
/// upload arrived in ~2–4 KiB <c>recv</c> calls: 262,144+ syscalls per GiB, which on this kind of
/// virtual machine cost more CPU than hashing the bytes (docs/benchmarks.md; distribution reads
/// 32 KiB at a time). 64 KiB blocks cut that sixteenfold. The price is memory per busy
/// connection (a 64 KiB block instead of 4 KiB while reading or writing); an idle keep-alive
/// connection holds none, since Kestrel waits for data before it rents a read buffer.
/// Blocks come from the pinned object heap, as Kestrel's own pool's do, so socket I/O never pins
/// movable memory; up to <see cref="MaxRetainedBlocks"/> returned blocks are kept for reuse.
/// </remarks>
internal sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    public const int BlockSize = 64 * 1024;

    /// <summary>32 MiB of idle blocks at most; more than that goes back to the garbage collector.</summary>
    private const int MaxRetainedBlocks = 512;

    private readonly ConcurrentQueue<Block> _free = new();
    private int _retained;

    public override int MaxBufferSize => BlockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _retained);
            block.Lease();
            return block;
        }

        return new Block(this);
    }

    protected override void Dispose(bool disposing) => _free.Clear();

    private void Return(Block block)
    {
        if (Interlocked.Increment(ref _retained) <= MaxRetainedBlocks)
        {
            _free.Enqueue(block);
        }
        else
        {
            Interlocked.Decrement(ref _retained);
        }
    }

    private sealed class Block(LargeBlockMemoryPool pool) : IMemoryOwner<byte>
    {
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);
        private int _leased = 1;

        public Memory<byte> Memory => _array;

        public void Lease() => Volatile.Write(ref _leased, 1);

        public void Dispose()
        {
            // Only the first Dispose returns the block: a second would hand it to two renters.
            if (Interlocked.Exchange(ref _leased, 0) == 1)
            {
                pool.Return(this);
            }
        }
    }
}
