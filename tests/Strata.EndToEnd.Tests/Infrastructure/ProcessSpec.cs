namespace Strata.EndToEnd.Tests.Infrastructure;

/// <summary>A command to run: program, arguments (never parsed by a shell), environment overrides, folder.</summary>
public sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments)
{
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    public string? WorkingDirectory { get; init; }

    public string CommandLine => string.Join(' ', new[] { FileName }.Concat(Arguments).Select(Quote));

    private static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsLetterOrDigit(c) || "-_./:=@+,%".Contains(c)) ? value : $"'{value.Replace("'", "'\\''")}'";
}
