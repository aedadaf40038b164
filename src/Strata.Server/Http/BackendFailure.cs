using System.Net;
using Strata.Metadata.Postgres;
using Strata.Oci.Errors;
using Strata.Storage.S3;

namespace Strata.Server.Http;

/// <summary>
/// A request failed because a backend is unavailable or throttling, not because of a bug: the
/// metadata store after its retries (<see cref="MetadataStoreUnavailableException"/>), or the S3
/// store after the SDK's (<see cref="S3StorageException.IsTransient"/>). Clients should try again,
/// so the answer is 503 UNAVAILABLE (429 TOOMANYREQUESTS when S3 throttles) with Retry-After,
/// never a 500. Nothing half-written is visible: writes are single transactions and objects appear
/// whole or not at all.
/// </summary>
internal sealed record BackendFailure(OciErrorCode Code, int RetryAfterSeconds, string Message)
{
    /// <summary>Seconds a client should wait when the database is down: a restart or failover takes a few.</summary>
    private const int MetadataRetryAfterSeconds = 5;
    private const int StorageRetryAfterSeconds = 5;
    private const int ThrottledRetryAfterSeconds = 2;

    /// <summary>The failure <paramref name="exception"/> (or one it wraps) stands for, or null for any other error.</summary>
    public static BackendFailure? From(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case MetadataStoreUnavailableException:
                    return new BackendFailure(OciErrorCode.Unavailable, MetadataRetryAfterSeconds, "the metadata store is unavailable; try again shortly");
                case S3StorageException { IsTransient: true } s3 when s3.StatusCode == HttpStatusCode.TooManyRequests || s3.ErrorCode == "SlowDown":
                    return new BackendFailure(OciErrorCode.TooManyRequests, ThrottledRetryAfterSeconds, "the storage backend is throttling requests; slow down and try again");
                case S3StorageException { IsTransient: true }:
                    return new BackendFailure(OciErrorCode.Unavailable, StorageRetryAfterSeconds, "the storage backend is unavailable; try again shortly");
            }
        }

        return null;
    }
}
