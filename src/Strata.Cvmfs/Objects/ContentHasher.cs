using System.Security.Cryptography;

namespace Strata.Cvmfs.Objects;

/// <summary>Incremental content hashing for every algorithm .NET can compute (SHA-1, SHAKE-128).</summary>
public sealed class ContentHasher : IDisposable
{
    private readonly IncrementalHash? _sha1;
    private readonly Shake128? _shake;

    private ContentHasher(ContentHashAlgorithm algorithm)
    {
        Algorithm = algorithm;
        switch (algorithm)
        {
            case ContentHashAlgorithm.Sha1:
                _sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
                break;
            case ContentHashAlgorithm.Shake128:
                if (!Shake128.IsSupported)
                {
                    throw new CvmfsVerificationException(VerificationFailure.Unsupported, "SHAKE-128 is not supported by this platform's cryptography library.");
                }

                _shake = new Shake128();
                break;
            default:
                throw new CvmfsVerificationException(VerificationFailure.Unsupported, $"Content hash algorithm {algorithm} cannot be computed on .NET.");
        }
    }

    /// <summary>The algorithm being computed.</summary>
    public ContentHashAlgorithm Algorithm { get; }

    /// <summary>True when this platform can compute <paramref name="algorithm"/>.</summary>
    public static bool IsSupported(ContentHashAlgorithm algorithm) => algorithm switch
    {
        ContentHashAlgorithm.Sha1 => true,
        ContentHashAlgorithm.Shake128 => Shake128.IsSupported,
        _ => false,
    };

    /// <summary>Creates a hasher; throws <see cref="CvmfsVerificationException"/> (Unsupported) for RIPEMD-160.</summary>
    public static ContentHasher Create(ContentHashAlgorithm algorithm) => new(algorithm);

    /// <summary>Hashes a whole buffer.</summary>
    public static ContentHash Compute(ContentHashAlgorithm algorithm, ReadOnlySpan<byte> data)
    {
        using var hasher = Create(algorithm);
        hasher.Append(data);
        return hasher.Finish();
    }

    /// <summary>Adds bytes.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (_sha1 is not null)
        {
            _sha1.AppendData(data);
        }
        else
        {
            _shake!.AppendData(data);
        }
    }

    /// <summary>Returns the hash of everything appended and resets the hasher.</summary>
    public ContentHash Finish()
    {
        Span<byte> digest = stackalloc byte[ContentHash.DigestSize];
        if (_sha1 is not null)
        {
            _sha1.GetHashAndReset(digest);
        }
        else
        {
            // cvmfs truncates SHAKE-128 output to 160 bits (kDigestSizes[kShake128] = 20).
            _shake!.GetHashAndReset(digest);
        }

        return ContentHash.FromDigest(Algorithm, digest);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _sha1?.Dispose();
        _shake?.Dispose();
    }
}
