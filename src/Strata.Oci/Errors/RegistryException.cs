namespace Strata.Oci.Errors;

/// <summary>
/// A failure with a meaning in the OCI protocol (unknown blob, invalid manifest, …). Thrown by the
/// domain, mapped to the spec's error envelope at the HTTP edge. <see cref="Detail"/> is shown to
/// the client, so it never carries secrets.
/// </summary>
public sealed class RegistryException : Exception
{
    public RegistryException(OciErrorCode code, string? message = null, object? detail = null)
        : base(message ?? code.Message)
    {
        Code = code;
        Detail = detail;
    }

    public OciErrorCode Code { get; }

    public object? Detail { get; }
}
