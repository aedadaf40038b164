using Strata.Cvmfs.History;
using Strata.Cvmfs.Tests.Support;

namespace Strata.Cvmfs.Tests.History;

public sealed class HistoryDatabaseTests
{
    [Fact]
    public void Tags_and_properties_are_those_of_expected_history_txt()
    {
        using var scratch = new TemporaryDirectory();
        using var history = HistoryDatabase.Open(TestVectors.ExtractObject("data/c3/5bcf379c8de80d9826b545e47f4f37ffd2fcfbH", scratch.Path));

        Assert.Equal("vectors.strata.test", history.RepositoryName);
        Assert.Equal("51ea4261c9fd43f94614360650abcff7120dd2e8", history.Properties["previous_revision"]);
        var r1 = history.FindTag("r1-sync")!;
        Assert.Equal(new HistoryTag("r1-sync", Strata.Cvmfs.Objects.ContentHash.Parse("9f7342c93b7102f0e1022e400b194ec8b22e83d4"), 1, 1795829270, 0, "revision 1: content-r1.tar published with swissknife sync", 65536, string.Empty), r1);
        Assert.Equal("d6d19aeabf6e6114b624c3ee335db87cfc7fed93", history.FindTag("trunk")!.RootCatalogHash.ToString());
        Assert.Null(history.FindTag("nope"));
        Assert.Equal(4, history.Tags.Count);
    }

    [Fact]
    public void Tag_at_a_time_is_the_newest_published_before_it()
    {
        using var scratch = new TemporaryDirectory();
        using var history = HistoryDatabase.Open(TestVectors.ExtractObject("data/c3/5bcf379c8de80d9826b545e47f4f37ffd2fcfbH", scratch.Path));

        Assert.Equal(1, history.FindTagAt(1795829275)!.Revision);
        Assert.Equal(2, history.FindTagAt(1795829281)!.Revision);
        Assert.Null(history.FindTagAt(1795829000));
    }
}
