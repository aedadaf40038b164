namespace Strata.Publish.Tests.Verification;

/// <summary>A repository as a directory on disk (what the filesystem blob driver holds under <c>cvmfs/&lt;fqrn&gt;</c>).</summary>
internal sealed class DirectoryRepositoryFiles(string root) : IRepositoryFiles
{
    public async Task<byte[]?> GetAsync(string relativePath, CancellationToken cancellationToken)
    {
        var path = Path.Combine(root, relativePath);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken) : null;
    }
}
