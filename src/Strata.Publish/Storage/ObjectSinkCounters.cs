namespace Strata.Publish.Storage;

/// <summary>What a <see cref="DriverObjectSink"/> did: objects written, and objects it found already stored.</summary>
/// <param name="ObjectsStored">Objects written to the driver.</param>
/// <param name="BytesStored">Stored (compressed) bytes written.</param>
/// <param name="ObjectsDeduplicated">Objects not written because they were already stored (content addressing).</param>
/// <param name="BytesDeduplicated">Stored bytes of those.</param>
public sealed record ObjectSinkCounters(long ObjectsStored, long BytesStored, long ObjectsDeduplicated, long BytesDeduplicated);
