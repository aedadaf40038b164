using System.Net;
using Strata.EndToEnd.Tests.Infrastructure;
using Strata.Metadata.Postgres;
using Strata.ScaleOut.Tests.Infrastructure;

namespace Strata.ScaleOut.Tests.Configuration;

/// <summary>
/// <c>strata migrate</c> and replicas that must not migrate (<c>Metadata:MigrateAtStart=false</c>):
/// such a replica refuses an older schema with a message naming the command, the command upgrades
/// the schema, and the replica then starts. Real processes, as an operator runs them.
/// </summary>
[Trait("Category", "Integration")]
public sealed class MigrateCommandTests
{
    [Fact]
    public async Task Replica_refuses_an_unmigrated_database_until_strata_migrate_has_run()
    {
        await using var cluster = await ReplicaCluster.CreateAsync(migrated: false);
        var settings = cluster.NewReplicaSettings(new Dictionary<string, string?> { ["Metadata:MigrateAtStart"] = "false" });

        var refused = await ProcessRunner.RunAsync(ReplicaProcess.Command(settings, "serve"));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("strata migrate", refused.StandardError, StringComparison.Ordinal);
        Assert.Contains("schema version 0", refused.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", refused.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(settings["Storage:S3:SecretKey"]!, refused.StandardError + refused.StandardOutput, StringComparison.Ordinal);

        var migrated = (await ProcessRunner.RunAsync(ReplicaProcess.Command(settings, "migrate"))).EnsureSuccess();
        Assert.Contains($"schema migrated from version 0 to {PostgresMetadataStore.LatestSchemaVersion}", migrated.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", migrated.StandardOutput, StringComparison.OrdinalIgnoreCase);
        var again = (await ProcessRunner.RunAsync(ReplicaProcess.Command(settings, "migrate"))).EnsureSuccess();
        Assert.Contains("nothing to do", again.StandardOutput, StringComparison.Ordinal);

        await using var replica = await ReplicaProcess.StartAsync(settings);
        using var http = new RegistryHttp(replica.BaseAddress);
        Assert.Equal(HttpStatusCode.Created, await Blobs.PushAsync(http, "migrated/app", Blobs.Random(1000, 111)));
    }

    [Fact]
    public async Task Migrate_reports_an_unreachable_database_without_the_password()
    {
        var spec = ReplicaProcess.Command(
            new Dictionary<string, string?>
            {
                ["Data"] = Path.GetTempPath(),
                ["Metadata:Provider"] = "postgres",
                ["Metadata:ConnectionString"] = "Host=127.0.0.1;Port=1;Username=u;Password=pw-never-shown;Database=d;Timeout=2",
            },
            "migrate");

        var result = await ProcessRunner.RunAsync(spec);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("127.0.0.1:1/d", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-never-shown", result.StandardError + result.StandardOutput, StringComparison.Ordinal);
    }
}
