using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Reflog;
using Strata.Cvmfs.Tests.Support;

namespace Strata.Cvmfs.Tests.Reflog;

public sealed class ReflogDatabaseTests
{
    [Fact]
    public void Real_reflog_checksum_is_the_manifest_Y_field()
    {
        var manifest = Strata.Cvmfs.Manifest.SignedManifest.Parse(TestVectors.ReadRepoFile(".cvmfspublished")).Manifest;

        Assert.Equal(manifest.ReflogHash, ReflogDatabase.Checksum(Path.Combine(TestVectors.Repo, ".cvmfsreflog")));
    }

    [Fact]
    public void Real_reflog_lists_every_published_root_object()
    {
        using var repo = TestVectors.CopyRepo();
        using var reflog = ReflogDatabase.Open(Path.Combine(repo.Path, ".cvmfsreflog"));

        var references = reflog.List();

        Assert.Equal(7, references.Count);
        Assert.Equal(new ReflogReference(ContentHash.Parse("e3a1d93154b0d9e8d62905851d3db4d417756be0"), ReflogReferenceKind.Catalog, 1795828646), references[0]);
        Assert.Equal(ReflogReferenceKind.MetaInfo, references[^1].Kind);
    }

    [Fact]
    public void Rewriting_the_real_references_reproduces_schema_properties_and_rows()
    {
        using var repo = TestVectors.CopyRepo();
        var realPath = Path.Combine(repo.Path, ".cvmfsreflog");
        var written = Path.Combine(repo.Path, "written-reflog");
        using (var real = ReflogDatabase.Open(realPath))
        using (var writer = ReflogDatabase.Create(written, TestVectors.RepositoryName))
        {
            foreach (var reference in real.List())
            {
                writer.Add(reference);
            }
        }

        Assert.Equal(SqliteDump.Schema(realPath), SqliteDump.Schema(written));
        foreach (var sql in new[] { "SELECT quote(key), quote(value) FROM properties ORDER BY rowid", "SELECT quote(hash), quote(type), quote(timestamp) FROM refs ORDER BY rowid" })
        {
            Assert.Equal(SqliteDump.Query(realPath, sql), SqliteDump.Query(written, sql));
        }
    }
}
