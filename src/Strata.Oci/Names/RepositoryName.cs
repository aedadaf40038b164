using System.Text.RegularExpressions;

namespace Strata.Oci.Names;

/// <summary>
/// Repository name rules of the OCI distribution spec: path components of lowercase alphanumerics
/// separated by '.', '_', '__' or runs of '-', joined by '/'. The total length is capped at 255
/// characters, the limit clients (docker) apply to host + name.
/// </summary>
public static partial class RepositoryName
{
    public const int MaxLength = 255;

    [GeneratedRegex(@"^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxLength && Pattern().IsMatch(name);
}
