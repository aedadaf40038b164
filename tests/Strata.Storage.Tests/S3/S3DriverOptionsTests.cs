using Strata.Storage.S3;

namespace Strata.Storage.Tests.S3;

/// <summary>Option validation: every problem is reported at once, before any request.</summary>
public sealed class S3DriverOptionsTests
{
    private static readonly S3DriverOptions Valid = new() { Bucket = "strata", ServiceUrl = "http://127.0.0.1:9000" };

    [Fact]
    public void Defaults_with_a_bucket_are_valid()
    {
        Assert.Empty(Valid.Validate());
        Assert.True(Valid.ForcePathStyle);
        Assert.Equal(8 << 20, Valid.PartSize);
    }

    [Fact]
    public void Every_problem_is_reported_together()
    {
        var options = Valid with
        {
            Bucket = "",
            ServiceUrl = "ftp://x",
            Prefix = "a b",
            AccessKey = "key",
            PartSize = (5 << 20) - 1,
            CopyConcurrency = 0,
            PresignedUrlLifetime = TimeSpan.FromDays(8),
        };

        var errors = options.Validate();

        Assert.Equal(7, errors.Count);
        Assert.Contains(errors, e => e.Contains("Bucket", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("PartSize", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("SecretKey", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("strata")]
    [InlineData("strata/prod/")]
    [InlineData("/strata")]
    public void Prefix_may_have_slashes_around_it(string prefix)
    {
        Assert.Empty((Valid with { Prefix = prefix }).Validate());
    }

    [Fact]
    public void Driver_refuses_invalid_options_with_every_problem_in_the_message()
    {
        var e = Assert.Throws<ArgumentException>(() => new S3BlobDriver(Valid with { Bucket = "", PartSize = 1 }));

        Assert.Contains("Bucket", e.Message, StringComparison.Ordinal);
        Assert.Contains("PartSize", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Presigned_url_is_signed_for_the_presigning_endpoint_without_a_request()
    {
        using var driver = new S3BlobDriver(Valid with
        {
            AccessKey = "a",
            SecretKey = "b",
            Prefix = "p",
            PresignedServiceUrl = "https://registry.example.org:8443",
        });

        var url = driver.CreatePresignedReadUrl("blobs/sha256/ab/abcd", TimeSpan.FromMinutes(1));

        Assert.Equal("https", url.Scheme);
        Assert.Equal("registry.example.org", url.Host);
        Assert.Contains("/strata/p/blobs/sha256/ab/abcd", url.AbsolutePath, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Signature=", url.Query, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_shows_the_store_but_never_the_secret_key_or_session_token()
    {
        var options = Valid with { AccessKey = "AKIAEXAMPLE", SecretKey = "very-secret-value", SessionToken = "session-secret-value" };

        var text = options.ToString();

        Assert.Contains("Bucket = strata", text, StringComparison.Ordinal);
        Assert.Contains("AccessKey = AKIAEXAMPLE", text, StringComparison.Ordinal);
        Assert.DoesNotContain("very-secret-value", text, StringComparison.Ordinal);
        Assert.DoesNotContain("session-secret-value", text, StringComparison.Ordinal);
    }
}
