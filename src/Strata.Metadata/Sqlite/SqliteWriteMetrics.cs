using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Strata.Metadata.Sqlite;

/// <summary>
/// How long each kind of write waited for SQLite's single writer and how long it held it (meter
/// <c>Strata.Metadata.Sqlite</c>, tagged by the store operation). This is how write contention is
/// found: the garbage collection benchmark prints both per operation, and <c>/metrics</c> exports them.
/// </summary>
internal static class SqliteWriteMetrics
{
    public const string MeterName = "Strata.Metadata.Sqlite";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> Wait = Meter.CreateHistogram<double>(
        "strata.metadata.sqlite.write.wait", "s", "Time a write waited for the write lock, by operation");

    private static readonly Histogram<double> Hold = Meter.CreateHistogram<double>(
        "strata.metadata.sqlite.write.hold", "s", "Time a write held the write lock (its transaction), by operation");

    public static void Record(string operation, long waitStarted, long held, long released)
    {
        // Nothing to do (not even the tag) unless someone listens.
        if (!Wait.Enabled && !Hold.Enabled)
        {
            return;
        }

        var tag = new KeyValuePair<string, object?>("operation", operation);
        Wait.Record(Stopwatch.GetElapsedTime(waitStarted, held).TotalSeconds, tag);
        Hold.Record(Stopwatch.GetElapsedTime(held, released).TotalSeconds, tag);
    }
}
