using System.Text.RegularExpressions;

namespace Strata.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A private containerd 1.6 (its own root, state, socket and temp folder, the CRI plugin off),
/// driven with <c>ctr</c>. The daemon runs in its own mount namespace, so the mounts it makes while
/// unpacking layers vanish with it; disposing kills it and deletes everything it wrote.
/// </summary>
/// <remarks>
/// Layers are unpacked with the <c>native</c> snapshotter (plain copies, no kernel overlay support
/// needed), as podman uses vfs here.
/// </remarks>
public sealed partial class ContainerdDaemon : IAsyncDisposable
{
    public const string Snapshotter = "native";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _folder;
    private readonly RunningProcess _process;

    private ContainerdDaemon(TempDirectory folder, RunningProcess process, string address)
    {
        _folder = folder;
        _process = process;
        Address = address;
    }

    /// <summary>The daemon's gRPC socket (<c>ctr --address</c>).</summary>
    public string Address { get; }

    /// <summary>Starts containerd and waits (at most 30 s) until <c>ctr version</c> answers on its socket.</summary>
    public static async Task<ContainerdDaemon> StartAsync()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Assert.Fail("containerd needs root; run the end-to-end tests as root.");
        }

        var folder = new TempDirectory("containerd");
        RunningProcess? process = null;
        try
        {
            var address = folder.Combine("containerd.sock");
            // sun_path holds 108 bytes; a long TMPDIR would make containerd fail with a less obvious error.
            Assert.True(address.Length < 100, $"containerd's socket path is too long for a Unix socket: {address}");
            var config = folder.Combine("config.toml");
            File.WriteAllText(config, Config(folder, address));
            var spec = new ProcessSpec("unshare", ["--mount", "--propagation", "private", "containerd", "--config", config, "--log-level", "warn"])
            {
                Environment = new Dictionary<string, string?> { ["TMPDIR"] = folder.CreateDirectory("tmp") },
                WorkingDirectory = folder.Path,
            };
            process = RunningProcess.Start(spec);
            var daemon = new ContainerdDaemon(folder, process, address);
            await daemon.WaitUntilServingAsync();
            return daemon;
        }
        catch
        {
            if (process is not null)
            {
                await process.DisposeAsync();
            }

            folder.Dispose();
            throw;
        }
    }

    /// <summary><c>ctr ARGS</c> against this daemon; fails the test when ctr fails.</summary>
    public async Task<ProcessResult> CtrAsync(params string[] arguments) =>
        (await ProcessRunner.RunAsync(CtrSpec(arguments))).EnsureSuccess();

    /// <summary><c>ctr image pull --plain-http</c> (unpacks for the host platform, or the <c>--platform</c> among <paramref name="options"/>).</summary>
    public Task<ProcessResult> PullAsync(string reference, params string[] options) =>
        CtrAsync(["image", "pull", "--plain-http", .. options, reference]);

    /// <summary><c>ctr image tag</c>: a second name for an image in the daemon.</summary>
    public Task<ProcessResult> TagAsync(string source, string target) => CtrAsync("image", "tag", source, target);

    /// <summary><c>ctr image push --plain-http</c> of an image the daemon holds to the registry its name says.</summary>
    public Task<ProcessResult> PushAsync(string reference) => CtrAsync("image", "push", "--plain-http", reference);

    /// <summary><c>ctr image ls</c>: each image name with the digest of the manifest (or index) it names.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ListImagesAsync()
    {
        // REF TYPE DIGEST SIZE PLATFORMS LABELS, with spaces inside SIZE ("881.0 B"): only the first three columns are reliable.
        var output = (await CtrAsync("image", "ls")).StandardOutput;
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(line => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(columns => columns[0], columns => columns[2]);
    }

    /// <summary><c>ctr content ls</c>: the digest of every blob in the daemon's content store.</summary>
    public async Task<IReadOnlySet<string>> ContentDigestsAsync()
    {
        var output = (await CtrAsync("content", "ls")).StandardOutput;
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(line => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0])
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// <c>ctr image mount</c> of <paramref name="reference"/> (for <paramref name="platform"/>, default
    /// the host's), read-only, in a mount namespace of its own: see <see cref="ContainerdImageMount"/>.
    /// </summary>
    public Task<ContainerdImageMount> MountAsync(string reference, string? platform = null)
    {
        var target = _folder.CreateDirectory("mounts", Guid.NewGuid().ToString("N")[..12]);
        string[] platformOption = platform is null ? [] : ["--platform", platform];
        return ContainerdImageMount.StartAsync(CtrSpec(["image", "mount", .. platformOption, reference, target]), target);
    }

    /// <summary>What the daemon wrote, for failure messages.</summary>
    public string Output() => _process.OutputSoFar();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _process.DisposeAsync();
        }
        finally
        {
            _folder.Dispose();
        }
    }

    private ProcessSpec CtrSpec(IEnumerable<string> arguments) =>
        new("ctr", ["--address", Address, .. arguments])
        {
            Environment = new Dictionary<string, string?> { ["CONTAINERD_SNAPSHOTTER"] = Snapshotter },
        };

    private async Task WaitUntilServingAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"containerd exited before serving:\n$ {_process.Spec.CommandLine}\n{Output()}");
            }

            if (File.Exists(Address))
            {
                var version = await ProcessRunner.RunAsync(CtrSpec(["version"]), TimeSpan.FromSeconds(10));
                if (version.Succeeded && ServerVersion().IsMatch(version.StandardOutput))
                {
                    return;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"containerd did not serve on {Address} within {StartTimeout.TotalSeconds:0} s:\n$ {_process.Spec.CommandLine}\n{Output()}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Everything under the test's folder; only the plugins the tests use stay on (the CRI plugin
    /// would want CNI and /var/lib; aufs, btrfs, zfs and devmapper only log that they cannot load).
    /// </summary>
    private static string Config(TempDirectory folder, string address) => $"""
        version = 2
        root = "{folder.CreateDirectory("root")}"
        state = "{folder.CreateDirectory("state")}"
        disabled_plugins = [
          "io.containerd.grpc.v1.cri",
          "io.containerd.snapshotter.v1.aufs",
          "io.containerd.snapshotter.v1.btrfs",
          "io.containerd.snapshotter.v1.zfs",
          "io.containerd.snapshotter.v1.devmapper",
        ]

        [grpc]
          address = "{address}"

        [ttrpc]
          address = "{address}.ttrpc"

        [debug]
          address = ""

        [metrics]
          address = ""

        [plugins."io.containerd.internal.v1.opt"]
          path = "{folder.CreateDirectory("opt")}"
        """;

    [GeneratedRegex(@"^Server:\s*$", RegexOptions.Multiline)]
    private static partial Regex ServerVersion();
}
