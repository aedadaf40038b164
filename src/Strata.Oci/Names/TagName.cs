using System.Text.RegularExpressions;

namespace Strata.Oci.Names;

/// <summary>Tag rules of the OCI distribution spec: <c>[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}</c>.</summary>
public static partial class TagName
{
    [GeneratedRegex(@"^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool IsValid(string? tag) => !string.IsNullOrEmpty(tag) && Pattern().IsMatch(tag);
}
