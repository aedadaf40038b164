namespace Strata.Identity.Tokens;

/// <summary>
/// One entry of a token's <c>access</c> claim, or one requested <c>scope</c>:
/// <c>resourcetype[(class)]:resourcename:action[,action]*</c> (distribution's scope.md). The name
/// may itself hold colons (a <c>host:port/</c> prefix), so the type ends at the first colon and the
/// actions start after the last one. The deprecated resource class is accepted and ignored.
/// </summary>
public sealed record ResourceScope(string Type, string Name, IReadOnlyList<string> Actions)
{
    public const string RepositoryType = "repository";
    public const string RegistryType = "registry";

    /// <summary>Longest scope accepted (a 255-character name plus type and actions, with room to spare).</summary>
    public const int MaxLength = 512;

    public override string ToString() => $"{Type}:{Name}:{string.Join(',', Actions)}";

    public static bool TryParse(string? text, out ResourceScope scope)
    {
        scope = null!;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength)
        {
            return false;
        }

        var first = text.IndexOf(':');
        var last = text.LastIndexOf(':');
        if (first <= 0 || last <= first + 1)
        {
            return false;
        }

        var type = text[..first];
        var paren = type.IndexOf('(');
        if (paren > 0 && type.EndsWith(')'))
        {
            type = type[..paren];
        }

        var actions = text[(last + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (actions.Length == 0 || type.Length == 0)
        {
            return false;
        }

        scope = new ResourceScope(type, text[(first + 1)..last], actions.Distinct(StringComparer.Ordinal).ToArray());
        return true;
    }

    /// <summary>True when this grant covers <paramref name="action"/> on the named resource.</summary>
    /// <remarks>
    /// One pass over the actions with ordinal comparisons: this runs for every authorized registry
    /// request, where LINQ's <c>Contains</c> on the interface cost two generic searches through
    /// interface dispatch.
    /// </remarks>
    public bool Allows(string type, string name, string action)
    {
        if (!string.Equals(Type, type, StringComparison.Ordinal) || !string.Equals(Name, name, StringComparison.Ordinal))
        {
            return false;
        }

        for (var i = 0; i < Actions.Count; i++)
        {
            var granted = Actions[i];
            if (string.Equals(granted, action, StringComparison.Ordinal) || granted == "*")
            {
                return true;
            }
        }

        return false;
    }
}
