using Strata.Cvmfs.Objects;

namespace Strata.Cvmfs.Reading;

/// <summary>
/// Fetches objects from an <see cref="IRepositorySource"/> and hands out their content only after the
/// stored bytes hashed to the object's name. Size limits are enforced on both the stored and the
/// decoded bytes.
/// </summary>
public sealed class ObjectFetcher
{
    private readonly IRepositorySource _source;
    private readonly ObjectFetcherOptions _options;

    public ObjectFetcher(IRepositorySource source, ObjectFetcherOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
        _options = options ?? new ObjectFetcherOptions();
    }

    /// <summary>The source objects come from.</summary>
    public IRepositorySource Source => _source;

    /// <summary>
    /// Fetches and verifies <paramref name="id"/>, then returns a stream of its decoded content.
    /// With <paramref name="expectedSize"/> the content must be exactly that long; otherwise at most
    /// <paramref name="maxSize"/>. Any violation surfaces as <see cref="CvmfsVerificationException"/>.
    /// </summary>
    public async Task<Stream> OpenAsync(ObjectId id, ObjectCompression compression, long maxSize, long? expectedSize, CancellationToken cancellationToken)
    {
        var path = id.Path;
        var limit = expectedSize ?? maxSize;
        Stream spool;
        var raw = await _source.OpenReadAsync(path, cancellationToken).ConfigureAwait(false);
        await using (raw.ConfigureAwait(false))
        {
            spool = await ObjectSpool.FillAndVerifyAsync(raw, id.Hash, ObjectDecoder.MaxStoredSize(limit, compression), _options.MemorySpoolThreshold, _options.TemporaryDirectory, path, cancellationToken).ConfigureAwait(false);
        }

        return ObjectDecoder.OpenRead(spool, compression, maxSize, expectedSize, path);
    }

    /// <summary>Fetches, verifies and decodes a small object into memory.</summary>
    public async Task<byte[]> ReadAllAsync(ObjectId id, ObjectCompression compression, int maxSize, CancellationToken cancellationToken)
    {
        var content = await OpenAsync(id, compression, maxSize, null, cancellationToken).ConfigureAwait(false);
        await using (content.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            await content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }
    }

    /// <summary>
    /// Fetches, verifies and decodes an object into <paramref name="destinationPath"/> (written to a
    /// temporary name first, so the file exists only when complete). Used for SQLite databases.
    /// </summary>
    public async Task FetchToFileAsync(ObjectId id, string destinationPath, long maxSize, CancellationToken cancellationToken)
    {
        var temporary = destinationPath + ".part-" + Guid.NewGuid().ToString("N");
        try
        {
            var content = await OpenAsync(id, ObjectCompression.Zlib, maxSize, null, cancellationToken).ConfigureAwait(false);
            await using (content.ConfigureAwait(false))
            {
                var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
                await using (file.ConfigureAwait(false))
                {
                    await content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                }
            }

            File.Move(temporary, destinationPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Reads a small unaddressed repository file (manifest, whitelist) with a size limit.</summary>
    public async Task<byte[]> ReadRootFileAsync(string name, int maxSize, CancellationToken cancellationToken)
    {
        var raw = await _source.OpenReadAsync(name, cancellationToken).ConfigureAwait(false);
        await using (raw.ConfigureAwait(false))
        {
            var bounded = new BoundedReadStream(raw, maxSize, null, name, leaveOpen: true);
            using var buffer = new MemoryStream();
            await bounded.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }
    }
}
