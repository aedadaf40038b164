using Strata.Storage.Drivers;
using Strata.Storage.FileSystem;
using Strata.Storage.Tests.Conformance;
using Strata.Storage.Tests.Support;

namespace Strata.Storage.Tests.FileSystem;

/// <summary>The conformance suite on a fresh temporary folder, plus what only a filesystem has.</summary>
public sealed class FileSystemBlobDriverTests : BlobDriverConformanceTests
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "strata-fs-driver-" + Guid.NewGuid().ToString("N"));

    private string TemporaryDirectory => Path.Combine(_root, FileSystemBlobDriver.TemporaryFolder);

    protected override IBlobDriver CreateDriver() => new FileSystemBlobDriver(_root);

    [Fact]
    public void Name_is_filesystem()
    {
        Assert.Equal("filesystem", Driver.Name);
    }

    [Fact]
    public async Task Objects_are_files_at_their_path_under_the_root()
    {
        await PutAsync("blobs/sha256/ab/abcdef", [1, 2, 3]);

        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(Path.Combine(_root, "blobs", "sha256", "ab", "abcdef"), Ct));
    }

    [Theory]
    [InlineData("_tmp")]
    [InlineData("_tmp/x")]
    [InlineData("_TMP/x")]
    public async Task Paths_in_the_temporary_folder_are_rejected(string path)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Driver.PutAsync(path, new MemoryStream([1]), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Driver.DeleteAsync(path, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Driver.StatAsync(path, Ct));
    }

    [Fact]
    public async Task Paths_merely_starting_with_tmp_are_allowed()
    {
        await PutAsync("_tmpx/object", [1]);
        await PutAsync("a/_tmp/object", [2]);

        Assert.Equal([1], await ReadAllAsync("_tmpx/object"));
        Assert.Equal([2], await ReadAllAsync("a/_tmp/object"));
    }

    [Fact]
    public async Task Put_leaves_no_temporary_file_behind()
    {
        await PutAsync("object", Pattern(1000));
        using var failing = new FailingStream(new PatternStream(100_000), failAfter: 50_000);
        await Assert.ThrowsAsync<IOException>(() => Driver.PutAsync("other", failing, Ct));

        Assert.Empty(Directory.EnumerateFileSystemEntries(TemporaryDirectory));
    }

    [Fact]
    public async Task Clean_temporary_files_removes_crash_debris_and_keeps_objects()
    {
        await PutAsync("blobs/object", [1]);
        Directory.CreateDirectory(Path.Combine(TemporaryDirectory, "stray-folder"));
        await File.WriteAllBytesAsync(Path.Combine(TemporaryDirectory, "0123abcd"), [1, 2], Ct);
        await File.WriteAllBytesAsync(Path.Combine(TemporaryDirectory, "stray-folder", "x"), [3], Ct);

        var removed = await FileSystemDriver.CleanTemporaryFilesAsync(TimeSpan.Zero, Ct);

        Assert.Equal(2, removed);
        Assert.Empty(Directory.EnumerateFileSystemEntries(TemporaryDirectory));
        Assert.Equal([1], await ReadAllAsync("blobs/object"));
    }

    [Fact]
    public async Task Clean_temporary_files_keeps_files_younger_than_the_minimum_age()
    {
        Directory.CreateDirectory(TemporaryDirectory);
        var old = Path.Combine(TemporaryDirectory, "old");
        var fresh = Path.Combine(TemporaryDirectory, "fresh");
        await File.WriteAllBytesAsync(old, [1], Ct);
        await File.WriteAllBytesAsync(fresh, [2], Ct);
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddHours(-2));

        var removed = await FileSystemDriver.CleanTemporaryFilesAsync(TimeSpan.FromHours(1), Ct);

        Assert.Equal(1, removed);
        Assert.False(File.Exists(old));
        Assert.True(File.Exists(fresh));
    }

    [Fact]
    public async Task Clean_temporary_files_without_a_temporary_folder_removes_nothing()
    {
        Assert.Equal(0, await FileSystemDriver.CleanTemporaryFilesAsync(TimeSpan.Zero, Ct));
    }

    [Fact]
    public async Task Clean_temporary_files_refuses_a_negative_age()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => FileSystemDriver.CleanTemporaryFilesAsync(TimeSpan.FromSeconds(-1), Ct));
    }

    [Fact]
    public async Task Writer_with_append_on_a_missing_object_starts_it()
    {
        await using (var writer = await Driver.OpenWriterAsync("uploads/new/data", append: true, Ct))
        {
            Assert.Equal(0, writer.Size);
            await writer.WriteAsync(new byte[] { 5 }, Ct);
            await writer.CommitAsync(Ct);
        }

        Assert.Equal([5], await ReadAllAsync("uploads/new/data"));
    }

    [Fact]
    public async Task Writer_refuses_writes_after_commit()
    {
        await using var writer = await Driver.OpenWriterAsync("object", append: false, Ct);
        await writer.CommitAsync(Ct);

        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteAsync(new byte[] { 1 }, Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.CommitAsync(Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.CancelAsync(Ct));
    }

    [Fact]
    public async Task Writer_disposed_without_commit_keeps_what_it_wrote()
    {
        // Uploads may keep uncommitted trailing bytes; the upload layer trusts the stored size.
        await using (var writer = await Driver.OpenWriterAsync("uploads/1/data", append: false, Ct))
        {
            await writer.WriteAsync(new byte[] { 1, 2 }, Ct);
        }

        Assert.Equal(2, (await Driver.StatAsync("uploads/1/data", Ct))!.Size);
    }

    [Fact]
    public async Task Written_bytes_are_visible_before_commit()
    {
        // Documents the in-place design: writers are for upload data, never for committed objects.
        await using var writer = await Driver.OpenWriterAsync("uploads/1/data", append: false, Ct);
        await writer.WriteAsync(new byte[] { 1, 2, 3 }, Ct);

        Assert.Equal(3, (await Driver.StatAsync("uploads/1/data", Ct))!.Size);
        await writer.CommitAsync(Ct);
    }

    [Fact]
    public void Constructor_refuses_an_empty_root()
    {
        Assert.ThrowsAny<ArgumentException>(() => new FileSystemBlobDriver(" "));
    }

    [Fact]
    public void Root_directory_is_absolute_without_a_trailing_separator()
    {
        var driver = new FileSystemBlobDriver(_root + Path.DirectorySeparatorChar);

        Assert.Equal(_root, driver.RootDirectory);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

        base.Dispose(disposing);
    }

    private FileSystemBlobDriver FileSystemDriver => (FileSystemBlobDriver)Driver;
}
