namespace Strata.Client.Mirror;

/// <summary>The outcome of one synchronisation.</summary>
/// <param name="Revision">The revision the mirror now serves.</param>
/// <param name="PreviousRevision">The revision it served before (0: none).</param>
/// <param name="Progress">Final counters.</param>
public sealed record MirrorResult(long Revision, long PreviousRevision, MirrorProgress Progress)
{
    /// <summary>True when the upstream had nothing newer and nothing was written.</summary>
    public bool UpToDate { get; init; }
}
