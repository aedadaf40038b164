namespace Strata.EndToEnd.Tests.Infrastructure;

/// <summary>How a finished process ended, with everything it wrote.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>This result, or an assertion failure that shows the command and its output.</summary>
    public ProcessResult EnsureSuccess()
    {
        if (!Succeeded)
        {
            Assert.Fail($"Command failed:\n{Describe()}");
        }

        return this;
    }

    public string Describe() =>
        $"$ {CommandLine}\nexit code: {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}
