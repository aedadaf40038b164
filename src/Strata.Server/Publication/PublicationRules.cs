using System.Text;
using System.Text.RegularExpressions;

namespace Strata.Server.Publication;

/// <summary>
/// Which images are published, as a list of globs in the spirit of DUCC's wishlist. A pattern
/// with a ':' is matched against <c>repository:tag</c>, one without against the repository:
/// <c>*</c> matches within one path component, <c>**</c> across components, <c>?</c> one character.
/// Examples: <c>**</c> (everything, the default), <c>physics/**</c>, <c>library/python:3.*</c>.
/// </summary>
public sealed class PublicationRules
{
    private readonly (Regex Pattern, bool WithTag)[] _patterns;

    public PublicationRules(IEnumerable<string> globs) =>
        _patterns = globs.Select(g => (ToRegex(g), g.Contains(':'))).ToArray();

    public bool Matches(string repository, string tag) =>
        _patterns.Any(p => p.Pattern.IsMatch(p.WithTag ? $"{repository}:{tag}" : repository));

    private static Regex ToRegex(string glob)
    {
        var pattern = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                pattern.Append(".*");
                i++;
            }
            else
            {
                pattern.Append(c switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(c.ToString()),
                });
            }
        }

        return new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
