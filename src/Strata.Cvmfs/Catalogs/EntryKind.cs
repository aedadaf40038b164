namespace Strata.Cvmfs.Catalogs;

/// <summary>What a catalog entry is, decided from its flags the way cvmfs does (directory first, then link, special, regular).</summary>
public enum EntryKind
{
    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A regular file.</summary>
    File,

    /// <summary>A symbolic link.</summary>
    Symlink,

    /// <summary>A device node, FIFO or socket.</summary>
    Special,
}
