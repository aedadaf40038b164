using System.Security.Cryptography;
using Strata.Cvmfs.Reading;
using Strata.Cvmfs.Whitelist;
using Strata.Publish.Publishing;
using Strata.Publish.Repository;
using Strata.Publish.Tests.Support;

namespace Strata.Publish.Tests.Repository;

public sealed class RepositoryKeysAndWhitelistTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public void Keys_are_created_once_and_loaded_back_the_same()
    {
        var directory = Directory.CreateTempSubdirectory("strata-keys-").FullName;
        try
        {
            using var created = RepositoryKeys.LoadOrCreate(directory, "repo.strata.test");
            using var loaded = RepositoryKeys.LoadOrCreate(directory, "repo.strata.test");

            Assert.Equal(created.MasterPublicKeyPem, loaded.MasterPublicKeyPem);
            Assert.Equal(created.Certificate.Fingerprint(), loaded.Certificate.Fingerprint());
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, "repo.strata.test.masterkey")));
            }

            Assert.Contains("BEGIN PUBLIC KEY", File.ReadAllText(Path.Combine(directory, "repo.strata.test.pub")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_partial_key_folder_is_refused_rather_than_replaced()
    {
        var directory = Directory.CreateTempSubdirectory("strata-keys-").FullName;
        try
        {
            using (RepositoryKeys.LoadOrCreate(directory, "repo.strata.test"))
            {
            }

            File.Delete(Path.Combine(directory, "repo.strata.test.key"));

            var error = Assert.Throws<InvalidOperationException>(() => RepositoryKeys.LoadOrCreate(directory, "repo.strata.test"));
            Assert.Contains("only some of the keys", error.Message);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Whitelist_is_renewed_when_it_expires_within_seven_days()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        await using var registry = await TestRegistry.CreateAsync();
        using var keys = RepositoryKeys.LoadOrCreate(Path.Combine(registry.Directory, "keys"), Publication.Fqrn, clock);
        var publisher = new ImagePublisher(registry.Driver, registry.Store, new ImagePublisherOptions { RepositoryName = Publication.Fqrn, RegistryHost = Publication.Host, WorkDirectory = Path.Combine(registry.Directory, "work") }, keys, clock);
        await registry.PushImageAsync("library/a", "1", [new LayerBuilder().File("f", "1").TarGz()]);
        var whitelistPath = Path.Combine(registry.Driver.RootDirectory, "cvmfs", Publication.Fqrn, ".cvmfswhitelist");

        await publisher.PublishAsync("library/a", "1", Ct);
        var first = SignedWhitelist.Parse(File.ReadAllBytes(whitelistPath)).Whitelist;
        clock.Now = clock.Now.AddDays(20);
        await publisher.PublishAsync("library/a", "1", Ct);
        var kept = SignedWhitelist.Parse(File.ReadAllBytes(whitelistPath)).Whitelist;
        clock.Now = clock.Now.AddDays(4);
        await publisher.PublishAsync("library/a", "1", Ct);
        var renewed = SignedWhitelist.Parse(File.ReadAllBytes(whitelistPath)).Whitelist;

        Assert.Equal(clock.Now.AddDays(-24).AddDays(30), first.ExpiresAt);
        Assert.Equal(first.ExpiresAt, kept.ExpiresAt);
        Assert.Equal(clock.Now.AddDays(30), renewed.ExpiresAt);
        using var master = RSA.Create();
        master.ImportFromPem(keys.MasterPublicKeyPem);
        var source = new FileSystemRepositorySource(Path.Combine(registry.Driver.RootDirectory, "cvmfs", Publication.Fqrn));
        await using var reader = await RepositoryReader.OpenAsync(source, new RepositoryReaderOptions { RepositoryName = Publication.Fqrn, MasterKeys = [master], TimeProvider = clock }, Ct);
        Assert.Equal(3, reader.Revision);
        Assert.True(File.Exists(Path.Combine(registry.Driver.RootDirectory, "cvmfs", Publication.Fqrn, ".cvmfs_master_replica")));
    }

    [Fact]
    public async Task Concurrent_publications_sharing_a_base_layer_both_land()
    {
        await using var publication = await Publication.CreateAsync();
        var shared = new LayerBuilder().Directory("base").File("base/os-release", "NAME=test").TarGz();
        await publication.Registry.PushImageAsync("library/one", "1", [shared, new LayerBuilder().File("app", "one").TarGz()]);
        await publication.Registry.PushImageAsync("library/two", "1", [shared, new LayerBuilder().File("app", "two").TarGz()]);

        var results = await Task.WhenAll(
            publication.Publisher.PublishAsync("library/one", "1", Ct),
            publication.Publisher.PublishAsync("library/two", "1", Ct));

        Assert.Equal([1L, 2L], results.Select(r => r.Revision).Order());
        await using var reader = await publication.OpenReaderAsync();
        Assert.Equal("one"u8.ToArray(), await Publishing.ImagePublisherTests.ReadAsync(reader, $"/{Publication.Host}/library/one:1/app"));
        Assert.Equal("two"u8.ToArray(), await Publishing.ImagePublisherTests.ReadAsync(reader, $"/{Publication.Host}/library/two:1/app"));
        Assert.Equal("NAME=test"u8.ToArray(), await Publishing.ImagePublisherTests.ReadAsync(reader, $"/{Publication.Host}/library/two:1/base/os-release"));
        await publication.AssertStatisticsExactAsync(reader);
    }
}
