using System.Text.Json.Nodes;

namespace Strata.EndToEnd.Tests.Infrastructure;

/// <summary>skopeo 1.9, run inside a <see cref="ToolSandbox"/>, talking plain HTTP to loopback registries.</summary>
public sealed class SkopeoClient(ToolSandbox sandbox)
{
    /// <summary>
    /// <c>skopeo copy SOURCE DESTINATION</c>; TLS verification is turned off for whichever side is
    /// a <c>docker://</c> reference. Fails the test when skopeo fails.
    /// </summary>
    public async Task<ProcessResult> CopyAsync(string source, string destination, params string[] options)
    {
        var result = await TryCopyAsync(source, destination, options);
        return result.EnsureSuccess();
    }

    /// <summary>Like <see cref="CopyAsync"/>, but returns a failure instead of failing the test.</summary>
    public Task<ProcessResult> TryCopyAsync(string source, string destination, params string[] options) =>
        ProcessRunner.RunAsync(StartCopySpec(source, destination, options));

    /// <summary>Starts a copy without waiting for it (to kill the server under it).</summary>
    public RunningProcess StartCopy(string source, string destination, params string[] options) =>
        RunningProcess.Start(StartCopySpec(source, destination, options));

    /// <summary>
    /// <c>skopeo inspect</c>: the summary JSON (Digest, RepoTags, Layers, Architecture…); from an
    /// index, of the linux/<paramref name="architecture"/> image (default: this machine's).
    /// </summary>
    public async Task<JsonObject> InspectAsync(string reference, string? architecture = null)
    {
        string[] platform = architecture is null ? [] : ["--override-arch", architecture, "--override-os", "linux"];
        var result = (await RunAsync([.. platform, "inspect", .. TlsFlag(reference, "--tls-verify=false"), reference])).EnsureSuccess();
        return JsonNode.Parse(result.StandardOutput)!.AsObject();
    }

    /// <summary><c>skopeo inspect --raw</c>: the manifest bytes exactly as the registry served them.</summary>
    public async Task<string> InspectRawAsync(string reference)
    {
        var result = (await RunAsync(["inspect", "--raw", .. TlsFlag(reference, "--tls-verify=false"), reference])).EnsureSuccess();
        return result.StandardOutput;
    }

    /// <summary><c>skopeo list-tags</c> of a repository (<c>docker://HOST/NAME</c>).</summary>
    public async Task<IReadOnlyList<string>> ListTagsAsync(string repository)
    {
        var result = (await RunAsync(["list-tags", "--tls-verify=false", repository])).EnsureSuccess();
        var tags = JsonNode.Parse(result.StandardOutput)!["Tags"]!.AsArray();
        return [.. tags.Select(t => t!.GetValue<string>())];
    }

    /// <summary><c>skopeo delete</c>: deletes the manifest the reference resolves to (by digest, as the spec requires).</summary>
    public async Task DeleteAsync(string reference) =>
        (await RunAsync(["delete", "--tls-verify=false", reference])).EnsureSuccess();

    private Task<ProcessResult> RunAsync(string[] arguments) =>
        ProcessRunner.RunAsync(sandbox.Command("skopeo", ["--policy", sandbox.PolicyFile, .. arguments]));

    private ProcessSpec StartCopySpec(string source, string destination, string[] options) =>
        sandbox.Command("skopeo",
        [
            "--policy", sandbox.PolicyFile, "copy",
            .. TlsFlag(source, "--src-tls-verify=false"),
            .. TlsFlag(destination, "--dest-tls-verify=false"),
            .. options,
            source, destination,
        ]);

    private static string[] TlsFlag(string reference, string flag) =>
        reference.StartsWith("docker://", StringComparison.Ordinal) ? [flag] : [];
}
