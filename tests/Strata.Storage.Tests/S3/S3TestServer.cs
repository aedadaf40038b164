using System.Diagnostics;
using Strata.Storage.S3;

namespace Strata.Storage.Tests.S3;

/// <summary>
/// The real S3-compatible server the S3 tests run against, shared by every test in the process.
/// From <c>S3_ENDPOINT</c>, <c>S3_ACCESS_KEY</c>, <c>S3_SECRET_KEY</c>, <c>S3_BUCKET</c> and
/// <c>S3_REGION</c> when <c>S3_ENDPOINT</c> is set; otherwise the project's own server, started
/// with <c>scripts/services/start-s3.sh</c> (idempotent: a running one is reused, and left running
/// for the next run; <c>scripts/services/stop-s3.sh</c> stops it). There is no skipping: when no
/// server can be had, every S3 test fails with the reason.
/// <para>
/// Each run stores under its own key prefix (<see cref="RunPrefix"/>) and each test under its own
/// folder in it, so runs and tests never see each other's objects; tests delete their folder.
/// </para>
/// </summary>
public sealed class S3TestServer
{
    private static readonly Lazy<S3TestServer> Shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    private S3TestServer(IReadOnlyDictionary<string, string> settings)
    {
        string Get(string name) => settings.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new InvalidOperationException($"S3 tests: {name} is not set (S3_ENDPOINT is, so S3_ACCESS_KEY, S3_SECRET_KEY and S3_BUCKET must be too)");

        Endpoint = Get("S3_ENDPOINT");
        AccessKey = Get("S3_ACCESS_KEY");
        SecretKey = Get("S3_SECRET_KEY");
        Bucket = Get("S3_BUCKET");
        Region = settings.TryGetValue("S3_REGION", out var region) && region.Length > 0 ? region : "us-east-1";
    }

    /// <summary>The server; throws (in every test that asks) when it cannot be reached or started.</summary>
    public static S3TestServer Instance => Shared.Value;

    public string Endpoint { get; }
    public string AccessKey { get; }
    public string SecretKey { get; }
    public string Bucket { get; }
    public string Region { get; }

    /// <summary>Key prefix of this test run.</summary>
    public string RunPrefix { get; } = $"strata-tests/{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>
    /// Driver settings for a store under <paramref name="prefix"/> (relative to the run's prefix).
    /// The part size is S3's minimum, so multipart paths run on small test data.
    /// </summary>
    public S3DriverOptions Options(string prefix) => new()
    {
        ServiceUrl = Endpoint,
        Region = Region,
        Bucket = Bucket,
        AccessKey = AccessKey,
        SecretKey = SecretKey,
        Prefix = $"{RunPrefix}/{prefix}",
        PartSize = S3DriverOptions.MinimumPartSize,
        MaxErrorRetry = 2,
        RequestTimeout = TimeSpan.FromMinutes(1),
    };

    /// <summary>
    /// Deletes a test's folder <c>&lt;parent&gt;/&lt;folder&gt;</c> (relative to the run's prefix): its
    /// objects, and any multipart upload a failing test left behind.
    /// </summary>
    public async Task CleanAsync(string parent, string folder)
    {
        using (var inside = new S3BlobDriver(Options($"{parent}/{folder}")))
        {
            await inside.AbortStaleUploadsAsync(TimeSpan.Zero, CancellationToken.None);
        }

        using var outside = new S3BlobDriver(Options(parent));
        await outside.DeleteAsync(folder, CancellationToken.None);
    }

    private static S3TestServer Start()
    {
        var settings = new Dictionary<string, string>();
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("S3_ENDPOINT")))
        {
            foreach (var name in new[] { "S3_ENDPOINT", "S3_ACCESS_KEY", "S3_SECRET_KEY", "S3_BUCKET", "S3_REGION" })
            {
                settings[name] = Environment.GetEnvironmentVariable(name) ?? "";
            }

            return new S3TestServer(settings);
        }

        var root = FindRepositoryRoot();
        var script = Path.Combine(root, "scripts", "services", "start-s3.sh");
        using var process = new Process
        {
            StartInfo = new ProcessStartInfo("bash", [script])
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            },
        };
        process.Start();
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        // A first start installs Debian packages (about 40-90 s); later ones take seconds.
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"S3 tests: {script} did not finish within 5 minutes");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"S3 tests: {script} exited with {process.ExitCode}, so no S3 server to test against:\n{Tail(stderr.Result)}");
        }

        foreach (var line in stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = line.IndexOf('=');
            if (equals > 0)
            {
                settings[line[..equals]] = line[(equals + 1)..];
            }
        }

        return new S3TestServer(settings);
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Strata.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"S3 tests: no Strata.slnx above {AppContext.BaseDirectory}, so scripts/services/start-s3.sh cannot be found; set S3_ENDPOINT instead");
    }

    private static string Tail(string text)
    {
        var lines = text.Split('\n');
        return string.Join('\n', lines.TakeLast(30));
    }
}
