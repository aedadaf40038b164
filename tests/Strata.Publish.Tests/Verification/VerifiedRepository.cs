namespace Strata.Publish.Tests.Verification;

/// <summary>What <see cref="IndependentVerifier"/> found in a repository whose every check passed.</summary>
internal sealed record VerifiedRepository(
    long Revision,
    string RootCatalogHash,
    DateTimeOffset WhitelistExpires,
    int Catalogs,
    int DataObjects,
    IReadOnlyDictionary<string, VerifiedEntry> Entries)
{
    /// <summary>Follows symlinks (relative and absolute within the repository) to an entry, or null.</summary>
    public VerifiedEntry? Resolve(string path, Func<string, string?>? variables = null)
    {
        for (var hops = 0; hops < 40; hops++)
        {
            var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var current = string.Empty;
            string? restart = null;
            for (var i = 0; i < parts.Length; i++)
            {
                var candidate = current + "/" + parts[i];
                if (!Entries.TryGetValue(candidate, out var entry))
                {
                    return null;
                }

                if (entry.Symlink is { } target)
                {
                    target = ExpandVariables(target, variables);
                    var joined = target.StartsWith('/') ? target : current + "/" + target;
                    restart = Normalize(joined + (i + 1 < parts.Length ? "/" + string.Join('/', parts[(i + 1)..]) : string.Empty));
                    break;
                }

                current = candidate;
            }

            if (restart is null)
            {
                return Entries.GetValueOrDefault(current);
            }

            path = restart;
        }

        throw new InvalidOperationException("symlink loop at " + path);
    }

    /// <summary>cvmfs variant symlinks: <c>$(NAME)</c> or <c>$(NAME:-default)</c>.</summary>
    internal static string ExpandVariables(string target, Func<string, string?>? variables) =>
        System.Text.RegularExpressions.Regex.Replace(target, @"\$\(([A-Za-z0-9_]+)(?::-([^)]*))?\)", m =>
            variables?.Invoke(m.Groups[1].Value) ?? (m.Groups[2].Success ? m.Groups[2].Value : string.Empty));

    private static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        return "/" + string.Join('/', parts);
    }
}
