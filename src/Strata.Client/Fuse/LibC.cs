using System.Runtime.InteropServices;

namespace Strata.Client.Fuse;

/// <summary>The few libc calls the FUSE client needs: no native library beyond libc.</summary>
internal static unsafe partial class LibC
{
    public const int ORdWr = 2;
    public const int OCloExec = 0x80000;
    public const ulong MsRdOnly = 1;
    public const ulong MsNoSuid = 2;
    public const ulong MsNoDev = 4;
    public const int MntDetach = 2;

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "mount", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Mount(string source, string target, string fileSystemType, ulong flags, string data);

    [LibraryImport("libc", EntryPoint = "umount2", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Umount2(string target, int flags);

    [LibraryImport("libc", EntryPoint = "statfs", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int StatFs(string path, byte[] buffer);

    [LibraryImport("libc", EntryPoint = "getuid")]
    public static partial uint GetUid();

    [LibraryImport("libc", EntryPoint = "getgid")]
    public static partial uint GetGid();

    [LibraryImport("libc", EntryPoint = "lchown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int LChown(string path, uint uid, uint gid);

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Link(string existing, string created);

    [LibraryImport("libc", EntryPoint = "lsetxattr", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int LSetXattr(string path, string name, byte[] value, nint size, int flags);

    [LibraryImport("libc", EntryPoint = "utimensat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int UtimensAt(int directory, string path, long[] times, int flags);
}
