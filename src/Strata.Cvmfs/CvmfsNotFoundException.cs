namespace Strata.Cvmfs;

/// <summary>An object or repository file that the source does not have.</summary>
public sealed class CvmfsNotFoundException : Exception
{
    public CvmfsNotFoundException(string path)
        : base($"Not found in the repository: {path}")
    {
        Path = path;
    }

    public CvmfsNotFoundException(string path, Exception innerException)
        : base($"Not found in the repository: {path}", innerException)
    {
        Path = path;
    }

    /// <summary>The repository-relative path that was asked for.</summary>
    public string Path { get; }
}
