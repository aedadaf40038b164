namespace Strata.Client.Repository;

/// <summary>A repository URL ending in <c>/cvmfs/&lt;fqrn&gt;</c>, and the name it implies.</summary>
public sealed record RepositoryAddress(Uri Url, string Fqrn)
{
    /// <summary>Parses one URL; the repository name is its last path segment.</summary>
    public static RepositoryAddress Parse(string text)
    {
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new FormatException($"Not an http(s) repository URL: '{text}'.");
        }

        var segments = url.AbsolutePath.TrimEnd('/').Split('/');
        var fqrn = segments[^1];
        if (segments.Length < 2 || fqrn.Length == 0 || fqrn is "." or "..")
        {
            throw new FormatException($"The repository URL must end in /cvmfs/<repository name>: '{text}'.");
        }

        return new RepositoryAddress(new Uri(url.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/"), fqrn);
    }

    /// <summary>Parses <c>url[,mirror…]</c>; every URL must name the same repository.</summary>
    public static IReadOnlyList<RepositoryAddress> ParseList(string text)
    {
        var list = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse).ToList();
        if (list.Count == 0)
        {
            throw new FormatException("No repository URL given.");
        }

        if (list.Any(a => a.Fqrn != list[0].Fqrn))
        {
            throw new FormatException($"Mirrors must serve the same repository: {string.Join(", ", list.Select(a => a.Fqrn).Distinct())}.");
        }

        return list;
    }
}
