namespace Strata.Cvmfs;

/// <summary>Input that does not follow the CernVM-FS format (a malformed manifest, hash, catalog row…).</summary>
public sealed class CvmfsFormatException : Exception
{
    public CvmfsFormatException(string message)
        : base(message)
    {
    }

    public CvmfsFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
