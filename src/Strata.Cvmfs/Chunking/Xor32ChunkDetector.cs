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
    private uint _xor;
    private long _position;

    public Xor32ChunkDetector(ChunkingParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters;
        _threshold = (int)(uint.MaxValue / (uint)parameters.AverageSize);
        _windowStart = parameters.MinSize - ChunkingParameters.WindowSize;
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
        var i = 0;

        // Nothing can happen before the window start: skip there in one step.
        if (_position < _windowStart)
        {
            var skip = (int)Math.Min(data.Length, _windowStart - _position);
            _position += skip;
            i = skip;
        }

        for (; i < data.Length; i++)
        {
            if (_position >= _parameters.MaxSize)
            {
                Reset();
                return i;
            }

            _xor = (_xor << 1) ^ data[i];
            if (_position >= _parameters.MinSize && IsCutPoint(_xor))
            {
                Reset();
                return i;
            }

            _position++;
        }

        return -1;
    }

    /// <summary>Starts a new file.</summary>
    public void Reset()
    {
        _xor = 0;
        _position = 0;
    }

    private bool IsCutPoint(uint xor)
    {
        // C's abs(int32 - int32) with wrap-around; abs(INT_MIN) stays negative and so counts as a cut.
        var difference = unchecked((int)xor - MagicNumber);
        return difference == int.MinValue || Math.Abs(difference) < _threshold;
    }
}
