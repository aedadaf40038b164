using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

/// <summary>
/// The push/pull load, run in a process of its own (<c>Strata.GcBench load URL CLIENTS PUSH-BYTES FILE</c>)
/// so that its hashing, random bytes and HTTP client do not share the measured server's thread pool
/// and CPU accounting. It runs without pause until its standard input closes, then writes one line per
/// operation (kind, completion time in Unix ms, latency ms) to FILE; the benchmark cuts the phases
/// (warm-up, before, during, after) out of that one continuous stream by time, so no phase starts cold.
/// </summary>
internal static class LoadGenerator
{
    public static async Task<int> RunAsync(string[] args)
    {
        var server = new Uri(args[1]);
        var clients = int.Parse(args[2], CultureInfo.InvariantCulture);
        var pushBytes = int.Parse(args[3], CultureInfo.InvariantCulture);
        var file = args[4];
        using var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromMinutes(5) };
        using var stop = new CancellationTokenSource();
        var records = new List<OperationRecord>[clients];
        var tasks = Enumerable.Range(0, clients).Select(client => Task.Run(() => LoopAsync(http, client, pushBytes, records[client] = [], stop.Token))).ToList();

        // The benchmark closes our standard input when the last phase is over.
        await Console.In.ReadToEndAsync();
        await stop.CancelAsync();
        await Task.WhenAll(tasks);
        await File.WriteAllLinesAsync(file, records.SelectMany(r => r).Select(r => r.ToString()));
        return 0;
    }

    // Push one fresh blob (monolithic POST) and a manifest tagging it, then pull that manifest and blob back.
    private static async Task LoopAsync(HttpClient http, int client, int pushBytes, List<OperationRecord> records, CancellationToken stop)
    {
        var content = new byte[pushBytes];
        var sequence = 0;
        while (!stop.IsCancellationRequested)
        {
            RandomNumberGenerator.Fill(content);
            var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
            var repository = $"load/client{client}";
            var push = Stopwatch.StartNew();
            using (var body = new ByteArrayContent(content))
            {
                body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                using var response = await http.PostAsync($"v2/{repository}/blobs/uploads/?digest={digest}", body);
                response.EnsureSuccessStatusCode();
            }

            var config = $$"""{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{digest}}","size":{{pushBytes}}}""";
            var manifest = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{config}},"layers":[{{config.Replace("config.v1+json", "layer.v1.tar")}}]}""");
            var tag = $"v{sequence++}";
            using (var body = new ByteArrayContent(manifest))
            {
                body.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.manifest.v1+json");
                using var response = await http.PutAsync($"v2/{repository}/manifests/{tag}", body);
                response.EnsureSuccessStatusCode();
            }

            records.Add(new OperationRecord('P', UnixMilliseconds(), push.Elapsed.TotalMilliseconds));
            var pull = Stopwatch.StartNew();
            using (var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/manifests/{tag}"))
            {
                request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
                using var response = await http.SendAsync(request);
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsByteArrayAsync();
            }

            using (var response = await http.GetAsync($"v2/{repository}/blobs/{digest}"))
            {
                response.EnsureSuccessStatusCode();
                if ((await response.Content.ReadAsByteArrayAsync()).Length != pushBytes)
                {
                    throw new InvalidOperationException("short blob");
                }
            }

            records.Add(new OperationRecord('G', UnixMilliseconds(), pull.Elapsed.TotalMilliseconds));
        }
    }

    public static double UnixMilliseconds() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
}

/// <summary>One completed operation: P (push: blob + manifest) or G (pull: manifest + blob), when it ended, how long it took.</summary>
internal sealed record OperationRecord(char Kind, double EndedAt, double Milliseconds)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Kind} {EndedAt:F3} {Milliseconds:F3}");

    public static OperationRecord Parse(string line)
    {
        var parts = line.Split(' ');
        return new OperationRecord(parts[0][0], double.Parse(parts[1], CultureInfo.InvariantCulture), double.Parse(parts[2], CultureInfo.InvariantCulture));
    }
}
