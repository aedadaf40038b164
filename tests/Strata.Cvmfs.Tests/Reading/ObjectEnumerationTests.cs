using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Tests.Support;

namespace Strata.Cvmfs.Tests.Reading;

public sealed class ObjectEnumerationTests
{
    [Fact]
    public async Task Newest_revision_reaches_53_objects_all_present_in_the_repository()
    {
        using var key = TestVectors.MasterPublicKey();
        await using var reader = await RepositoryReaderTreeTests.OpenAsync(key, null);

        var ids = await CollectAsync(reader, includeTags: false);

        Assert.Equal(53, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(File.Exists(Path.Combine(TestVectors.Repo, id.Path)), id.Path));
        Assert.Equal(4, ids.Distinct().Count(id => id.Kind == ObjectKind.Partial));
    }

    [Fact]
    public async Task With_tagged_revisions_everything_but_revision_0_and_the_old_history_is_reached()
    {
        using var key = TestVectors.MasterPublicKey();
        await using var reader = await RepositoryReaderTreeTests.OpenAsync(key, null);

        var reached = (await CollectAsync(reader, includeTags: true)).Select(id => id.Path).ToHashSet();
        var stored = Directory.EnumerateFiles(Path.Combine(TestVectors.Repo, "data"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(TestVectors.Repo, f).Replace('\\', '/'))
            .ToHashSet();

        Assert.Equal(57, reached.Count);
        Assert.Equal(["data/51/ea4261c9fd43f94614360650abcff7120dd2e8H", "data/e3/a1d93154b0d9e8d62905851d3db4d417756be0C"], stored.Except(reached).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Each_catalog_comes_after_every_object_of_its_subtree()
    {
        using var key = TestVectors.MasterPublicKey();
        await using var reader = await RepositoryReaderTreeTests.OpenAsync(key, null);

        var ids = await CollectAsync(reader, includeTags: false);
        var position = ids.Select((id, i) => (id, i)).GroupBy(p => p.id).ToDictionary(g => g.Key, g => g.Min(p => p.i));

        var root = position[new ObjectId(ContentHash.Parse("d6d19aeabf6e6114b624c3ee335db87cfc7fed93"), ObjectKind.Catalog)];
        var nested = position[new ObjectId(ContentHash.Parse("97136cb3534f23412559d1eb56375cd7885c61e5"), ObjectKind.Catalog)];
        var level2 = position[new ObjectId(ContentHash.Parse("3ffd7e0e0d84ceeb8113adee79d8cdbeb6e74d71"), ObjectKind.Catalog)];
        var bigChunk = position[new ObjectId(ContentHash.Parse("0ebfb8a2682fd36ed107c9863c50e6e41ca6512a"), ObjectKind.Partial)];
        Assert.True(bigChunk < nested);
        Assert.True(level2 < nested);
        Assert.True(nested < root);
        Assert.All(ids.Where(id => id.Kind is ObjectKind.File or ObjectKind.Partial), id => Assert.True(position[id] < root));
        Assert.Equal(ObjectKind.MetaInfo, ids[^1].Kind);
    }

    private static async Task<List<ObjectId>> CollectAsync(Strata.Cvmfs.Reading.RepositoryReader reader, bool includeTags)
    {
        var ids = new List<ObjectId>();
        await foreach (var id in reader.EnumerateObjectsAsync(includeTags, CancellationToken.None))
        {
            ids.Add(id);
        }

        return ids;
    }
}
