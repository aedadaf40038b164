namespace Strata.Client.Tests.Support;

/// <summary>What /proc/self/mountinfo says about a mount point.</summary>
internal static class MountTable
{
    /// <summary>File system types mounted at <paramref name="mountpoint"/>, bottom first (several when stacked).</summary>
    public static IReadOnlyList<string> TypesAt(string mountpoint) =>
        [.. File.ReadLines("/proc/self/mountinfo")
            .Select(line => (Fields: line.Split(' '), Separator: line.IndexOf(" - ", StringComparison.Ordinal), Line: line))
            .Where(m => m.Fields.Length >= 5 && m.Separator > 0 && m.Fields[4].Replace("\\040", " ", StringComparison.Ordinal) == mountpoint)
            .Select(m => m.Line[(m.Separator + 3)..].Split(' ')[0])];
}
