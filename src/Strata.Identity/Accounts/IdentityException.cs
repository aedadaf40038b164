namespace Strata.Identity.Accounts;

/// <summary>A refused identity operation; the message is safe to show the caller (it never holds a secret).</summary>
public sealed class IdentityException(IdentityErrorKind kind, string message) : Exception(message)
{
    public IdentityErrorKind Kind { get; } = kind;

    public static IdentityException Invalid(string message) => new(IdentityErrorKind.Invalid, message);

    public static IdentityException NotFound(string message) => new(IdentityErrorKind.NotFound, message);

    public static IdentityException Conflict(string message) => new(IdentityErrorKind.Conflict, message);

    public static IdentityException Forbidden(string message) => new(IdentityErrorKind.Forbidden, message);
}
