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
        if (innerException is AmazonServiceException service)
        {
            StatusCode = service.StatusCode == 0 ? null : service.StatusCode;
            ErrorCode = service.ErrorCode;
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
    /// answers 503 or TOOMANYREQUESTS rather than 500.
    /// </summary>
    public bool IsTransient => StatusCode is null or HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError
                               || ErrorCode is "SlowDown" or "RequestTimeout" or "ServiceUnavailable";

    internal static S3StorageException From(string operation, string key, Exception e)
    {
        var detail = e is AmazonServiceException { StatusCode: not 0 } service
            ? $"{(int)service.StatusCode} {service.ErrorCode ?? service.StatusCode.ToString()}: {service.Message}"
            : e.Message;
        return new S3StorageException(operation, key, detail, e);
    }
}
