namespace Strata.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A private world for one test's container tools (skopeo, podman), so tests neither see nor
/// change each other's state or the machine's:
/// <list type="bullet">
/// <item>The blob-info cache. Run as root, containers/image always uses
/// <c>/var/lib/containers/cache/blob-info-cache-v1.boltdb</c> (HOME and XDG_* are ignored for
/// euid 0, and skopeo has no flag for it). It remembers which registry and repository held which
/// blob and makes clients mount or skip uploads they would otherwise do. Each tool therefore runs in
/// its own mount namespace (<c>unshare --mount</c>) with this sandbox's folder bind-mounted over that
/// path; the mount disappears with the process.</item>
/// <item>Configuration: a permissive signature policy, an empty registries.conf and
/// containers.conf, no credentials, HOME/XDG folders and TMPDIR, all inside the sandbox.</item>
/// </list>
/// </summary>
public sealed class ToolSandbox : IDisposable
{
    public const string SystemCacheDirectory = "/var/lib/containers/cache";

    private const string BindCacheScript =
        "mkdir -p " + SystemCacheDirectory + " && mount --bind \"$0\" " + SystemCacheDirectory + " && exec \"$@\"";

    private readonly TempDirectory _root = new("tools");

    public ToolSandbox()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Assert.Fail("The end-to-end tests drive skopeo and podman as root (private mount namespaces, rootful vfs storage); run them as root.");
        }

        CacheDirectory = _root.CreateDirectory("blob-info-cache");
        _root.CreateDirectory("home");
        _root.CreateDirectory("run");
        _root.CreateDirectory("tmp");
        PolicyFile = _root.Combine("policy.json");
        File.WriteAllText(PolicyFile, """{"default":[{"type":"insecureAcceptAnything"}]}""");
        File.WriteAllText(_root.Combine("registries.conf"), string.Empty);
        File.WriteAllText(_root.Combine("containers.conf"), string.Empty);
        // podman insists that the file REGISTRY_AUTH_FILE names exists.
        File.WriteAllText(_root.Combine("auth.json"), """{"auths":{}}""");
    }

    /// <summary>The folder the tools see as <see cref="SystemCacheDirectory"/>.</summary>
    public string CacheDirectory { get; }

    public string PolicyFile { get; }

    /// <summary>A path for the test's own files (not created; umoci and skopeo create layouts themselves).</summary>
    public string PathFor(string name) => _root.Combine(name);

    /// <summary>A folder for the test's own files (layouts, podman storage…), deleted with the sandbox.</summary>
    public string CreateDirectory(string name) => _root.CreateDirectory(name);

    /// <summary><paramref name="tool"/> with <paramref name="arguments"/>, wrapped to run inside the sandbox.</summary>
    public ProcessSpec Command(string tool, IEnumerable<string> arguments) =>
        new("unshare", ["--mount", "--propagation", "private", "sh", "-c", BindCacheScript, CacheDirectory, tool, .. arguments])
        {
            Environment = new Dictionary<string, string?>
            {
                ["HOME"] = _root.Combine("home"),
                ["XDG_RUNTIME_DIR"] = _root.Combine("run"),
                ["XDG_CONFIG_HOME"] = _root.Combine("home", ".config"),
                ["XDG_DATA_HOME"] = _root.Combine("home", ".local", "share"),
                ["TMPDIR"] = _root.Combine("tmp"),
                ["CONTAINERS_REGISTRIES_CONF"] = _root.Combine("registries.conf"),
                ["CONTAINERS_CONF"] = _root.Combine("containers.conf"),
                ["REGISTRY_AUTH_FILE"] = _root.Combine("auth.json"),
            },
            WorkingDirectory = _root.Path,
        };

    public void Dispose() => _root.Dispose();
}
