using System.Text;
using Strata.Cvmfs.Reading;
using Strata.Cvmfs.Tests.Support;
using Strata.Cvmfs.Whitelist;

namespace Strata.Cvmfs.Tests.Reading;

public sealed class RepositoryReaderTamperTests
{
    [Fact]
    public async Task File_object_with_a_flipped_byte_is_refused_before_any_byte_is_returned()
    {
        using var repo = TestVectors.CopyRepo();
        FlipByte(Path.Combine(repo.Path, "data/fe/c189a08d3d1ec5bdd256e64480d5734b111291"), 40);
        using var key = TestVectors.MasterPublicKey();
        await using var reader = await RepositoryReaderTreeTests.OpenAsync(key, null, repo.Path);

        var error = await Assert.ThrowsAsync<CvmfsVerificationException>(() => reader.OpenFileAsync("/README.txt", CancellationToken.None));

        Assert.Equal(VerificationFailure.ObjectHashMismatch, error.Failure);
    }

    [Fact]
    public async Task Chunk_with_a_flipped_byte_is_refused_when_the_stream_reaches_it()
    {
        using var repo = TestVectors.CopyRepo();
        FlipByte(Path.Combine(repo.Path, "data/f6/ef3049f3915eec4fbd22ea593ae225237c6ffdP"), 1000);
        using var key = TestVectors.MasterPublicKey();
        await using var reader = await RepositoryReaderTreeTests.OpenAsync(key, null, repo.Path);
        await using var content = await reader.OpenFileAsync("/data/random-6M.bin", CancellationToken.None);

        var error = await Assert.ThrowsAsync<CvmfsVerificationException>(() => content.CopyToAsync(Stream.Null));

        Assert.Equal(VerificationFailure.ObjectHashMismatch, error.Failure);
    }

    [Fact]
    public async Task Nested_catalog_with_a_flipped_byte_is_refused_when_entered()
    {
        using var repo = TestVectors.CopyRepo();
        FlipByte(Path.Combine(repo.Path, "data/97/136cb3534f23412559d1eb56375cd7885c61e5C"), 100);
        using var key = TestVectors.MasterPublicKey();
        await using var reader = await RepositoryReaderTreeTests.OpenAsync(key, null, repo.Path);

        Assert.NotNull(await reader.LookupAsync("/README.txt", CancellationToken.None));
        var error = await Assert.ThrowsAsync<CvmfsVerificationException>(() => reader.LookupAsync("/nested/inner.txt", CancellationToken.None));
        Assert.Equal(VerificationFailure.ObjectHashMismatch, error.Failure);
    }

    [Fact]
    public async Task Manifest_with_a_changed_field_is_refused()
    {
        using var repo = TestVectors.CopyRepo();
        var path = Path.Combine(repo.Path, ".cvmfspublished");
        var bytes = File.ReadAllBytes(path);
        bytes[89] = (byte)'3'; // "S2" -> "S3": the text no longer matches its hash line
        File.WriteAllBytes(path, bytes);

        var error = await OpenExpectingFailureAsync(repo.Path);

        Assert.Equal(VerificationFailure.LetterHashMismatch, error.Failure);
    }

    [Fact]
    public async Task Manifest_with_a_flipped_signature_byte_is_refused()
    {
        using var repo = TestVectors.CopyRepo();
        FlipByte(Path.Combine(repo.Path, ".cvmfspublished"), 500);

        var error = await OpenExpectingFailureAsync(repo.Path);

        Assert.Equal(VerificationFailure.ManifestSignatureInvalid, error.Failure);
    }

    [Fact]
    public async Task Manifest_re_hashed_without_the_key_is_refused()
    {
        using var repo = TestVectors.CopyRepo();
        var path = Path.Combine(repo.Path, ".cvmfspublished");
        var letter = Strata.Cvmfs.Signing.SignedLetter.Parse(File.ReadAllBytes(path));
        var text = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(letter.Text.Span).Replace("D240", "D999", StringComparison.Ordinal));
        File.WriteAllBytes(path, Strata.Cvmfs.Signing.SignedLetter.Compose(text, Strata.Cvmfs.Signing.SignedLetter.HashLineFor(text, Strata.Cvmfs.Objects.ContentHashAlgorithm.Sha1), letter.Signature.Span));

        var error = await OpenExpectingFailureAsync(repo.Path);

