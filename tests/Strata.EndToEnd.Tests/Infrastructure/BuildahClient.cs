namespace Strata.EndToEnd.Tests.Infrastructure;

/// <summary>
/// buildah 1.28 as root with its own storage (<c>--root</c>, <c>--runroot</c>, the vfs driver),
/// inside a <see cref="ToolSandbox"/>. Only commands that need no OCI runtime: <c>buildah run</c>
/// would need crun, which cannot start containers in these sandboxes.
/// </summary>
public sealed class BuildahClient(ToolSandbox sandbox)
{
    private readonly string _root = sandbox.CreateDirectory("buildah-root");
    private readonly string _runRoot = sandbox.CreateDirectory("buildah-runroot");

    /// <summary><c>buildah from</c>: pulls <paramref name="image"/> and returns the new working container's name.</summary>
    public async Task<string> FromAsync(string image, params string[] options)
    {
        var result = await RunAsync(
        [
            "from", "--tls-verify=false", "--signature-policy", sandbox.PolicyFile, "--retry", "0", "--quiet",
            .. options, image,
        ]);
        return LastLine(result);
    }

    /// <summary>
    /// <c>buildah mount</c>: the folder holding the container's root file system. With vfs that is
    /// a plain folder, so it is readable outside buildah's mount namespace too.
    /// </summary>
    public async Task<string> MountAsync(string container) => LastLine(await RunAsync(["mount", container]));

    /// <summary><c>buildah copy CONTAINER SOURCE DESTINATION</c>: a host file into the container.</summary>
    public Task<ProcessResult> CopyAsync(string container, string source, string destination) =>
        RunAsync(["copy", container, source, destination]);

    /// <summary><c>buildah config OPTIONS CONTAINER</c>.</summary>
    public Task<ProcessResult> ConfigAsync(string container, params string[] options) =>
        RunAsync(["config", .. options, container]);

    /// <summary><c>buildah inspect --format FORMAT NAME</c> (a Go template over the container or image).</summary>
    public async Task<string> InspectAsync(string name, string format) =>
        (await RunAsync(["inspect", "--format", format, name])).StandardOutput.Trim();

    /// <summary><c>buildah commit</c> of the container to a local image (OCI format); returns the image ID.</summary>
    public async Task<string> CommitAsync(string container, string image) =>
        LastLine(await RunAsync(["commit", "--signature-policy", sandbox.PolicyFile, "--quiet", container, image]));

    /// <summary><c>buildah push</c> of a local image to <paramref name="destination"/> (<c>docker://…</c>); returns the pushed manifest's digest.</summary>
    public async Task<string> PushAsync(string image, string destination)
    {
        var digestFile = sandbox.PathFor($"buildah-push-{Guid.NewGuid():N}.digest");
        await RunAsync(
        [
            "push", "--tls-verify=false", "--signature-policy", sandbox.PolicyFile, "--retry", "0",
            "--digestfile", digestFile, image, destination,
        ]);
        return File.ReadAllText(digestFile).Trim();
    }

    /// <summary>Runs <c>buildah ARGS</c> on this instance's storage; fails the test when buildah fails.</summary>
    public async Task<ProcessResult> RunAsync(params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(sandbox.Command("buildah",
        [
            "--root", _root, "--runroot", _runRoot, "--storage-driver", "vfs", .. arguments,
        ]));
        return result.EnsureSuccess();
    }

    private static string LastLine(ProcessResult result) =>
        result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();
}
