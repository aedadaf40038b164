using System.Security.Cryptography;
using System.Text.Json;
using Strata.Publish.Tests.Support;

namespace Strata.Publish.Tests.Verification;

/// <summary>The independent verifier itself: it accepts what the real cvmfs tools made, and rejects tampering.</summary>
public sealed class IndependentVerifierTests
{
    private static string Repo => Path.Combine(SharedTestVectors.Root, "repo");

    private static string MasterPublicKey => File.ReadAllText(Path.Combine(SharedTestVectors.Root, "keys", SharedTestVectors.RepositoryName + ".pub"));

    [Fact]
    public async Task Repository_made_by_the_cvmfs_tools_verifies_and_reproduces_the_real_clients_tree()
    {
        var verified = await IndependentVerifier.VerifyAsync(new DirectoryRepositoryFiles(Repo), SharedTestVectors.RepositoryName, MasterPublicKey);

        Assert.Equal(2, verified.Revision);
        Assert.Equal("d6d19aeabf6e6114b624c3ee335db87cfc7fed93", verified.RootCatalogHash);
        Assert.Equal(3, verified.Catalogs);   // root, /nested, /nested/level2
        var expected = File.ReadAllLines(Path.Combine(SharedTestVectors.Root, "expected", "tree-r2.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .ToList();
        Assert.Equal(expected.Count, verified.Entries.Count);
        foreach (var line in expected)
        {
            var path = line.GetProperty("path").GetString()!;
            var entry = verified.Entries[path == "/" ? string.Empty : path];
            var type = line.GetProperty("type").GetString();
            Assert.Equal(type is "dir" or "file" or "symlink" ? type : "special", entry.Type);
            Assert.Equal(Convert.ToInt32(line.GetProperty("mode").GetString(), 8), entry.Permissions);
            Assert.Equal(line.GetProperty("uid").GetInt64(), entry.Uid);
            if (type == "file")
            {
                Assert.Equal(line.GetProperty("sha256").GetString(), entry.Sha256);
                Assert.Equal(line.GetProperty("size").GetInt64(), entry.Size);
            }

            if (type == "symlink")
            {
                // The client shows variant symlinks expanded ($(VAR:-default), VAR unset here).
                Assert.Equal(line.GetProperty("target").GetString(), VerifiedRepository.ExpandVariables(entry.Symlink!, null));
            }
        }

        Assert.True(verified.Entries["/nested/big/compressible-20M.txt"].Chunks > 1);
    }

    [Theory]
    [InlineData("object")]
    [InlineData("catalog")]
    [InlineData("manifest-field")]
    [InlineData("whitelist-expiry")]
    [InlineData("missing-chunk")]
    public async Task Tampered_repository_is_rejected(string tampering)
    {
        var copy = Directory.CreateTempSubdirectory("strata-verify-tamper-").FullName;
        try
        {
            CopyDirectory(Repo, copy);
            var objects = Directory.GetFiles(Path.Combine(copy, "data"), "*", SearchOption.AllDirectories);
            switch (tampering)
            {
                case "object":
                    // Whole-file objects (no suffix) with one byte changed: names no longer match.
                    // All of them, as data/ also holds objects only older revisions reach.
                    Array.ForEach(objects.Where(f => !char.IsUpper(Path.GetFileName(f)[^1])).ToArray(), Flip);
                    break;
                case "catalog":
                    Array.ForEach(objects.Where(f => f.EndsWith('C')).ToArray(), Flip);
                    break;
                case "manifest-field":
                    // Change the TTL without re-signing: the hash line no longer matches.
                    var manifest = File.ReadAllBytes(Path.Combine(copy, ".cvmfspublished"));
                    var at = manifest.AsSpan().IndexOf("\nD240\n"u8);
                    manifest[at + 2] = (byte)'9';
                    File.WriteAllBytes(Path.Combine(copy, ".cvmfspublished"), manifest);
                    break;
                case "whitelist-expiry":
                    var whitelist = File.ReadAllBytes(Path.Combine(copy, ".cvmfswhitelist"));
                    whitelist[16] = (byte)'3';   // E2036… → E3036…; hash line and signature left as they were
                    File.WriteAllBytes(Path.Combine(copy, ".cvmfswhitelist"), whitelist);
                    break;
                case "missing-chunk":
                    Array.ForEach(objects.Where(f => f.EndsWith('P')).ToArray(), File.Delete);
                    break;
            }

            await Assert.ThrowsAsync<RepositoryVerificationException>(() =>
                IndependentVerifier.VerifyAsync(new DirectoryRepositoryFiles(copy), SharedTestVectors.RepositoryName, MasterPublicKey));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public async Task Another_master_key_is_not_trusted()
    {
        using var other = RSA.Create(2048);

        var error = await Assert.ThrowsAsync<RepositoryVerificationException>(() =>
            IndependentVerifier.VerifyAsync(new DirectoryRepositoryFiles(Repo), SharedTestVectors.RepositoryName, other.ExportSubjectPublicKeyInfoPem()));

        Assert.Contains("whitelist", error.Message);
    }

    private static void Flip(string file)
    {
        var bytes = File.ReadAllBytes(file);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(file, bytes);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
