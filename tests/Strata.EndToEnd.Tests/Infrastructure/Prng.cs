using System.Buffers.Binary;

namespace Strata.EndToEnd.Tests.Infrastructure;

/// <summary>
/// SplitMix64: a tiny deterministic generator, fast enough to make hundreds of megabytes of
/// incompressible test content on the fly (System.Random's seeded algorithm is slower and not
/// promised to stay the same across .NET versions).
/// </summary>
public sealed class Prng(ulong seed)
{
    private ulong _state = seed;
    private ulong _pending;
    private int _pendingBytes;

    public void Fill(Span<byte> buffer)
    {
        // Drain bytes left over from the last call first, so the sequence does not depend on how callers split it.
        while (_pendingBytes > 0 && buffer.Length > 0)
        {
            buffer[0] = (byte)_pending;
            _pending >>= 8;
            _pendingBytes--;
            buffer = buffer[1..];
        }

        while (buffer.Length >= 8)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(buffer, Next());
            buffer = buffer[8..];
        }

        if (buffer.Length > 0)
        {
            _pending = Next();
            _pendingBytes = 8;
            Fill(buffer);
        }
    }

    public byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        Fill(bytes);
        return bytes;
    }

    private ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
