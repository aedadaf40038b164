using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;
using Strata.Metadata.Contracts;
using Strata.Metadata.Postgres;
using Strata.Metadata.Sqlite;
using Strata.Oci.Digests;

// Metadata listing latency at scale (issue 6): a tag page of one repository with 100,000 tags and a
// catalog page over 10,000 repositories, on SQLite and on PostgreSQL, through the store API the
// registry calls (connection from the pool, query, reading the rows). Sequential requests, so the
// figures are latency, not throughput. Usage: see README.md beside this file.
var options = BenchOptions.Parse(args);
Console.WriteLine($"# Metadata listing benchmark, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {MachineInfo.LoadAverage()}; .NET {Environment.Version}");
Console.WriteLine($"data: {options.Tags:N0} tags in one repository, {options.Repositories:N0} repositories; {options.Requests:N0} requests per figure after {options.Warmup} warm-up");
Console.WriteLine();

var results = new List<Result>();
foreach (var backend in options.Backends)
{
    await using var target = await BenchTarget.CreateAsync(backend, options);
    Console.Error.WriteLine($"[{backend}] loading…");
    var load = Stopwatch.StartNew();
    await target.LoadAsync();
    Console.Error.WriteLine($"[{backend}] loaded in {load.Elapsed.TotalSeconds:F1} s");

    foreach (var pageSize in options.PageSizes)
    {
        results.Add(await MeasureAsync(backend, "tag list page", pageSize, target.TagNames, (last, n) => target.Store.ListTagsAsync(BenchTarget.BigRepository, last, n, CancellationToken.None), options));
        results.Add(await MeasureAsync(backend, "catalog page", pageSize, target.RepositoryNames, (last, n) => target.Store.ListRepositoriesAsync(last, n, CancellationToken.None), options));
    }
}

Console.WriteLine("| backend | request | page size | p50 ms | p90 ms | p99 ms | max ms |");
Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
foreach (var r in results)
{
    Console.WriteLine(FormattableString.Invariant($"| {r.Backend} | {r.Request} | {r.PageSize:N0} | {r.P50:F2} | {r.P90:F2} | {r.P99:F2} | {r.Max:F2} |"));
}

Console.WriteLine();
Console.WriteLine($"after: {MachineInfo.LoadAverage()}");
return 0;

static async Task<Result> MeasureAsync(
    string backend,
    string request,
    int pageSize,
    IReadOnlyList<string> sortedNames,
    Func<string?, int, Task<IReadOnlyList<string>>> list,
    BenchOptions options)
{
    // Each request starts after a random existing name (a deep page, full length when there are
    // enough names), except one in 20 that asks for the first page, as a client starting a listing does.
    var random = new Random(42);
    int NextStart() => random.Next(20) == 0 ? -1 : random.Next(Math.Max(1, sortedNames.Count - pageSize));

    for (var i = 0; i < options.Warmup; i++)
    {
        var start = NextStart();
        await list(start < 0 ? null : sortedNames[start], pageSize);
    }

    var samples = new double[options.Requests];
    for (var i = 0; i < samples.Length; i++)
    {
        var start = NextStart();
        var last = start < 0 ? null : sortedNames[start];
        var started = Stopwatch.GetTimestamp();
        var page = await list(last, pageSize);
        samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var expected = Math.Min(pageSize, sortedNames.Count - start - 1);
        if (page.Count != expected || (page.Count > 0 && page[0] != sortedNames[start + 1]))
        {
            throw new InvalidOperationException($"{backend} {request}: the page after '{last}' had {page.Count} names from '{page.FirstOrDefault()}', expected {expected} from '{sortedNames[start + 1]}'.");
        }
    }

    Array.Sort(samples);
    var result = new Result(backend, request, pageSize, Percentile(samples, 0.50), Percentile(samples, 0.90), Percentile(samples, 0.99), samples[^1]);
    Console.Error.WriteLine($"[{backend}] {request} n={pageSize}: p50 {result.P50:F2} ms, p99 {result.P99:F2} ms");
    return result;
}

static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

internal sealed record Result(string Backend, string Request, int PageSize, double P50, double P90, double P99, double Max);

internal sealed record BenchOptions(string[] Backends, int Tags, int Repositories, int Requests, int Warmup, int[] PageSizes, bool Keep)
{
    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions(["sqlite", "postgres"], 100_000, 10_000, 1_000, 100, [100, 10_001], Keep: false);
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--backend" => options with { Backends = Value() is "both" ? ["sqlite", "postgres"] : args[i].Split(',') },
                "--tags" => options with { Tags = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--repositories" => options with { Repositories = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--requests" => options with { Requests = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--warmup" => options with { Warmup = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--page-sizes" => options with { PageSizes = Value().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() },
                "--keep" => options with { Keep = true },
                _ => throw new ArgumentException($"unknown option {args[i]}; see bench/metadata/README.md"),
            };
        }

