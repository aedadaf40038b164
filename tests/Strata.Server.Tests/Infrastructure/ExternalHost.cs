namespace Strata.Server.Tests.Infrastructure;

/// <summary>
/// A registry that someone else runs, named by the <c>STRATA_CONFORMANCE_URL</c> environment
/// variable (e.g. <c>http://127.0.0.1:5000/</c>). It lets the suite be calibrated against another
/// implementation (CNCF distribution, zot). Tests that need to restart or configure the server
/// cannot pass against it.
/// </summary>
internal sealed class ExternalHost(Uri baseAddress) : IRegistryHost
{
    public const string EnvironmentVariable = "STRATA_CONFORMANCE_URL";

    public Uri BaseAddress { get; } = baseAddress;

    public static Uri? FromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(value) ? null : new Uri(value.EndsWith('/') ? value : value + "/");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
