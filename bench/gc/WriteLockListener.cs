using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;

/// <summary>
/// Collects the SQLite store's write-lock instruments (meter <c>Strata.Metadata.Sqlite</c>: wait and
/// hold per store operation), to say precisely who holds SQLite's single writer and who waits for it.
/// </summary>
internal sealed class WriteLockListener : IDisposable
{
    private readonly MeterListener _listener = new();
    private ConcurrentDictionary<string, Stats> _stats = new();

    public WriteLockListener()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Strata.Metadata.Sqlite")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            var operation = "?";
            foreach (var tag in tags)
            {
                if (tag.Key == "operation")
                {
                    operation = tag.Value as string ?? "?";
                }
            }

            var stats = _stats.GetOrAdd(operation, _ => new Stats());
            lock (stats)
            {
                if (instrument.Name.EndsWith(".wait", StringComparison.Ordinal))
                {
                    stats.Waits.Add(value * 1000);
                }
                else
                {
                    stats.HoldMs += value * 1000;
                    stats.Count++;
                }
            }
        });
        _listener.Start();
    }

    public void Reset() => _stats = new ConcurrentDictionary<string, Stats>();

    public IReadOnlyDictionary<string, Stats> Snapshot() => _stats;

    public static void Print(string label, IReadOnlyDictionary<string, Stats> stats, TimeSpan elapsed)
    {
        Console.WriteLine($"| {label}: operation | count | wait mean / p99 ms | hold total / mean ms | held |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (operation, s) in stats.OrderByDescending(p => p.Value.HoldMs))
        {
            var waits = s.Waits.Order().ToList();
            var p99 = waits.Count == 0 ? 0 : waits[Math.Min(waits.Count - 1, (int)(0.99 * waits.Count))];
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {operation} | {s.Count:N0} | {(waits.Count == 0 ? 0 : waits.Average()):F2} / {p99:F1} | {s.HoldMs:F0} / {s.HoldMs / Math.Max(1, s.Count):F2} | {s.HoldMs / elapsed.TotalMilliseconds:P0} |"));
        }

        Console.WriteLine();
    }

    public void Dispose() => _listener.Dispose();

    internal sealed class Stats
    {
        public List<double> Waits { get; } = [];
        public double HoldMs { get; set; }
        public long Count { get; set; }
    }
}
