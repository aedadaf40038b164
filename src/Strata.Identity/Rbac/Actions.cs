namespace Strata.Identity.Rbac;

/// <summary>Actions on resources; pull, push and delete are also the registry token's actions.</summary>
public static class Actions
{
    public const string Pull = "pull";
    public const string Push = "push";
    public const string Delete = "delete";
    public const string Read = "read";
    public const string List = "list";
    public const string Create = "create";
    public const string Update = "update";
}
