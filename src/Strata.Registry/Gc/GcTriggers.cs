namespace Strata.Registry.Gc;

/// <summary>Who started a run (recorded in the history).</summary>
public static class GcTriggers
{
    public const string Schedule = "schedule";
    public const string Api = "api";
    public const string Cli = "cli";
}
