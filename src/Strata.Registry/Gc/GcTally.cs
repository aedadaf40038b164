namespace Strata.Registry.Gc;

/// <summary>Counts and (bounded) item lists of one run, shared by its concurrent loops.</summary>
internal sealed class GcTally
{
    private readonly Lock _gate = new();
    private readonly List<string> _manifests = [];
    private readonly List<string> _blobs = [];
    private readonly List<string> _uploads = [];
    private readonly List<string> _orphans = [];

    public long ManifestsDeleted { get; private set; }
    public long BlobsDeleted { get; private set; }
    public long LinksPruned { get; private set; }
    public long UploadsExpired { get; private set; }
    public long OrphansDeleted { get; private set; }
    public long BytesFreed { get; private set; }

    public bool Anything => ManifestsDeleted + BlobsDeleted + LinksPruned + UploadsExpired + OrphansDeleted > 0;

    public void Manifest(string item) => Add(_manifests, item, () => ManifestsDeleted++);

    public void Blob(string item, long size) => Add(_blobs, item, () =>
    {
        BlobsDeleted++;
        BytesFreed += size;
    });

    public void Links(int pruned)
    {
        lock (_gate)
        {
            LinksPruned += pruned;
        }
    }

    public void Upload(string item) => Add(_uploads, item, () => UploadsExpired++);

    public void Orphan(string item, long size) => Add(_orphans, item, () =>
    {
        OrphansDeleted++;
        BytesFreed += size;
    });

    public GcReport ToReport(long id, GcRunRequest request, DateTimeOffset started, DateTimeOffset finished, string status, string? error, bool complete)
    {
        lock (_gate)
        {
            return new GcReport(
                id, request, started, finished, status, error,
                ManifestsDeleted, BlobsDeleted, LinksPruned, UploadsExpired, OrphansDeleted, BytesFreed, complete,
                [.. _manifests], [.. _blobs], [.. _uploads], [.. _orphans]);
        }
    }

    private void Add(List<string> list, string item, Action count)
    {
        lock (_gate)
        {
            count();
            if (list.Count < GarbageCollector.MaxListedItems)
            {
                list.Add(item);
            }
        }
    }
}