        Assert.Equal(VerificationFailure.ManifestSignatureInvalid, error.Failure);
    }

    [Fact]
    public async Task Whitelist_for_another_repository_is_refused_even_when_properly_signed()
    {
        using var repo = TestVectors.CopyRepo();
        ReplaceWhitelist(repo.Path, w => w with { RepositoryName = "other.strata.test" });

        var error = await OpenExpectingFailureAsync(repo.Path);

        Assert.Equal(VerificationFailure.RepositoryNameMismatch, error.Failure);
    }

    [Fact]
    public async Task Expired_whitelist_is_refused()
    {
        using var repo = TestVectors.CopyRepo();
        ReplaceWhitelist(repo.Path, w => w with { ExpiresAt = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero) });

        var error = await OpenExpectingFailureAsync(repo.Path);

        Assert.Equal(VerificationFailure.WhitelistExpired, error.Failure);
    }

    [Fact]
    public async Task Real_whitelist_is_refused_after_its_expiry_date()
    {
        using var key = TestVectors.MasterPublicKey();
        var options = new RepositoryReaderOptions
        {
            RepositoryName = TestVectors.RepositoryName,
            MasterKeys = [key],
            TimeProvider = new FixedTimeProvider(new DateTimeOffset(2036, 11, 25, 1, 17, 27, TimeSpan.Zero)),
        };

        var error = await Assert.ThrowsAsync<CvmfsVerificationException>(() => RepositoryReader.OpenAsync(new FileSystemRepositorySource(TestVectors.Repo), options, CancellationToken.None));

        Assert.Equal(VerificationFailure.WhitelistExpired, error.Failure);
    }

    [Fact]
    public async Task Whitelist_that_does_not_list_the_certificate_is_refused()
    {
        using var repo = TestVectors.CopyRepo();
        ReplaceWhitelist(repo.Path, w => w with { Fingerprints = [Strata.Cvmfs.Objects.ContentHash.Parse("0000000000000000000000000000000000000001")] });

        var error = await OpenExpectingFailureAsync(repo.Path);

        Assert.Equal(VerificationFailure.CertificateNotWhitelisted, error.Failure);
    }

    [Fact]
    public async Task Whitelist_signed_by_an_untrusted_key_is_refused()
    {
        using var repo = TestVectors.CopyRepo();
        var path = Path.Combine(repo.Path, ".cvmfswhitelist");
        var whitelist = SignedWhitelist.Parse(File.ReadAllBytes(path)).Whitelist;
        using var stranger = System.Security.Cryptography.RSA.Create(2048);
        File.WriteAllBytes(path, SignedWhitelist.Create(whitelist, stranger));

        var error = await OpenExpectingFailureAsync(repo.Path);

        Assert.Equal(VerificationFailure.WhitelistSignatureInvalid, error.Failure);
    }

    [Fact]
    public async Task Repository_opened_under_another_name_is_refused()
    {
        using var key = TestVectors.MasterPublicKey();
        var options = new RepositoryReaderOptions { RepositoryName = "other.strata.test", MasterKeys = [key] };

        var error = await Assert.ThrowsAsync<CvmfsVerificationException>(() => RepositoryReader.OpenAsync(new FileSystemRepositorySource(TestVectors.Repo), options, CancellationToken.None));

        Assert.Equal(VerificationFailure.RepositoryNameMismatch, error.Failure);
    }

    private static async Task<CvmfsVerificationException> OpenExpectingFailureAsync(string repo)
    {
        using var key = TestVectors.MasterPublicKey();
        return await Assert.ThrowsAsync<CvmfsVerificationException>(() => RepositoryReaderTreeTests.OpenAsync(key, null, repo));
    }

    private static void ReplaceWhitelist(string repo, Func<RepositoryWhitelist, RepositoryWhitelist> change)
    {
        var path = Path.Combine(repo, ".cvmfswhitelist");
        var whitelist = SignedWhitelist.Parse(File.ReadAllBytes(path)).Whitelist;
        using var masterKey = TestVectors.MasterPrivateKey();
        File.WriteAllBytes(path, SignedWhitelist.Create(change(whitelist), masterKey));
    }

    private static void FlipByte(string path, int offset)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[offset] ^= 0x01;
        File.WriteAllBytes(path, bytes);
    }
}
