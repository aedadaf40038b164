using System.Formats.Tar;
using System.Text;
using Strata.Publish.Layers;

namespace Strata.Publish.Tests.Layers;

public sealed class LayerTarReaderTests
{
    private static readonly LayerLimits Limits = new();

    [Fact]
    public async Task Reads_files_directories_links_and_metadata_written_by_TarWriter()
    {
        var tar = TarFixtures.Build(TarEntryFormat.Pax, w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "./usr/") { Mode = (UnixFileMode)0b111_101_101 });
            TarFixtures.AddFile(w, "./usr/hello.txt", "hello world");
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "usr/link") { LinkName = "/usr/hello.txt" });
            w.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "usr/hard") { LinkName = "./usr/hello.txt" });
            w.WriteEntry(new PaxTarEntry(TarEntryType.CharacterDevice, "dev/null") { DeviceMajor = 1, DeviceMinor = 3 });
        });

        var entries = await ReadAllAsync(tar);

        Assert.Equal(["usr", "usr/hello.txt", "usr/link", "usr/hard", "dev/null"], entries.Select(e => e.Entry.Path));
        Assert.Equal(LayerEntryType.Directory, entries[0].Entry.Type);
        Assert.Equal(0b111_101_101, entries[0].Entry.Mode);
        var file = entries[1];
        Assert.Equal("hello world", file.Content);
        Assert.Equal((1000L, 100L, 11L, 1_700_000_000L), (file.Entry.Uid, file.Entry.Gid, file.Entry.Size, file.Entry.MtimeSeconds));
        Assert.Equal("/usr/hello.txt", entries[2].Entry.LinkTarget);
        Assert.Equal("usr/hello.txt", entries[3].Entry.LinkTarget);
        Assert.Equal((LayerEntryType.CharacterDevice, 1, 3), (entries[4].Entry.Type, entries[4].Entry.DeviceMajor, entries[4].Entry.DeviceMinor));
    }

    [Fact]
    public async Task Long_names_in_gnu_and_pax_form_are_applied()
    {
        var longName = string.Join('/', Enumerable.Repeat("directory-name-of-some-length", 8)) + "/file";
        foreach (var format in new[] { TarEntryFormat.Gnu, TarEntryFormat.Pax })
        {
            var tar = TarFixtures.Build(format, w => TarFixtures.AddFile(w, longName, "x", format));
            var entries = await ReadAllAsync(tar);
            Assert.Equal(longName, Assert.Single(entries).Entry.Path);
        }
    }

    [Fact]
    public async Task Binary_xattr_values_survive_byte_for_byte()
    {
        // SCHILY.xattr values are raw bytes (security.capability is binary): build the PAX header by hand.
        byte[] capability = [0x01, 0x00, 0x00, 0x02, 0xff, 0xfe, 0x00, 0x80];
        var key = "SCHILY.xattr.security.capability="u8.ToArray();
        var body = key.Concat(capability).Append((byte)'\n').ToArray();
        var length = body.Length + 3;
        var record = Encoding.ASCII.GetBytes($"{length} ").Concat(body).ToArray();
        Assert.Equal(length, record.Length);
        var tar = TarFixtures.Concat(
            TarFixtures.Header("PaxHeaders/ping", (byte)'x', record.Length), TarFixtures.Padded(record),
            TarFixtures.Header("bin/ping", (byte)'0', 0), new byte[1024]);

        var entry = Assert.Single(await ReadAllAsync(tar)).Entry;

        Assert.Equal(capability, entry.Xattrs!["security.capability"]);
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("a/../../b")]
    [InlineData("./x/../../../root")]
    public async Task Path_traversal_fails_the_layer(string name)
    {
        var tar = TarFixtures.Concat(TarFixtures.Header(name, (byte)'0', 0), new byte[1024]);
        var error = await Assert.ThrowsAsync<LayerFormatException>(() => ReadAllAsync(tar));
        Assert.Contains("path traversal", error.Message);
    }

    [Fact]
    public async Task Hardlink_escaping_the_layer_fails_it()
    {
        var tar = TarFixtures.Concat(TarFixtures.Header("a", (byte)'1', 0, "../../etc/shadow"), new byte[1024]);
        await Assert.ThrowsAsync<LayerFormatException>(() => ReadAllAsync(tar));
    }

    [Fact]
    public async Task Absolute_paths_are_made_relative_like_gnu_tar()
    {
        var tar = TarFixtures.Concat(TarFixtures.Header("/etc/motd", (byte)'0', 0), new byte[1024]);
        Assert.Equal("etc/motd", Assert.Single(await ReadAllAsync(tar)).Entry.Path);
    }

    [Fact]
    public async Task Huge_pax_header_is_refused_before_it_is_buffered()
    {
        var tar = TarFixtures.Header("PaxHeaders/x", (byte)'x', 1L << 33);
        var error = await Assert.ThrowsAsync<LayerFormatException>(() => ReadAllAsync(tar));
        Assert.Contains("exceeds the limit", error.Message);
    }

    [Fact]
    public async Task Truncated_file_data_fails_the_layer()
    {
        var tar = TarFixtures.Concat(TarFixtures.Header("big", (byte)'0', 10_000), new byte[512]);
        var error = await Assert.ThrowsAsync<LayerFormatException>(() => ReadAllAsync(tar));
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public async Task Truncated_header_fails_the_layer()
    {
        var tar = TarFixtures.Header("a", (byte)'0', 0)[..300];
        await Assert.ThrowsAsync<LayerFormatException>(() => ReadAllAsync(tar));
    }

    [Fact]
    public async Task Missing_end_of_archive_blocks_are_accepted()
    {
        var content = TarFixtures.Padded("abc"u8.ToArray());
        var tar = TarFixtures.Concat(TarFixtures.Header("f", (byte)'0', 3), content);
        var entry = Assert.Single(await ReadAllAsync(tar));
        Assert.Equal("abc", entry.Content);
    }

    [Fact]
    public async Task Stream_ending_inside_the_last_padding_is_accepted_as_umoci_insert_writes_it()
    {
        // umoci 0.4.7 `insert`: the last file's 3 data bytes, then nothing (no padding, no end blocks).
        var tar = TarFixtures.Concat(TarFixtures.Header("opt/", (byte)'5', 0), TarFixtures.Header("opt/hello", (byte)'0', 3), "hi\n"u8.ToArray());
        var entries = await ReadAllAsync(tar);
        Assert.Equal(["opt", "opt/hello"], entries.Select(e => e.Entry.Path));
        Assert.Equal("hi\n", entries[1].Content);
    }

    [Fact]
    public async Task Corrupt_checksum_fails_the_layer()
    {
        var header = TarFixtures.Header("f", (byte)'0', 0);
        header[0] ^= 0x20;
        var error = await Assert.ThrowsAsync<LayerFormatException>(() => ReadAllAsync(TarFixtures.Concat(header, new byte[1024])));
        Assert.Contains("checksum", error.Message);
    }

    [Fact]
    public async Task Sparse_entries_are_refused()
    {
        var tar = TarFixtures.Concat(TarFixtures.Header("s", (byte)'S', 0), new byte[1024]);
        var error = await Assert.ThrowsAsync<LayerFormatException>(() => ReadAllAsync(tar));
        Assert.Contains("unsupported tar entry type", error.Message);
    }

    [Fact]
    public async Task Unread_file_content_is_skipped_when_moving_on()
    {
        var tar = TarFixtures.Build(TarEntryFormat.Pax, w =>
        {
            TarFixtures.AddFile(w, "one", new string('1', 5000));
            TarFixtures.AddFile(w, "two", "2");
        });

        await using var reader = new LayerTarReader(new MemoryStream(tar), Limits);
        Assert.Equal("one", (await reader.NextAsync(default))!.Path);
        var second = await reader.NextAsync(default);
        Assert.Equal("two", second!.Path);
        Assert.Equal("2", await new StreamReader(reader.OpenContent()).ReadToEndAsync());
        Assert.Null(await reader.NextAsync(default));
    }

    internal static async Task<List<(LayerEntry Entry, string Content)>> ReadAllAsync(byte[] tar)
    {
        var result = new List<(LayerEntry, string)>();
        await using var reader = new LayerTarReader(new MemoryStream(tar), Limits);
        while (await reader.NextAsync(default) is { } entry)
        {
            result.Add((entry, await new StreamReader(reader.OpenContent()).ReadToEndAsync()));
        }

        return result;
    }
}
