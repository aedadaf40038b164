using System.Security.Cryptography;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.S3;
using Amazon.S3.Model;

namespace Strata.Storage.S3;

/// <summary>Builds the SDK client from <see cref="S3DriverOptions"/>.</summary>
internal static class S3ClientFactory
{
    public static AmazonS3Client Create(S3DriverOptions options, string? serviceUrl)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            // "standard": exponential backoff with jitter for throttling, 5xx and dropped
            // connections, bounded by MaxErrorRetry; anything else fails at once.
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = options.MaxErrorRetry,
            Timeout = options.RequestTimeout,
        };
        if (serviceUrl is not null)
        {
            config.ServiceURL = serviceUrl;
            config.AuthenticationRegion = options.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }

        if (options.ChecksumsOnlyWhenRequired)
        {
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }

        if (options.AccessKey is null || options.SecretKey is null)
        {
            // The standard chain: environment, profiles, web identity, container and instance roles.
            return new StrataS3Client(config);
        }

        AWSCredentials credentials = options.SessionToken is null
            ? new BasicAWSCredentials(options.AccessKey, options.SecretKey)
            : new SessionAWSCredentials(options.AccessKey, options.SecretKey, options.SessionToken);
        return new StrataS3Client(credentials, config);
    }

    /// <summary>The SDK client, plus a Content-MD5 header on DeleteObjects (see <see cref="ContentMd5Handler"/>).</summary>
    private sealed class StrataS3Client : AmazonS3Client
    {
        public StrataS3Client(AmazonS3Config config)
            : base(config)
        {
        }

        public StrataS3Client(AWSCredentials credentials, AmazonS3Config config)
            : base(credentials, config)
        {
        }

        protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
        {
            base.CustomizeRuntimePipeline(pipeline);
            // Just before signing: the body exists by then (the marshaller leaves it to later
            // handlers), and the retry handler sits above, so every attempt is covered.
            pipeline.AddHandlerBefore<Signer>(new ContentMd5Handler());
        }
    }

    /// <summary>
    /// S3 requires an integrity header on DeleteObjects. SDK v4 sends a CRC32 there, which AWS
    /// accepts, but Swift's s3api (and other S3-compatible servers) insist on Content-MD5 and answer
    /// 400 without it. The body is a small XML list of keys, so hashing it costs nothing; the
    /// header is added before signing, and AWS checks it too.
    /// </summary>
    private sealed class ContentMd5Handler : PipelineHandler
    {
        public override void InvokeSync(IExecutionContext executionContext)
        {
            AddContentMd5(executionContext.RequestContext);
            base.InvokeSync(executionContext);
        }

        public override Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            AddContentMd5(executionContext.RequestContext);
            return base.InvokeAsync<T>(executionContext);
        }

        private static void AddContentMd5(IRequestContext context)
        {
            var request = context.Request;
            if (context.OriginalRequest is not DeleteObjectsRequest || request.Headers.ContainsKey("Content-MD5"))
            {
                return;
            }

#pragma warning disable CA5351 // Content-MD5 is the wire format S3 asks for, not a security measure.
            if (request.Content is { } body)
            {
                request.Headers["Content-MD5"] = Convert.ToBase64String(MD5.HashData(body));
            }
            else if (request.ContentStream is { CanSeek: true } stream)
            {
                var position = stream.Position;
                request.Headers["Content-MD5"] = Convert.ToBase64String(MD5.HashData(stream));
                stream.Position = position;
            }
#pragma warning restore CA5351
        }
    }
}
