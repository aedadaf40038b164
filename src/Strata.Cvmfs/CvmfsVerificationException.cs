namespace Strata.Cvmfs;

/// <summary>
/// Content refused because it failed verification: a hash, a signature, a whitelist rule or a size
/// limit. Nothing from the refused content has been returned to the caller.
/// </summary>
public sealed class CvmfsVerificationException : Exception
{
    public CvmfsVerificationException(VerificationFailure failure, string message)
        : base(message)
    {
        Failure = failure;
    }

    public CvmfsVerificationException(VerificationFailure failure, string message, Exception innerException)
        : base(message, innerException)
    {
        Failure = failure;
    }

    /// <summary>What went wrong, for callers that react differently (e.g. retry another mirror).</summary>
    public VerificationFailure Failure { get; }
}
