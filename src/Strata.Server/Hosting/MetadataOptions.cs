namespace Strata.Server.Hosting;

/// <summary>
/// Where metadata lives (configuration section <c>Metadata</c>): <c>sqlite</c> (default:
/// <c>&lt;Data&gt;/strata.db</c>, one process) or <c>postgres</c> (any number of replicas), with
/// <c>Metadata:ConnectionString</c> (an Npgsql connection string; pooling settings in it apply).
/// </summary>
public sealed class MetadataOptions
{
    public const string Section = "Metadata";
    public const string SqliteProvider = "sqlite";
    public const string PostgresProvider = "postgres";

    /// <summary><c>sqlite</c> or <c>postgres</c> (case-insensitive).</summary>
    public string Provider { get; set; } = SqliteProvider;

    /// <summary>The PostgreSQL connection string, e.g. <c>Host=db;Database=strata;Username=strata;Password=…</c>. Secret: never logged.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Apply pending schema migrations at start (default true). With false, a PostgreSQL replica
    /// refuses to start on an older schema and asks for <c>strata migrate</c>: for fleets that
    /// upgrade the schema as a deliberate step (rolling upgrades, a database role without DDL rights).
    /// </summary>
    public bool MigrateAtStart { get; set; } = true;

    public bool IsPostgres => string.Equals(Provider, PostgresProvider, StringComparison.OrdinalIgnoreCase);
}
