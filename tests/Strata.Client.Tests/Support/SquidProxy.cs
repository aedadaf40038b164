namespace Strata.Client.Tests.Support;

/// <summary>
/// The project's real Squid (scripts/services/start-squid.sh): started on first use, shared by the
/// tests (each test's origin server has its own port, so URLs never collide), stopped by
/// scripts/test.sh at the end of the run.
/// </summary>
internal sealed class SquidProxy
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static SquidProxy? _started;

    private SquidProxy(string proxy, string accessLog)
    {
        Proxy = proxy;
        AccessLog = accessLog;
    }

    /// <summary>The proxy in CernVM-FS syntax (<c>CVMFS_HTTP_PROXY</c>), e.g. <c>http://127.0.0.1:53128</c>.</summary>
    public string Proxy { get; }

    public string AccessLog { get; }

    public static async Task<SquidProxy> StartAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_started is not null)
            {
                return _started;
            }

            var script = Path.Combine(RepositoryRoot(), "scripts", "services", "start-squid.sh");
            var (exit, output, error) = await ProcessRunner.RunAsync("bash", [script], TimeSpan.FromMinutes(5));
            Assert.True(exit == 0, $"start-squid.sh failed ({exit}):\n{error}");
            var values = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
            _started = new SquidProxy(values["SQUID_PROXY"], values["SQUID_ACCESS_LOG"]);
            return _started;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Squid's result codes (TCP_MISS, TCP_HIT, TCP_MEM_HIT, …) for requests of <paramref name="url"/>, in order.</summary>
    public IReadOnlyList<string> ResultCodes(string url) =>
        [.. File.ReadLines(AccessLog)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 6 && f[6] == url)
            .Select(f => f[3].Split('/')[0])];

    /// <summary>Waits until Squid has logged <paramref name="count"/> requests of <paramref name="url"/> (it logs after replying).</summary>
    public async Task<IReadOnlyList<string>> WaitForResultCodesAsync(string url, int count)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var codes = ResultCodes(url);
            if (codes.Count >= count)
            {
                return codes;
            }

            await Task.Delay(100);
        }

        return ResultCodes(url);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "scripts", "services", "start-squid.sh")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("scripts/services/start-squid.sh not found above " + AppContext.BaseDirectory);
    }
}
