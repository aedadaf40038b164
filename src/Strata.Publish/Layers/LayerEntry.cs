namespace Strata.Publish.Layers;

/// <summary>
/// One entry of a layer, with its path normalized (relative, no <c>./</c> prefix, no trailing
/// slash, no <c>.</c> or <c>..</c> components) and every PAX/GNU extension applied.
/// </summary>
public sealed record LayerEntry(
    string Path,
    LayerEntryType Type,
    int Mode,
    long Uid,
    long Gid,
    long Size,
    long MtimeSeconds,
    int MtimeNanoseconds,
    string? LinkTarget,
    IReadOnlyDictionary<string, byte[]>? Xattrs,
    int DeviceMajor,
    int DeviceMinor);