        return options;
    }
}

/// <summary>One backend with its own fresh database, loaded with the benchmark's data.</summary>
internal sealed class BenchTarget : IAsyncDisposable
{
    public const string BigRepository = "bench/big";

    private readonly BenchOptions _options;
    private readonly Func<ValueTask> _cleanup;

    private BenchTarget(IMetadataStore store, BenchOptions options, Func<ValueTask> cleanup)
    {
        Store = store;
        _options = options;
        _cleanup = cleanup;
        TagNames = Enumerable.Range(0, options.Tags).Select(i => $"v{i:D7}").Order(StringComparer.Ordinal).ToArray();

        // Names in the shape of real registries: organizations with many repositories each.
        RepositoryNames = Enumerable.Range(0, options.Repositories).Select(i => $"org{i % 97:D2}/repo-{i:D5}")
            .Append(BigRepository).Order(StringComparer.Ordinal).ToArray();
    }

    public IMetadataStore Store { get; }

    public IReadOnlyList<string> TagNames { get; }

    public IReadOnlyList<string> RepositoryNames { get; }

    public static async Task<BenchTarget> CreateAsync(string backend, BenchOptions options)
    {
        if (backend == "sqlite")
        {
            var directory = Directory.CreateTempSubdirectory("strata-metadata-bench-").FullName;
            var store = new SqliteMetadataStore(Path.Combine(directory, "strata.db"), TimeProvider.System);
            await store.InitializeAsync(CancellationToken.None);
            return new BenchTarget(store, options, async () =>
            {
                await store.DisposeAsync();
                if (!options.Keep)
                {
                    Directory.Delete(directory, recursive: true);
                }
                else
                {
                    Console.Error.WriteLine($"[sqlite] kept {directory}");
                }
            });
        }

        if (backend == "postgres")
        {
            var server = Environment.GetEnvironmentVariable("PG_CONNECTION")
                ?? throw new InvalidOperationException("PG_CONNECTION is not set (bench/metadata/run.sh sets it from scripts/services/start-postgres.sh).");
            var database = $"strata_bench_{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}";
            await using (var admin = NpgsqlDataSource.Create(server))
            await using (var create = admin.CreateCommand($"CREATE DATABASE \"{database}\""))
            {
                await create.ExecuteNonQueryAsync();
            }

            var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
            var store = new PostgresMetadataStore(connectionString, TimeProvider.System);
            await store.InitializeAsync(CancellationToken.None);
            return new BenchTarget(store, options, async () =>
            {
                await store.DisposeAsync();
                if (!options.Keep)
                {
                    await using var admin = NpgsqlDataSource.Create(server);
                    await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
                    await drop.ExecuteNonQueryAsync();
                }
                else
                {
                    Console.Error.WriteLine($"[postgres] kept database {database}");
                }
            }) { AfterLoad = () => AnalyzeAsync(connectionString) };
        }

        throw new ArgumentException($"unknown backend {backend} (sqlite, postgres, both)");
    }

    /// <summary>Run after loading (PostgreSQL: ANALYZE, as autovacuum would do soon after a bulk load).</summary>
    private Func<Task> AfterLoad { get; init; } = () => Task.CompletedTask;

    public async Task LoadAsync()
    {
        // The big repository: one manifest, every tag pointing at it (one transaction, as a bulk import).
        var content = Encoding.UTF8.GetBytes("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{},"layers":[]}""");
        var manifest = new ManifestRecord(
            BigRepository, Digest.Compute(DigestAlgorithm.Sha256, content), "application/vnd.oci.image.manifest.v1+json",
            content.Length, null, null, null, content, DateTimeOffset.UtcNow);
        var stored = await Store.PutManifestAsync(new ManifestWrite(manifest, [], [], TagNames), CancellationToken.None);
        if (!stored.Succeeded)
        {
            throw new InvalidOperationException("loading the tags failed");
        }

        // Repositories: each created by its first blob link, as a push creates it; 8 at a time.
        var blob = new BlobRecord(Digest.Compute(DigestAlgorithm.Sha256, "layer"u8.ToArray()), 1234, DateTimeOffset.UtcNow);
        await Parallel.ForEachAsync(
            RepositoryNames.Where(name => name != BigRepository),
            new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (name, token) => await Store.LinkBlobAsync(name, blob, token));
        await AfterLoad();
    }

    public ValueTask DisposeAsync() => _cleanup();

    private static async Task AnalyzeAsync(string connectionString)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var analyze = dataSource.CreateCommand("VACUUM ANALYZE");
        await analyze.ExecuteNonQueryAsync();
    }
}

internal static class MachineInfo
{
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? "load average " + string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "load average n/a";
}
