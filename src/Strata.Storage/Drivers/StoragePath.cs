using System.Text.RegularExpressions;

namespace Strata.Storage.Drivers;

/// <summary>
/// Validation of driver paths: relative, '/'-separated components of <c>[A-Za-z0-9._-]</c>, no
/// empty, "." or ".." component. Enforced in every driver so no caller can reach outside the store.
/// </summary>
public static partial class StoragePath
{
    [GeneratedRegex(@"^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool IsValid(string? path) =>
        !string.IsNullOrEmpty(path) && path.Length <= 1024 && Pattern().IsMatch(path)
        && !path.Split('/').Any(c => c is "." or "..");

    public static void Validate(string path)
    {
        if (!IsValid(path))
        {
            throw new ArgumentException($"invalid storage path '{path}'", nameof(path));
        }
    }
}
