using System.Text;

namespace Strata.Cvmfs.Reading;

/// <summary>
/// Expansion of cvmfs "variant symlinks": <c>$(VAR)</c> is replaced by the client's value of VAR and
/// <c>$(VAR:-default)</c> by the default when VAR is unset; an unset VAR without default expands to
/// nothing. A <c>$(</c> without a closing parenthesis is kept literally. Mirrors
/// <c>SqlDirent::ExpandSymlink</c> in cvmfs's catalog_sql.cc.
/// </summary>
public static class VariantSymlink
{
    /// <summary>Expands <paramref name="raw"/>, looking variables up with <paramref name="lookup"/>.</summary>
    public static string Expand(string raw, Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(lookup);
        if (!raw.Contains('$', StringComparison.Ordinal))
        {
            return raw;
        }

        var result = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '$' || i + 1 >= raw.Length || raw[i + 1] != '(')
            {
                result.Append(raw[i]);
                continue;
            }

            var close = raw.IndexOf(')', i + 2);
            if (close < 0)
            {
                result.Append("$(");
                i++;
                continue;
            }

            var inner = raw.AsSpan(i + 2, close - i - 2);
            var separator = inner.IndexOf(":-", StringComparison.Ordinal);
            var name = separator < 0 ? inner.ToString() : inner[..separator].ToString();
            var fallback = separator < 0 ? string.Empty : inner[(separator + 2)..].ToString();
            result.Append(lookup(name) ?? fallback);
            i = close;
        }

        return result.ToString();
    }
}
