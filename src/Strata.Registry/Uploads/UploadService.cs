using Microsoft.Extensions.Options;
using Strata.Metadata.Contracts;
using Strata.Oci.Digests;
using Strata.Oci.Errors;
using Strata.Registry.Gc;
using Strata.Storage;
using Strata.Storage.Drivers;

namespace Strata.Registry.Uploads;

/// <summary>
/// Blob uploads: monolithic, POST-then-PUT and chunked, resumable across restarts.
/// Decisions:
/// <list type="bullet">
/// <item>The stored upload data is the truth for how many bytes were accepted (a crash between
/// writing and recording leaves valid bytes the client sent; the status tells it where to resume).</item>
/// <item>Bytes are hashed while written; the hash is rebuilt from storage only when the in-memory
/// state is missing (restart, other replica) or an unexpected algorithm is asked for at the end.</item>
/// <item>A digest mismatch at the end discards the whole upload: nothing of it stays behind.</item>
/// </list>
/// </summary>
public sealed partial class UploadService(
    IBlobDriver driver,
    IUploadSessionStore sessions,
    IBlobLinkStore links,
    UploadStates states,
    TimeProvider time,
    IOptions<GcOptions> gcOptions)
{
    public async Task<UploadSession> StartAsync(string repository, DigestAlgorithm algorithm, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var session = new UploadSession(Guid.NewGuid(), repository, 0, now, now);
        await sessions.CreateUploadAsync(session, cancellationToken).ConfigureAwait(false);
        states.Start(session.Id, algorithm);
        return session;
    }

    /// <summary>Bytes accepted so far; BLOB_UPLOAD_UNKNOWN when there is no such upload in the repository.</summary>
    public async Task<long> GetSizeAsync(string repository, Guid id, CancellationToken cancellationToken)
    {
        await RequireSessionAsync(repository, id, cancellationToken).ConfigureAwait(false);
        return await StoredSizeAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Appends one chunk. <paramref name="range"/> (from Content-Range) must start where the data
    /// ends, otherwise 416 and nothing is written.
    /// </summary>
    public async Task<long> AppendAsync(string repository, Guid id, Stream body, ChunkRange? range, long? contentLength, CancellationToken cancellationToken)
    {
        await RequireSessionAsync(repository, id, cancellationToken).ConfigureAwait(false);
        var state = await states.EnterAsync(id, cancellationToken).ConfigureAwait(false);
        try
        {
            var size = await StoredSizeAsync(id, cancellationToken).ConfigureAwait(false);
            CheckRange(range, contentLength, size);
            size = await AppendLockedAsync(id, state, body, size, cancellationToken).ConfigureAwait(false);
            await sessions.UpdateUploadAsync(id, size, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return size;
        }
        finally
        {
            states.Exit(state);
        }
    }

    /// <summary>Cancels an upload and removes its data.</summary>
    public async Task CancelAsync(string repository, Guid id, CancellationToken cancellationToken)
    {
        await RequireSessionAsync(repository, id, cancellationToken).ConfigureAwait(false);
        await DiscardAsync(id, cancellationToken).ConfigureAwait(false);
    }

    private async Task<long> AppendLockedAsync(Guid id, UploadState state, Stream body, long size, CancellationToken cancellationToken)
    {
        await EnsureHashAtAsync(id, state, state.Algorithm, size, cancellationToken).ConfigureAwait(false);
        var hashing = new DigestingStream(body, state.Hash!);
        try
        {
            await using var writer = await driver.OpenWriterAsync(BlobPaths.UploadData(id), append: size > 0, cancellationToken).ConfigureAwait(false);
            await StreamPump.CopyAsync(hashing, writer, cancellationToken).ConfigureAwait(false);
            await writer.CommitAsync(cancellationToken).ConfigureAwait(false);
            state.HashedBytes = writer.Size;
            return writer.Size;
        }
        catch
        {
            // The hash consumed bytes that may not all be stored: rebuild it next time.
            state.Invalidate();
            throw;
        }
    }

    /// <summary>Brings the running hash to exactly <paramref name="size"/> stored bytes, reading them back if needed.</summary>
    private async Task EnsureHashAtAsync(Guid id, UploadState state, DigestAlgorithm algorithm, long size, CancellationToken cancellationToken)
    {
        if (state.Hash is not null && state.Algorithm == algorithm && state.HashedBytes == size)
        {
            return;
        }

        state.Reset(algorithm);
        if (size > 0)
        {
            await using var stored = await driver.OpenReadAsync(BlobPaths.UploadData(id), 0, cancellationToken).ConfigureAwait(false);
            await StreamPump.HashAsync(stored, state.Hash!, size, cancellationToken).ConfigureAwait(false);
        }

        state.HashedBytes = size;
    }

    private static void CheckRange(ChunkRange? range, long? contentLength, long size)
    {
        if (range is not { } r)
        {
            return;
        }

        if (r.Start != size)
        {
            throw new RegistryException(OciErrorCode.RangeInvalid, $"chunk starts at {r.Start} but the upload has {size} bytes", new { size });
        }

        if (contentLength is { } length && length != r.Length)
        {
            throw new RegistryException(OciErrorCode.RangeInvalid, $"Content-Range covers {r.Length} bytes but Content-Length is {length}", new { size });
        }
    }

    private async Task<UploadSession> RequireSessionAsync(string repository, Guid id, CancellationToken cancellationToken) =>
        await sessions.GetUploadAsync(repository, id, cancellationToken).ConfigureAwait(false)
        ?? throw new RegistryException(OciErrorCode.BlobUploadUnknown, detail: new { uuid = id.ToString("N") });

    private async Task<long> StoredSizeAsync(Guid id, CancellationToken cancellationToken) =>
        (await driver.StatAsync(BlobPaths.UploadData(id), cancellationToken).ConfigureAwait(false))?.Size ?? 0;

    private async Task DiscardAsync(Guid id, CancellationToken cancellationToken)
    {
        await driver.DeleteAsync(BlobPaths.Upload(id), cancellationToken).ConfigureAwait(false);
        await sessions.DeleteUploadAsync(id, cancellationToken).ConfigureAwait(false);
        states.Remove(id);
    }
}
