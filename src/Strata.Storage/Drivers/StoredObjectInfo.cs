namespace Strata.Storage.Drivers;

/// <summary>What a driver knows about one stored object.</summary>
public sealed record StoredObjectInfo(string Path, long Size, DateTimeOffset LastModified);
