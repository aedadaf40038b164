using Strata.Cvmfs.Reading;

namespace Strata.Cvmfs.Tests.Support;

/// <summary>A repository source backed by a dictionary of path → bytes.</summary>
internal sealed class InMemorySource(IReadOnlyDictionary<string, byte[]> files) : IRepositorySource
{
    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken) =>
        files.TryGetValue(path, out var bytes)
            ? Task.FromResult<Stream>(new MemoryStream(bytes, writable: false))
            : throw new CvmfsNotFoundException(path);
}
