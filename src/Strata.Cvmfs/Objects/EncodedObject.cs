namespace Strata.Cvmfs.Objects;

/// <summary>The result of encoding content into an object.</summary>
/// <param name="Hash">Hash of the stored bytes: the object's name.</param>
/// <param name="ContentSize">Size of the content before compression (the catalog <c>size</c>).</param>
/// <param name="StoredSize">Size of the stored bytes.</param>
public sealed record EncodedObject(ContentHash Hash, long ContentSize, long StoredSize);
