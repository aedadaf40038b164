namespace Strata.Storage.Drivers;

/// <summary>The path named does not exist in the driver.</summary>
public sealed class StoredObjectNotFoundException(string driver, string path)
    : Exception($"{driver}: object '{path}' not found")
{
    public string Path { get; } = path;
}
