namespace Strata.Publish.Trees;

/// <summary>POSIX file type bits and device numbers as Linux encodes them.</summary>
public static class UnixMode
{
    public const uint TypeMask = 0xF000;
    public const uint Fifo = 0x1000;
    public const uint CharacterDevice = 0x2000;
    public const uint Directory = 0x4000;
    public const uint BlockDevice = 0x6000;
    public const uint Regular = 0x8000;
    public const uint Symlink = 0xA000;
    public const uint Socket = 0xC000;

    /// <summary>glibc's <c>makedev</c>: what <c>st_rdev</c> holds for a device node.</summary>
    public static long MakeDevice(int major, int minor)
    {
        var ma = (ulong)(uint)major;
        var mi = (ulong)(uint)minor;
        return (long)(((ma & 0xFFFFF000UL) << 32) | ((ma & 0xFFFUL) << 8) | ((mi & 0xFFFFFF00UL) << 12) | (mi & 0xFFUL));
    }

    /// <summary>glibc's <c>major</c>.</summary>
    public static int Major(long device) => (int)((((ulong)device >> 32) & 0xFFFFF000UL) | (((ulong)device >> 8) & 0xFFFUL));

    /// <summary>glibc's <c>minor</c>.</summary>
    public static int Minor(long device) => (int)((((ulong)device >> 12) & 0xFFFFFF00UL) | ((ulong)device & 0xFFUL));
}
