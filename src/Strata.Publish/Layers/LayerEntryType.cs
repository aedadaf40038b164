namespace Strata.Publish.Layers;

/// <summary>The kinds of entries a layer tar may hold (after PAX/GNU metadata entries are folded in).</summary>
public enum LayerEntryType
{
    File,
    Directory,
    Symlink,
    Hardlink,
    CharacterDevice,
    BlockDevice,
    Fifo,
}
