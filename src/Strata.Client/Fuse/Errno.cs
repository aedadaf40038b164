namespace Strata.Client.Fuse;

/// <summary>Linux errno values returned to the kernel (negated in the reply header).</summary>
internal static class Errno
{
    public const int EPerm = 1;
    public const int ENoEnt = 2;
    public const int EIntr = 4;
    public const int EIo = 5;
    public const int EBadF = 9;
    public const int EAgain = 11;
    public const int EAcces = 13;
    public const int ENoDev = 19;
    public const int ENotDir = 20;
    public const int EIsDir = 21;
    public const int EInval = 22;
    public const int ERoFs = 30;
    public const int ERange = 34;
    public const int ENoSys = 38;
    public const int ENoData = 61;
}
