using System.Text.RegularExpressions;

namespace Strata.Server.Tests.Infrastructure;

/// <summary>RFC 5988 <c>Link: &lt;url&gt;; rel="next"</c> on paginated lists.</summary>
public static partial class LinkHeader
{
    [GeneratedRegex("""^\s*<(?<url>[^>]+)>\s*;\s*rel="?next"?\s*$""", RegexOptions.CultureInvariant)]
    private static partial Regex NextPattern();

    /// <summary>The next page's absolute URL, or null when the response has no Link header.</summary>
    public static async Task<Uri?> NextAsync(HttpResponseMessage response)
    {
        var value = HttpAssert.Header(response, "Link");
        if (value is null)
        {
            return null;
        }

        var match = NextPattern().Match(value);
        if (!match.Success)
        {
            Assert.Fail($"Link header is not <url>; rel=\"next\": {value}\n{await HttpAssert.DescribeAsync(response)}");
        }

        var url = new Uri(match.Groups["url"].Value, UriKind.RelativeOrAbsolute);
        return url.IsAbsoluteUri ? url : new Uri(response.RequestMessage!.RequestUri!, url);
    }

    /// <summary>The query parameters of a URL (unescaped), for order-insensitive comparison.</summary>
    public static IReadOnlyDictionary<string, string> Query(Uri url)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            result[key] = value;
        }

        return result;
    }
}
