namespace Strata.Identity.Rbac;

/// <summary>The project resources permissions name (a subset of Harbor's, for what Strata has).</summary>
public static class Resources
{
    public const string Project = "project";
    public const string Member = "member";
    public const string Repository = "repository";
    public const string Tag = "tag";
    public const string Robot = "robot";
    public const string Log = "log";
    public const string Quota = "quota";
}
