namespace Strata.Publish.Gc.Mirror;

/// <summary>A <c>strata mirror</c> run (or another collection) held the mirror directory for longer than the lock timeout.</summary>
public sealed class MirrorBusyException(string directory, Exception inner)
    : IOException($"A strata mirror run or another collection is using {directory}; try again when it has finished.", inner);
