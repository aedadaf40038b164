namespace Strata.Publish.Publishing;

/// <summary>A publication that cannot be done as asked; the message says why. Nothing was published.</summary>
public sealed class PublishException : Exception
{
    public PublishException(string message)
        : base(message)
    {
    }

    public PublishException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
