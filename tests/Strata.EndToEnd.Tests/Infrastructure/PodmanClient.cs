namespace Strata.EndToEnd.Tests.Infrastructure;

/// <summary>
/// podman 4.3 as root with its own storage (<c>--root</c>, <c>--runroot</c>, the vfs driver, which
/// needs no kernel overlay support), inside a <see cref="ToolSandbox"/>.
/// </summary>
public sealed class PodmanClient(ToolSandbox sandbox)
{
    private readonly string _root = sandbox.CreateDirectory("podman-root");
    private readonly string _runRoot = sandbox.CreateDirectory("podman-runroot");

    public Task<ProcessResult> PullAsync(string reference) =>
        RunAsync("pull", "--tls-verify=false", "--signature-policy", sandbox.PolicyFile, reference);

    public Task<ProcessResult> PushAsync(string source, string destination) =>
        RunAsync("push", "--tls-verify=false", "--signature-policy", sandbox.PolicyFile, source, destination);

    /// <summary><c>podman image mount</c>: the folder holding the image's root file system.</summary>
    public async Task<string> MountAsync(string reference) =>
        (await RunAsync("image", "mount", reference)).StandardOutput.Trim();

    public Task<ProcessResult> UnmountAsync(string reference) => RunAsync("image", "unmount", reference);

    /// <summary>Runs <c>podman ARGS</c> on this instance's storage; fails the test when podman fails.</summary>
    public async Task<ProcessResult> RunAsync(params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(sandbox.Command("podman",
        [
            "--root", _root, "--runroot", _runRoot, "--storage-driver", "vfs", "--events-backend", "none",
            .. arguments,
        ]));
        return result.EnsureSuccess();
    }
}
