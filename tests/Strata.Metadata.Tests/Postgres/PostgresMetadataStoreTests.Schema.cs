using System.Text.Json;
using Npgsql;
using Strata.Metadata.Postgres;

namespace Strata.Metadata.Tests.Postgres;

public sealed partial class PostgresMetadataStoreTests
{
    [Fact]
    public async Task Schema_has_the_indexes_lookups_leasing_and_gc_rely_on()
    {
        string[] expected =
        [
            "ix_repository_blobs_digest",
            "ix_manifests_referrers",
            "ix_manifest_blob_references_digest",
            "ix_manifest_manifest_references_child",
            "ix_tags_manifest",
            "ix_upload_sessions_updated_at",
            "ux_jobs_active",
            "ix_jobs_due",
            "ix_jobs_kind_key",
            "ix_jobs_kind",
            "ix_jobs_kind_state",
            "ix_jobs_ended",
        ];

        foreach (var index in expected)
        {
            Assert.Equal(1L, await ScalarAsync<long>(_database, $"SELECT COUNT(*) FROM pg_indexes WHERE schemaname = 'public' AND indexname = '{index}'"));
        }
    }

    [Fact]
    public async Task Names_and_digests_compare_with_the_C_collation()
    {
        var columns = await ScalarAsync<string>(_database, """
            SELECT string_agg(table_name || '.' || column_name, ',' ORDER BY table_name || '.' || column_name COLLATE "C")
            FROM information_schema.columns
            WHERE table_schema = 'public' AND collation_name = 'C'
            """);

        Assert.Equal(
            "audit_log.action,audit_log.actor,audit_log.project,blobs.digest,gc_blob_reviews.digest,gc_manifest_reviews.digest,jobs.key,jobs.kind,manifest_blob_references.digest,manifest_manifest_references.child_digest,manifests.digest,manifests.subject_digest,outbox_cursors.consumer,projects.name,repositories.name,repository_blobs.digest,robots.name,tags.name,upload_sessions.repository,users.username",
            columns);
    }

    [Theory]
    [InlineData("SELECT name FROM tags WHERE repository_id = (SELECT id FROM repositories WHERE name = 'r') AND name > 'v1' ORDER BY name LIMIT 100")]
    [InlineData("SELECT m.digest FROM repositories r JOIN tags t ON t.repository_id = r.id JOIN manifests m ON m.id = t.manifest_id WHERE r.name = 'r' AND t.name = 'latest'")]
    [InlineData("SELECT name FROM repositories WHERE name > 'a' ORDER BY name LIMIT 100")]
    [InlineData("SELECT m.digest FROM manifests m WHERE m.repository_id = (SELECT id FROM repositories WHERE name = 'r') AND m.subject_digest = 'sha256:x' ORDER BY m.digest")]
    [InlineData("SELECT 1 FROM manifest_blob_references WHERE digest = 'sha256:x'")]
    [InlineData("SELECT 1 FROM manifest_manifest_references WHERE child_digest = 'sha256:x'")]
    [InlineData("SELECT 1 FROM repository_blobs WHERE digest = 'sha256:x'")]
    [InlineData("SELECT id FROM outbox WHERE id > 5 ORDER BY id LIMIT 10")]
    [InlineData("SELECT id FROM upload_sessions WHERE updated_at < 5 ORDER BY updated_at, id LIMIT 10")]
    [InlineData("SELECT id, state, payload FROM jobs WHERE kind = 'publish' AND key = 'r:latest' AND state IN (0, 1)")]
    [InlineData("SELECT id FROM jobs WHERE kind = 'publish' AND key = 'r:latest' ORDER BY id DESC LIMIT 1")]
    [InlineData("SELECT id FROM jobs WHERE kind = 'publish' AND state = 0 ORDER BY id DESC LIMIT 50")]
    [InlineData("SELECT id FROM jobs WHERE kind = 'publish' ORDER BY id DESC LIMIT 50")]
    [InlineData("SELECT event_id FROM outbox_cursors WHERE consumer = 'publisher'")]
    public async Task Hot_queries_can_use_an_index_without_scanning_or_sorting(string query)
    {
        // The tables are nearly empty, so sequential scans are switched off to see which plan the
        // indexes allow, as they would be chosen on a large registry.
        var nodes = await PlanNodesAsync(query);

        Assert.NotEmpty(nodes);
        Assert.DoesNotContain("Seq Scan", nodes);
        Assert.DoesNotContain("Sort", nodes);
        Assert.DoesNotContain("Incremental Sort", nodes);
    }

    [Fact]
    public async Task Lease_reads_due_jobs_in_lease_order_from_the_partial_index_without_sorting()
    {
        var sql = PostgresMetadataStore.LeaseCandidateSql.Replace("@now", "5").Replace("@kinds", "ARRAY['a', 'b']");

        var nodes = await PlanNodesAsync(sql);

        Assert.Contains("LockRows", nodes);
        Assert.Contains("Index Scan (ix_jobs_due)", nodes);
        Assert.DoesNotContain("Seq Scan", nodes);
        Assert.DoesNotContain("Sort", nodes);
    }

    /// <summary>The plan's node types, with the index for index scans, e.g. "Index Scan (ix_jobs_due)".</summary>
    private async Task<List<string>> PlanNodesAsync(string query)
    {
        await using var connection = await _database.OpenRawAsync();
        await using (var off = new NpgsqlCommand("SET enable_seqscan = off; SET enable_bitmapscan = off", connection))
        {
            await off.ExecuteNonQueryAsync();
        }

        await using var explain = new NpgsqlCommand("EXPLAIN (FORMAT JSON) " + query, connection);
        using var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!);
        var nodes = new List<string>();
        Collect(plan.RootElement[0].GetProperty("Plan"));
        return nodes;

        void Collect(JsonElement node)
        {
            var type = node.GetProperty("Node Type").GetString()!;
            nodes.Add(node.TryGetProperty("Index Name", out var index) ? $"{type} ({index.GetString()})" : type);
            if (node.TryGetProperty("Plans", out var children))
            {
                foreach (var child in children.EnumerateArray())
                {
                    Collect(child);
                }
            }
        }
    }
}
