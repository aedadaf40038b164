namespace Strata.Cvmfs.Chunking;

/// <summary>
/// cvmfs's content-defined chunk boundary detector (<c>Xor32Detector</c>, ingestion/chunk_detector.cc):
/// a checksum <c>x = (x &lt;&lt; 1) ^ byte</c> over 32-bit words, so only the last 32 bytes count.
/// Per chunk it starts 32 bytes before the minimum size; from the minimum on, after mixing in the
/// byte at chunk offset <c>p</c>, it cuts before that byte when
/// <c>|int32(x) − 0x7FFFFFFF| &lt; (2^32 − 1) / average</c> (with int32 wrap-around), and it forces a
/// cut at the maximum size. Checked against the 2.12 tools: the test repository's random file is
/// cut at 5534236, where the condition first holds after mixing in byte 5534236.
/// </summary>
/// <remarks>
/// Streaming: feed the file in pieces of any size; the cut positions do not depend on how it is split.
/// </remarks>
public sealed class Xor32ChunkDetector
{
    private const int MagicNumber = int.MaxValue;
    private readonly ChunkingParameters _parameters;
    private readonly int _threshold;
    private readonly long _windowStart;
    private readonly uint _cutOffset;
    private readonly uint _cutRange;
    private uint _xor;
    private long _position;

    public Xor32ChunkDetector(ChunkingParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters;
        _threshold = (int)(uint.MaxValue / (uint)parameters.AverageSize);
        _windowStart = parameters.MinSize - ChunkingParameters.WindowSize;
        (_cutOffset, _cutRange) = CutConstants(_threshold);
    }

    /// <summary>Bytes of the current (unfinished) chunk seen so far.</summary>
    public long ChunkLength => _position;

    /// <summary>
    /// Scans the next bytes of the file. Returns the index in <paramref name="data"/> where a new chunk
    /// starts (the bytes before it end the current chunk), or -1 when <paramref name="data"/> holds no
    /// boundary. After a boundary the detector is at the start of the new chunk: call again with
    /// <c>data[index..]</c>.
    /// </summary>
    public int FindBoundary(ReadOnlySpan<byte> data)
    {
        // The hot loop of chunking (every byte of every file above the minimum size): state in
        // locals, the two phases (before and after the minimum) in separate loops, and the cut test
        // as one unsigned comparison. Measured 0.74 s of CPU for a 160 MiB file before, when the
        // loop re-read the fields and tested both limits per byte (docs/benchmarks.md).
        var i = 0;
        var position = _position;

        // Nothing can happen before the window start: skip there in one step.
        if (position < _windowStart)
        {
            var skip = (int)Math.Min(data.Length, _windowStart - position);
            position += skip;
            i = skip;
        }

        var xor = _xor;
        var minSize = _parameters.MinSize;
        if (position < minSize && i < data.Length)
        {
            // Inside the window before the minimum: mix only, no cut is possible yet.
            var end = i + (int)Math.Min(data.Length - i, minSize - position);
            for (var k = i; k < end; k++)
            {
                xor = (xor << 1) ^ data[k];
            }

            position += end - i;
            i = end;
        }

        if (position >= minSize && i < data.Length)
        {
            var end = i + (int)Math.Min(data.Length - i, _parameters.MaxSize - position);
            var offset = _cutOffset;
            var range = _cutRange;
            for (var k = i; k < end; k++)
            {
                xor = (xor << 1) ^ data[k];
                if (IsCutPoint(xor, offset, range))
                {
                    Reset();
                    return k;
                }
            }

            position += end - i;
            i = end;
            if (position >= _parameters.MaxSize && i < data.Length)
            {
                Reset();
                return i;
            }
        }

        _xor = xor;
        _position = position;
        return -1;
    }

    /// <summary>Starts a new file.</summary>
    public void Reset()
    {
        _xor = 0;
        _position = 0;
    }

    /// <summary>The cut test with the constants of <see cref="CutConstants"/>: one addition and one comparison per byte.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static bool IsCutPoint(uint xor, uint offset, uint range) => unchecked(xor + offset) < range || xor == uint.MaxValue;

    /// <summary>
    /// |int32(x) − 0x7FFFFFFF| &lt; t  ⇔  −t &lt; x + 0x80000001 &lt; t (mod 2^32, as int32)
    /// ⇔  uint32(x + 0x80000000 + t) &lt; 2t − 1; the difference INT_MIN (x = 0xFFFFFFFF) is tested on its own.
    /// </summary>
    internal static (uint Offset, uint Range) CutConstants(int threshold) => (unchecked(0x8000_0000u + (uint)threshold), (uint)(2 * threshold - 1));

    /// <summary>The cut test as cvmfs writes it, kept as the definition the fast test must agree with.</summary>
    internal static bool IsCutPoint(uint xor, int threshold)
    {
        // C's abs(int32 - int32) with wrap-around; abs(INT_MIN) stays negative and so counts as a cut.
        var difference = unchecked((int)xor - MagicNumber);
        return difference == int.MinValue || Math.Abs(difference) < threshold;
    }
}
