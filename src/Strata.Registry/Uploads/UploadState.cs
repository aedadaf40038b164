using System.Security.Cryptography;
using Strata.Oci.Digests;

namespace Strata.Registry.Uploads;

/// <summary>
/// In-memory companion of one upload session: a gate that serializes its requests and the running
/// hash of the bytes accepted so far. The hash is only a cache: .NET cannot serialize a hash state,
/// so after a restart (or on another replica) the hash is rebuilt by reading the stored bytes once.
/// </summary>
internal sealed class UploadState
{
    public SemaphoreSlim Gate { get; } = new(1, 1);

    public IncrementalHash? Hash { get; private set; }

    public DigestAlgorithm Algorithm { get; private set; } = DigestAlgorithm.Sha256;

    /// <summary>Number of bytes <see cref="Hash"/> has consumed.</summary>
    public long HashedBytes { get; set; }

    public long LastUsedTicks { get; set; }

    public void Reset(DigestAlgorithm algorithm)
    {
        Hash?.Dispose();
        Algorithm = algorithm;
        Hash = algorithm.CreateHash();
        HashedBytes = 0;
    }

    /// <summary>Forgets the running hash (after a failed write its position is unknown).</summary>
    public void Invalidate()
    {
        Hash?.Dispose();
        Hash = null;
        HashedBytes = 0;
    }
}
