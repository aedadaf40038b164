using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Tests.Support;

namespace Strata.Cvmfs.Tests.Objects;

public sealed partial class ObjectNamingTests
{
    [Fact]
    public void Every_stored_object_is_named_after_the_SHA1_of_its_compressed_bytes()
    {
        var files = Directory.EnumerateFiles(Path.Combine(TestVectors.Repo, "data"), "*", SearchOption.AllDirectories).ToList();
        Assert.Equal(59, files.Count);
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(TestVectors.Repo, file).Replace('\\', '/');
            Assert.True(ObjectId.TryParsePath(relative, out var id), relative);
            Assert.Equal(relative, id.Path);
            Assert.Equal(id.Hash, ContentHasher.Compute(ContentHashAlgorithm.Sha1, File.ReadAllBytes(file)));
        }
    }

    [Fact]
    public void Object_kinds_are_counted_as_the_repository_readme_says()
    {
        var kinds = Directory.EnumerateFiles(Path.Combine(TestVectors.Repo, "data"), "*", SearchOption.AllDirectories)
            .Select(f => ObjectId.TryParsePath(Path.GetRelativePath(TestVectors.Repo, f), out var id) ? id.Kind : throw new InvalidOperationException(f))
            .GroupBy(k => k)
            .ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(45, kinds[ObjectKind.File]);
        Assert.Equal(4, kinds[ObjectKind.Partial]);
        Assert.Equal(6, kinds[ObjectKind.Catalog]);
        Assert.Equal(2, kinds[ObjectKind.History]);
        Assert.Equal(1, kinds[ObjectKind.Certificate]);
        Assert.Equal(1, kinds[ObjectKind.MetaInfo]);
    }

    [Fact]
    public void Objects_listed_in_expected_objects_txt_have_the_recorded_names_sizes_and_content_hashes()
    {
        var text = File.ReadAllText(TestVectors.Expected("objects.txt"));
        var blocks = ObjectBlock().Matches(text);
        Assert.Equal(7, blocks.Count);
        foreach (Match block in blocks)
        {
            var path = block.Groups["path"].Value["repo/".Length..];
            var stored = TestVectors.ReadRepoFile(path);
            Assert.Equal(long.Parse(block.Groups["csize"].Value, CultureInfo.InvariantCulture), stored.Length);
            Assert.Equal(block.Groups["csha"].Value, Convert.ToHexStringLower(SHA1.HashData(stored)));

            Assert.True(ObjectId.TryParsePath(path, out var id));
            Assert.Equal(block.Groups["csha"].Value, id.Hash.ToString());

            var content = TestVectors.DecompressObject(path);
            Assert.Equal(long.Parse(block.Groups["dsize"].Value, CultureInfo.InvariantCulture), content.Length);
            Assert.Equal(block.Groups["dsha"].Value, Convert.ToHexStringLower(SHA1.HashData(content)));
        }
    }

    [Theory]
    [InlineData(ObjectKind.File, "data/d6/d19aeabf6e6114b624c3ee335db87cfc7fed93")]
    [InlineData(ObjectKind.Catalog, "data/d6/d19aeabf6e6114b624c3ee335db87cfc7fed93C")]
    [InlineData(ObjectKind.Partial, "data/d6/d19aeabf6e6114b624c3ee335db87cfc7fed93P")]
    [InlineData(ObjectKind.Certificate, "data/d6/d19aeabf6e6114b624c3ee335db87cfc7fed93X")]
    [InlineData(ObjectKind.History, "data/d6/d19aeabf6e6114b624c3ee335db87cfc7fed93H")]
    [InlineData(ObjectKind.MetaInfo, "data/d6/d19aeabf6e6114b624c3ee335db87cfc7fed93M")]
    [InlineData(ObjectKind.MicroCatalog, "data/d6/d19aeabf6e6114b624c3ee335db87cfc7fed93L")]
    public void Object_path_is_two_hex_digits_slash_the_rest_and_the_kind_suffix(ObjectKind kind, string expected)
    {
        var id = new ObjectId(ContentHash.Parse("d6d19aeabf6e6114b624c3ee335db87cfc7fed93"), kind);

        Assert.Equal(expected, id.Path);
        Assert.True(ObjectId.TryParsePath(expected, out var parsed));
        Assert.Equal(id, parsed);
    }

    [Fact]
    public void Shake128_object_path_puts_the_algorithm_suffix_before_the_kind_suffix()
    {
        var hash = ContentHash.Parse("d6d19aeabf6e6114b624c3ee335db87cfc7fed93-shake128");
        var id = new ObjectId(hash, ObjectKind.Catalog);

        Assert.Equal(ContentHashAlgorithm.Shake128, hash.Algorithm);
        Assert.Equal("data/d6/d19aeabf6e6114b624c3ee335db87cfc7fed93-shake128C", id.Path);
        Assert.True(ObjectId.TryParsePath(id.Path, out var parsed));
        Assert.Equal(id, parsed);
    }

    [Fact]
    public void Shake128_content_hash_is_the_first_160_bits_of_SHAKE128()
    {
        if (!Shake128.IsSupported)
        {
            return; // Not available with this platform's OpenSSL.
        }

        var data = "strata"u8.ToArray();

        var hash = ContentHasher.Compute(ContentHashAlgorithm.Shake128, data);

        Assert.Equal(Shake128.HashData(data, 20), hash.Digest.ToArray());
        Assert.EndsWith("-shake128", hash.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Alternative_path_is_the_hash_with_suffixes_behind_a_cvmfsalt_prefix()
    {
        var id = new ObjectId(ContentHash.Parse("66ac3168a1a826b7260d71db9850c593c7d6bd88"), ObjectKind.Certificate);

        Assert.Equal(".cvmfsalt-66ac3168a1a826b7260d71db9850c593c7d6bd88X", id.AlternativePath);
    }

    [Theory]
    [InlineData("")]
    [InlineData("d6d19aeabf6e6114b624c3ee335db87cfc7fed9")]
    [InlineData("d6d19aeabf6e6114b624c3ee335db87cfc7fed9g")]
    [InlineData("d6d19aeabf6e6114b624c3ee335db87cfc7fed93-md5")]
    public void Malformed_hashes_are_rejected(string text)
    {
        Assert.False(ContentHash.TryParse(text, out _));
    }

    [Theory]
    [InlineData("data/d6/d19aeabf6e6114b624c3ee335db87cfc7fed93Q")]
    [InlineData("data/d6d19aeabf6e6114b624c3ee335db87cfc7fed93")]
    [InlineData("data/D6/D19AEABF6E6114B624C3EE335DB87CFC7FED93")]
    [InlineData("x/d6/d19aeabf6e6114b624c3ee335db87cfc7fed93")]
    public void Malformed_object_paths_are_rejected(string path)
    {
        Assert.False(ObjectId.TryParsePath(path, out _));
    }

    [GeneratedRegex(@"object path\s+(?<path>\S+)\s+compressed size\s+(?<csize>\d+) bytes\s+SHA-1\(compressed\)\s+(?<csha>[0-9a-f]{40}).*?\n\s+SHA-1\(decompressed\)\s+(?<dsha>[0-9a-f]{40}).*?decompressed size\s+(?<dsize>\d+) bytes", RegexOptions.Singleline)]
    private static partial Regex ObjectBlock();
}
