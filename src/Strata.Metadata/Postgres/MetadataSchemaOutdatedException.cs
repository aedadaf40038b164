namespace Strata.Metadata.Postgres;

/// <summary>
/// The database's schema is older than this build needs, and this process was told not to migrate
/// it at start (<c>Metadata:MigrateAtStart=false</c>): the operator runs <c>strata migrate</c> first.
/// </summary>
public sealed class MetadataSchemaOutdatedException(int found, int required)
    : Exception($"The metadata database has schema version {found}, older than this Strata needs ({required}). Run `strata migrate` (with the same Metadata settings) to upgrade it, then start again; or set Metadata:MigrateAtStart=true.")
{
    /// <summary>The version found in the database (0: an empty database).</summary>
    public int Found { get; } = found;

    /// <summary>The version this build needs.</summary>
    public int Required { get; } = required;
}
