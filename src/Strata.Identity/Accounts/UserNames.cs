using System.Text.RegularExpressions;

namespace Strata.Identity.Accounts;

/// <summary>
/// Local user names: 1–64 characters of letters, digits and <c>._-@</c>, starting with a letter or
/// digit. <c>$</c> is not allowed, so no user can pose as a robot (<c>robot$…</c>), and neither is
/// <c>:</c>, which HTTP Basic uses as the separator.
/// </summary>
public static partial class UserNames
{
    public const int MaxLength = 64;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Valid();

    public static bool IsValid(string? name) => name is not null && Valid().IsMatch(name);
}
