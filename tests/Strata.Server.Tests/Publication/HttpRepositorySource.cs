using System.Net;
using Strata.Cvmfs;
using Strata.Cvmfs.Reading;

namespace Strata.Server.Tests.Publication;

/// <summary>Reads a CernVM-FS repository over plain HTTP, as a stock client would (no shortcuts into the data folder).</summary>
internal sealed class HttpRepositorySource(HttpClient http, string repositoryUrl) : IRepositorySource
{
    public async Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        var response = await http.GetAsync($"{repositoryUrl.TrimEnd('/')}/{path}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            response.Dispose();
            throw new CvmfsNotFoundException(path);
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStreamAsync(cancellationToken);
    }
}
