namespace Strata.Registry.Gc;

/// <summary>Usage of one repository or project.</summary>
public sealed record UsageFigures(string Name, long Blobs, long Referenced, long Shared);
