namespace Strata.Publish.Trees;

/// <summary>What an <see cref="FsNode"/> is.</summary>
public enum FsNodeType
{
    Directory,
    File,
    Symlink,

    /// <summary>Character or block device, FIFO or socket (the type is in the mode bits).</summary>
    Special,
}
