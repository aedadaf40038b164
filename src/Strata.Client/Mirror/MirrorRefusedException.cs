namespace Strata.Client.Mirror;

/// <summary>The upstream serves something the mirror must not take: an older revision, or another repository.</summary>
public sealed class MirrorRefusedException : Exception
{
    public MirrorRefusedException(string message)
        : base(message)
    {
    }

    public MirrorRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
