namespace Strata.Identity.Rbac;

/// <summary>An action on a kind of project resource, written <c>resource:action</c> (e.g. <c>repository:push</c>).</summary>
public readonly record struct Permission(string Resource, string Action)
{
    public override string ToString() => $"{Resource}:{Action}";

    public static bool TryParse(string? text, out Permission permission)
    {
        permission = default;
        var colon = text?.IndexOf(':') ?? -1;
        if (colon <= 0 || colon == text!.Length - 1 || text.IndexOf(':', colon + 1) >= 0)
        {
            return false;
        }

        permission = new Permission(text[..colon], text[(colon + 1)..]);
        return true;
    }
}
