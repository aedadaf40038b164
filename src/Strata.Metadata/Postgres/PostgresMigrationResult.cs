namespace Strata.Metadata.Postgres;

/// <summary>What <see cref="PostgresMetadataStore.MigrateAsync(string, TimeProvider, CancellationToken)"/> did.</summary>
/// <param name="PreviousVersion">The schema version found (0 for an empty database).</param>
/// <param name="CurrentVersion">The schema version now (the latest this build knows).</param>
public sealed record PostgresMigrationResult(int PreviousVersion, int CurrentVersion)
{
    /// <summary>True when at least one migration ran.</summary>
    public bool Migrated => CurrentVersion > PreviousVersion;
}
