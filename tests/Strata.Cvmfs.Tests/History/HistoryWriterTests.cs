using Strata.Cvmfs.History;
using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Tests.Support;

namespace Strata.Cvmfs.Tests.History;

public sealed class HistoryWriterTests
{
    [Fact]
    public void Rewriting_the_real_tags_reproduces_schema_properties_branches_and_tags_exactly()
    {
        using var scratch = new TemporaryDirectory();
        var realPath = TestVectors.ExtractObject("data/c3/5bcf379c8de80d9826b545e47f4f37ffd2fcfbH", scratch.Path);
        var written = Path.Combine(scratch.Path, "written.sqlite");
        using (var real = HistoryDatabase.Open(realPath))
        using (var writer = HistoryWriter.Create(written, real.RepositoryName))
        {
            // Same insertion order as the real database (r1-sync, r2-ingest, trunk-previous, trunk).
            foreach (var name in new[] { "r1-sync", "r2-ingest", "trunk-previous", "trunk" })
            {
                writer.AddTag(real.FindTag(name)!);
            }

            writer.Complete(ContentHash.Parse(real.Properties["previous_revision"]));
        }

        Assert.Equal(SqliteDump.Schema(realPath), SqliteDump.Schema(written));
        foreach (var sql in new[]
        {
            "SELECT quote(key), quote(value) FROM properties ORDER BY rowid",
            "SELECT quote(branch), quote(parent), quote(initial_revision) FROM branches",
            "SELECT quote(name), quote(hash), quote(revision), quote(timestamp), quote(channel), quote(description), quote(size), quote(branch) FROM tags ORDER BY rowid",
        })
        {
            Assert.Equal(SqliteDump.Query(realPath, sql), SqliteDump.Query(written, sql));
        }
    }

    [Fact]
    public void First_history_database_records_forty_zeros_as_previous_revision()
    {
        using var scratch = new TemporaryDirectory();
        var path = Path.Combine(scratch.Path, "first.sqlite");
        using (var writer = HistoryWriter.Create(path, "new.strata.test"))
        {
            writer.Complete(null);
        }

        using var history = HistoryDatabase.Open(path);
        Assert.Equal(new string('0', 40), history.Properties["previous_revision"]);
        Assert.Empty(history.Tags);
    }
}
