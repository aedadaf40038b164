using System.Net;
using Amazon.Runtime;

namespace Strata.Storage.S3;

/// <summary>
/// An S3 request failed after the SDK's retries (or was not retryable): wrong credentials, a
/// missing bucket, a refused request, or a server still failing after the last retry. An
/// <see cref="IOException"/>, as a failing disk is for the filesystem driver.
/// </summary>
public sealed class S3StorageException : IOException
{
    public S3StorageException(string operation, string key, string message, Exception? innerException = null)
        : base($"s3: {operation} '{key}' failed: {message}", innerException)
    {
        Operation = operation;
        Key = key;
        switch (innerException)
        {
            case AmazonServiceException { StatusCode: not 0 } service:
                StatusCode = service.StatusCode;
                ErrorCode = service.ErrorCode;
                IsTransient = service.StatusCode is HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError
                              || service.ErrorCode is "SlowDown" or "RequestTimeout" or "ServiceUnavailable" or "InternalError";
                break;
            case AmazonServiceException or HttpRequestException or IOException or TimeoutException or OperationCanceledException or System.Net.Sockets.SocketException:
                // No answer at all: connection refused or dropped, or the request timed out.
                IsTransient = true;
                break;
        }
    }

    /// <summary>The S3 operation, e.g. <c>PutObject</c>.</summary>
    public string Operation { get; }

    /// <summary>The object key (or key prefix) the operation was for.</summary>
    public string Key { get; }

    /// <summary>HTTP status of the last answer, when the server answered.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>S3 error code of the last answer (<c>AccessDenied</c>, <c>NoSuchBucket</c>, <c>SlowDown</c>, …).</summary>
    public string? ErrorCode { get; }

    /// <summary>
    /// True when trying again later may succeed (throttling, 5xx, no answer at all): the HTTP layer
    /// answers 503 or TOOMANYREQUESTS rather than 500. False for refusals (credentials, a missing
    /// bucket) and for limits of this driver.
    /// </summary>
    public bool IsTransient { get; }

    internal static S3StorageException From(string operation, string key, Exception e)
    {
        var detail = e is AmazonServiceException { StatusCode: not 0 } service
            ? $"{(int)service.StatusCode} {service.ErrorCode ?? service.StatusCode.ToString()}: {service.Message}"
            : e.Message;
        return new S3StorageException(operation, key, detail, e);
    }
}
