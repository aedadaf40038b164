using System.Security.Cryptography;
using System.Text;
using Strata.Cvmfs.Signing;
using Strata.Cvmfs.Whitelist;
using Strata.Publish.Publishing;
using Strata.Publish.Repository;
using Strata.Publish.Tests.Support;
using Strata.Publish.Tests.Verification;

namespace Strata.Publish.Tests.Repository;

/// <summary>
/// A site keeping its master key outside Strata signs the whitelist itself and imports it:
/// verified before use, installed, and never replaced by renewal.
/// </summary>
public sealed class WhitelistImportTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Whitelist_signed_with_an_external_master_key_is_verified_installed_and_never_renewed_over()
    {
        var clock = new TestClock(Start);
        await using var registry = await TestRegistry.CreateAsync();
        using var siteMaster = RSA.Create(2048);
        var keyFolder = Path.Combine(registry.Directory, "keys");
        using (var repositoryKey = RSA.Create(2048))
        using (var certificate = RepositoryCertificate.Create(Publication.Fqrn, repositoryKey, Start.AddDays(-1), TimeSpan.FromDays(3650)))
        using (var external = RepositoryKeys.Import(Publication.Fqrn, null, siteMaster.ExportSubjectPublicKeyInfoPem(), repositoryKey.ExportPkcs8PrivateKeyPem(), certificate.Pem.Span))
        {
            external.Save(keyFolder);
        }

        using var keys = RepositoryKeys.LoadOrCreate(keyFolder, Publication.Fqrn, clock);
        Assert.False(keys.CanSignWhitelist);
        Assert.False(File.Exists(Path.Combine(keyFolder, Publication.Fqrn + ".masterkey")));
        var publisher = NewPublisher(registry, keys, clock);
        await registry.PushImageAsync("library/a", "1", [new LayerBuilder().File("f", "1").TarGz()]);
        await publisher.PublishAsync("library/a", "1", Ct);
        Assert.False(File.Exists(WhitelistPath(registry)), "no whitelist can be made without the master key");
        await Assert.ThrowsAsync<InvalidOperationException>(() => publisher.Repository.RenewWhitelistAsync(Ct));

        var signed = SignedWhitelist.Create(Whitelist(keys, Start, days: 30), siteMaster);
        var installed = await publisher.Repository.ImportWhitelistAsync(signed, Ct);

        Assert.Equal(Start.AddDays(30), installed.ExpiresAt);
        Assert.Equal(signed, File.ReadAllBytes(WhitelistPath(registry)));
        var verified = await IndependentVerifier.VerifyAsync(new DirectoryRepositoryFiles(RepositoryDirectory(registry)), Publication.Fqrn, keys.MasterPublicKeyPem, clock.Now);
        Assert.Equal(1, verified.Revision);

        // 25 days later, within the 7-day renewal margin: renewal neither re-signs nor replaces it,
        // and says what to do; publications leave it as it is.
        clock.Now = Start.AddDays(25);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => publisher.Repository.RenewWhitelistAsync(Ct));
        Assert.Contains("import", error.Message);
        await publisher.PublishAsync("library/a", "1", Ct);
        Assert.Equal(signed, File.ReadAllBytes(WhitelistPath(registry)));

        // The site's next whitelist is accepted in turn.
        var next = SignedWhitelist.Create(Whitelist(keys, clock.Now, days: 30), siteMaster);
        await publisher.Repository.ImportWhitelistAsync(next, Ct);
        Assert.False(await publisher.Repository.RenewWhitelistAsync(Ct));
        Assert.Equal(next, File.ReadAllBytes(WhitelistPath(registry)));
    }

    [Fact]
    public async Task Imported_whitelist_is_not_overwritten_even_when_strata_holds_the_master_key()
    {
        var clock = new TestClock(Start);
        await using var registry = await TestRegistry.CreateAsync();
        using var keys = RepositoryKeys.LoadOrCreate(Path.Combine(registry.Directory, "keys"), Publication.Fqrn, clock);
        var publisher = NewPublisher(registry, keys, clock);
        await registry.PushImageAsync("library/a", "1", [new LayerBuilder().File("f", "1").TarGz()]);
        await publisher.PublishAsync("library/a", "1", Ct);

        // Signed "elsewhere" with the same master key (e.g. on an offline host holding a copy), 10 days.
        var imported = SignedWhitelist.Create(Whitelist(keys, Start, days: 10), keys.MasterKey!);
        await publisher.Repository.ImportWhitelistAsync(imported, Ct);
        clock.Now = Start.AddDays(5);

        await Assert.ThrowsAsync<InvalidOperationException>(() => publisher.Repository.RenewWhitelistAsync(Ct));
        await publisher.PublishAsync("library/a", "1", Ct);

        Assert.Equal(imported, File.ReadAllBytes(WhitelistPath(registry)));
    }

    [Theory]
    [InlineData("other master key")]
    [InlineData("expired")]
    [InlineData("other repository")]
    [InlineData("certificate not listed")]
    [InlineData("not a whitelist")]
    public async Task Unusable_whitelist_is_refused_and_changes_nothing(string flaw)
    {
        var clock = new TestClock(Start);
        await using var registry = await TestRegistry.CreateAsync();
        using var keys = RepositoryKeys.LoadOrCreate(Path.Combine(registry.Directory, "keys"), Publication.Fqrn, clock);
        var publisher = NewPublisher(registry, keys, clock);
        await registry.PushImageAsync("library/a", "1", [new LayerBuilder().File("f", "1").TarGz()]);
        await publisher.PublishAsync("library/a", "1", Ct);
        var before = File.ReadAllBytes(WhitelistPath(registry));
        using var stranger = RSA.Create(2048);
        var good = Whitelist(keys, Start, days: 30);
        var offered = flaw switch
        {
            "other master key" => SignedWhitelist.Create(good, stranger),
            "expired" => SignedWhitelist.Create(good with { IssuedAt = Start.AddDays(-40), ExpiresAt = Start.AddDays(-10) }, keys.MasterKey!),
            "other repository" => SignedWhitelist.Create(good with { RepositoryName = "other.strata.test" }, keys.MasterKey!),
            "certificate not listed" => SignedWhitelist.Create(good with { Fingerprints = [Cvmfs.Objects.ContentHash.FromDigest(Cvmfs.Objects.ContentHashAlgorithm.Sha1, new byte[20])] }, keys.MasterKey!),
            _ => Encoding.ASCII.GetBytes("hello\n--\nnot a whitelist\n"),
        };

        await Assert.ThrowsAsync<WhitelistImportException>(() => publisher.Repository.ImportWhitelistAsync(offered, Ct));

        Assert.Equal(before, File.ReadAllBytes(WhitelistPath(registry)));
        Assert.False(await publisher.Repository.RenewWhitelistAsync(Ct));
    }

    private static RepositoryWhitelist Whitelist(RepositoryKeys keys, DateTimeOffset issued, int days) => new()
    {
        IssuedAt = issued,
        ExpiresAt = issued.AddDays(days),
        RepositoryName = Publication.Fqrn,
        Fingerprints = [keys.Certificate.Fingerprint()],
    };

    private static ImagePublisher NewPublisher(TestRegistry registry, RepositoryKeys keys, TimeProvider clock) =>
        new(registry.Driver, registry.Store, new ImagePublisherOptions { RepositoryName = Publication.Fqrn, RegistryHost = Publication.Host, WorkDirectory = Path.Combine(registry.Directory, "work") }, keys, clock);

    private static string RepositoryDirectory(TestRegistry registry) => Path.Combine(registry.Driver.RootDirectory, "cvmfs", Publication.Fqrn);

    private static string WhitelistPath(TestRegistry registry) => Path.Combine(RepositoryDirectory(registry), ".cvmfswhitelist");
}
