namespace Strata.Client.Network;

/// <summary>No mirror could deliver a file through any proxy (network down, every mirror failing, or every copy corrupt).</summary>
public sealed class RepositoryUnavailableException : IOException
{
    public RepositoryUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
