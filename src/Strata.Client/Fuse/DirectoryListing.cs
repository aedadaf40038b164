using Strata.Client.Repository;
using Strata.Cvmfs.Reading;

namespace Strata.Client.Fuse;

/// <summary>A directory's entries as of OPENDIR, so READDIR offsets stay stable while a new revision arrives.</summary>
internal sealed record DirectoryListing(FsNode Directory, IReadOnlyList<RepositoryEntry> Entries, RevisionView View);
