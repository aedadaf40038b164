using Strata.Client.Cache;
using Strata.Client.Network;
using Strata.Cvmfs;
using Strata.Cvmfs.Reading;

namespace Strata.Client.Repository;

/// <summary>Finding, verifying and accepting a revision.</summary>
public sealed partial class RepositoryClient
{
    /// <summary>
    /// Asks the mirrors in order for their manifest and accepts the first that verifies and is not
    /// older than the newest revision ever accepted. Returns null when nothing newer than
    /// <paramref name="current"/> is available. Without any mirror answering, falls back to the last
    /// verified manifest in the cache (offline mode): it is verified again, so it is accepted only
    /// while its whitelist is still valid (cvmfs behaves the same way).
    /// </summary>
    private static async Task<RevisionView?> LoadNewestAsync(ClientOptions options, ObjectCache cache, HttpFetcher fetcher, RepositoryState state, RevisionView? current, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var start = fetcher.CurrentMirror;
        var reachedAny = false;
        for (var i = 0; i < fetcher.Mirrors.Count; i++)
        {
            var mirror = (start + i) % fetcher.Mirrors.Count;
            byte[] manifest, whitelist;
            try
            {
                // Both at once: one round trip to the mirror instead of two before anything is verified.
                var manifestDownload = DownloadRootFileAsync(fetcher, ".cvmfspublished", mirror, cancellationToken);
                var whitelistDownload = DownloadRootFileAsync(fetcher, ".cvmfswhitelist", mirror, cancellationToken);
                await Task.WhenAll(manifestDownload, whitelistDownload).ConfigureAwait(false);
                manifest = await manifestDownload.ConfigureAwait(false);
                whitelist = await whitelistDownload.ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or CvmfsNotFoundException)
            {
                problems.Add($"{fetcher.Mirrors[mirror]}: {e.Message}");
                continue;
            }

            reachedAny = true;
            var newest = state.NewestRevision;
            long revision;
            try
            {
                revision = Strata.Cvmfs.Manifest.SignedManifest.Parse(manifest).Manifest.Revision;
            }
            catch (CvmfsFormatException e)
            {
                problems.Add($"{fetcher.Mirrors[mirror]}: {e.Message}");
                continue;
            }

            // Refuse a rollback before trusting anything else from this mirror (cvmfs does the same
            // with the revision it has cached): a stale mirror or proxy must not take files back in time.
            if (revision < newest)
            {
                problems.Add($"{fetcher.Mirrors[mirror]}: serves revision {revision}, older than revision {newest} already seen");
                continue;
            }

            if (current is not null && revision == current.ManifestRevision)
            {
                return null;
            }

            try
            {
                var view = await OpenViewAsync(options, cache, fetcher, manifest, whitelist, mirror, offline: false, cancellationToken).ConfigureAwait(false);
                if (view.ManifestRevision != revision)
                {
                    await view.ReleaseAsync().ConfigureAwait(false);
                    throw new CvmfsVerificationException(VerificationFailure.CatalogMismatch, "The manifest changed while it was verified.");
                }

                state.Accept(revision, manifest, whitelist);
                return view;
            }
            catch (Exception e) when (e is CvmfsVerificationException or CvmfsFormatException or CvmfsNotFoundException or IOException)
            {
                problems.Add($"{fetcher.Mirrors[mirror]}: {e.Message}");
            }
        }

        if (current is not null)
        {
            // Keep the revision being served; the caller retries later.
            throw new RepositoryUnavailableException("No newer acceptable revision: " + string.Join("; ", problems));
        }

        if (!reachedAny && state.LastEnsemble is { } cached)
        {
            try
            {
                return await OpenViewAsync(options, cache, fetcher, cached.Manifest, cached.Whitelist, -1, offline: true, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is CvmfsVerificationException or CvmfsFormatException or CvmfsNotFoundException or IOException)
            {
                problems.Add($"cached manifest: {e.Message}");
            }
        }

        throw new RepositoryUnavailableException($"No acceptable revision of {options.Fqrn}: " + string.Join("; ", problems));
    }

    private static async Task<RevisionView> OpenViewAsync(ClientOptions options, ObjectCache cache, HttpFetcher fetcher, byte[] manifest, byte[] whitelist, int mirror, bool offline, CancellationToken cancellationToken)
    {
        var source = new EnsembleSource(manifest, whitelist, cache, fetcher);
        var readerOptions = new RepositoryReaderOptions
        {
            RepositoryName = options.Fqrn,
            MasterKeys = options.MasterKeys,
            Tag = options.Tag,
            TimeProvider = options.TimeProvider,
            WorkDirectory = cache.WorkDirectory,
            SymlinkVariables = options.SymlinkVariables,
        };
        try
        {
            var reader = await RepositoryReader.OpenAsync(source, readerOptions, cancellationToken).ConfigureAwait(false);
            return new RevisionView(reader, source, mirror, offline, options.TimeProvider.GetUtcNow());
        }
        catch
        {
            source.ReleasePins();
            throw;
        }
    }

    private static async Task<byte[]> DownloadRootFileAsync(HttpFetcher fetcher, string name, int mirror, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await fetcher.DownloadAsync(name, null, MaxSignedFile, buffer, mirror, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }
}
