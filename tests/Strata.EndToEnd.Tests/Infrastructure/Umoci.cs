namespace Strata.EndToEnd.Tests.Infrastructure;

/// <summary>umoci 0.4.7, the image builder; every call fails the test when umoci fails.</summary>
public static class Umoci
{
    public static async Task RunAsync(params string[] arguments) =>
        (await ProcessRunner.RunAsync(new ProcessSpec("umoci", arguments))).EnsureSuccess();
}
