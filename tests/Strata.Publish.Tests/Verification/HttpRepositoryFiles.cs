using System.Net;

namespace Strata.Publish.Tests.Verification;

/// <summary>A repository served over HTTP (<c>http://host/cvmfs/&lt;fqrn&gt;/</c>), as a client fetches it.</summary>
internal sealed class HttpRepositoryFiles(HttpClient http, Uri repositoryUrl) : IRepositoryFiles
{
    public async Task<byte[]?> GetAsync(string relativePath, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(repositoryUrl, relativePath), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }
}
