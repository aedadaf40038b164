namespace Strata.Registry.Gc;

/// <summary>What one run of <see cref="GarbageCollector"/> does.</summary>
/// <param name="DryRun">Report what would be deleted, change nothing.</param>
/// <param name="SweepStorage">Also list storage for orphaned bytes and upload folders.</param>
/// <param name="Trigger">Recorded in the history: <c>schedule</c>, <c>api</c>, <c>cli</c>, <c>test</c>.</param>
public sealed record GcRunRequest(bool DryRun, bool SweepStorage, string Trigger);
