// FUSE mounts, HTTP servers and process kills do not mix well in parallel on a 2-core CI machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
