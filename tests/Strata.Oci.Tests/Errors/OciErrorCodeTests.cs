using Strata.Oci.Errors;

namespace Strata.Oci.Tests.Errors;

public sealed class OciErrorCodeTests
{
    public static TheoryData<OciErrorCode, string, int> SpecCodes => new()
    {
        { OciErrorCode.BlobUnknown, "BLOB_UNKNOWN", 404 },
        { OciErrorCode.BlobUploadInvalid, "BLOB_UPLOAD_INVALID", 400 },
        { OciErrorCode.BlobUploadUnknown, "BLOB_UPLOAD_UNKNOWN", 404 },
        { OciErrorCode.DigestInvalid, "DIGEST_INVALID", 400 },
        { OciErrorCode.ManifestBlobUnknown, "MANIFEST_BLOB_UNKNOWN", 400 },
        { OciErrorCode.ManifestInvalid, "MANIFEST_INVALID", 400 },
        { OciErrorCode.ManifestUnknown, "MANIFEST_UNKNOWN", 404 },
        { OciErrorCode.NameInvalid, "NAME_INVALID", 400 },
        { OciErrorCode.NameUnknown, "NAME_UNKNOWN", 404 },
        { OciErrorCode.SizeInvalid, "SIZE_INVALID", 400 },
        { OciErrorCode.Unauthorized, "UNAUTHORIZED", 401 },
        { OciErrorCode.Denied, "DENIED", 403 },
        { OciErrorCode.Unsupported, "UNSUPPORTED", 405 },
        { OciErrorCode.TooManyRequests, "TOOMANYREQUESTS", 429 },
    };

    [Theory]
    [MemberData(nameof(SpecCodes))]
    public void Spec_codes_have_their_wire_value_and_status(OciErrorCode code, string wire, int status)
    {
        Assert.Equal(wire, code.Code);
        Assert.Equal(wire, code.ToString());
        Assert.Equal(status, code.HttpStatus);
        Assert.False(string.IsNullOrWhiteSpace(code.Message));
    }

    [Fact]
    public void Registry_exception_defaults_its_message_to_the_code_message()
    {
        var e = new RegistryException(OciErrorCode.BlobUnknown);

        Assert.Equal(OciErrorCode.BlobUnknown.Message, e.Message);
        Assert.Null(e.Detail);
    }

    [Fact]
    public void Registry_exception_keeps_message_and_detail()
    {
        var detail = new { digest = "sha256:x" };
        var e = new RegistryException(OciErrorCode.ManifestInvalid, "bad", detail);

        Assert.Equal("bad", e.Message);
        Assert.Same(detail, e.Detail);
        Assert.Same(OciErrorCode.ManifestInvalid, e.Code);
    }
}
