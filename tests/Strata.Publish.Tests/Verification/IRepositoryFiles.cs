namespace Strata.Publish.Tests.Verification;

/// <summary>Where the independent verifier reads a repository's files from (a Stratum 0 directory, or HTTP).</summary>
internal interface IRepositoryFiles
{
    /// <summary>The bytes of a repository-relative path (<c>.cvmfspublished</c>, <c>data/ab/…</c>), or null when absent.</summary>
    Task<byte[]?> GetAsync(string relativePath, CancellationToken cancellationToken);
}
