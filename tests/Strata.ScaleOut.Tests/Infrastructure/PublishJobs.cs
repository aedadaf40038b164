using System.Text;

namespace Strata.ScaleOut.Tests.Infrastructure;

/// <summary>Publish jobs and the published repository, as the shared database and the replicas show them.</summary>
public static class PublishJobs
{
    public sealed record Row(long Id, int State, int Attempts, string? LeaseOwner, long? Revision);

    /// <summary>Every publish job of <c>repository:tag</c>, oldest first.</summary>
    public static async Task<List<Row>> ListAsync(ReplicaCluster cluster, string key)
    {
        await using var connection = await cluster.OpenDatabaseAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            """
            SELECT id, state, attempts, lease_owner,
                   (COALESCE(result::jsonb->>'revision', result::jsonb->>'Revision'))::bigint
            FROM jobs WHERE kind = 'publish' AND key = @key ORDER BY id
            """,
            connection);
        command.Parameters.AddWithValue("@key", key);
        var rows = new List<Row>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new Row(reader.GetInt64(0), reader.GetInt32(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetInt64(4)));
        }

        return rows;
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the key's jobs; fails the test after <paramref name="timeout"/>.</summary>
    public static async Task<List<Row>> WaitAsync(ReplicaCluster cluster, string key, Func<List<Row>, bool> condition, TimeSpan timeout, Func<string>? context = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var rows = await ListAsync(cluster, key);
            if (condition(rows))
            {
                return rows;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"publish jobs of {key} did not reach the expected state within {timeout}: {string.Join("; ", rows)}\n{context?.Invoke()}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits until the key has one ended job (succeeded or failed for good).</summary>
    public static Task<List<Row>> WaitEndedAsync(ReplicaCluster cluster, string key, TimeSpan timeout) =>
        WaitAsync(cluster, key, rows => rows.Count > 0 && rows.All(r => r.State is 2 or 3), timeout);

    /// <summary>The bytes of <c>.cvmfspublished</c> as a replica serves them, and the revision in it (the S line).</summary>
    public static async Task<(byte[] Bytes, long Revision)> ReadManifestAsync(HttpClient http)
    {
        var bytes = await http.GetByteArrayAsync($"cvmfs/{ReplicaCluster.RepositoryName}/.cvmfspublished");
        var text = Encoding.ASCII.GetString(bytes);
        var head = text[..text.IndexOf("\n--\n", StringComparison.Ordinal)];
        var revision = head.Split('\n').Single(line => line.StartsWith('S'))[1..];
        return (bytes, long.Parse(revision, System.Globalization.CultureInfo.InvariantCulture));
    }
}
