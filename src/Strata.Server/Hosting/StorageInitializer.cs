using Microsoft.Extensions.Hosting;
using Strata.Metadata.Contracts;
using Strata.Metadata.Postgres;
using Strata.Storage.Drivers;
using Strata.Storage.FileSystem;
using Strata.Storage.S3;

namespace Strata.Server.Hosting;

/// <summary>
/// Runs before the server accepts requests (hosted services start before Kestrel): creates the
/// data folder, migrates (or, with <c>Metadata:MigrateAtStart=false</c>, checks) the metadata schema,
/// checks that the S3 bucket answers, and removes temporary debris a crash left behind. A backend
/// that refuses fails the start with a <see cref="StrataStartException"/> saying what to fix.
/// </summary>
internal sealed class StorageInitializer(string dataDirectory, MetadataOptions metadata, IMetadataStore store, IBlobDriver driver) : IHostedService
{
    /// <summary>
    /// Multipart uploads older than this were left by a dead process: no single request (one chunk of
    /// an upload, one put) runs for a day, and uploads in flight on other replicas are younger.
    /// </summary>
    private static readonly TimeSpan StaleUploadAge = TimeSpan.FromDays(1);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        await InitializeMetadataAsync(cancellationToken).ConfigureAwait(false);
        switch (driver)
        {
            case FileSystemBlobDriver fileSystem:
                await fileSystem.CleanTemporaryFilesAsync(TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                break;
            case S3BlobDriver s3:
                await CheckBucketAsync(s3, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task InitializeMetadataAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (store is PostgresMetadataStore postgres && !metadata.MigrateAtStart)
            {
                await postgres.InitializeWithoutMigratingAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (MetadataSchemaOutdatedException e)
        {
            throw new StrataStartException(e.Message, e);
        }
        catch (MetadataStoreUnavailableException e)
        {
            throw new StrataStartException($"The PostgreSQL metadata store cannot be reached (check Metadata:ConnectionString and that the server runs): {e.InnerException?.Message ?? e.Message}", e);
        }
        catch (Npgsql.PostgresException e)
        {
            // Not transient: wrong password, missing database, no rights.
            throw new StrataStartException($"The PostgreSQL metadata store refused: {e.SqlState} {e.MessageText}", e);
        }
    }

    private static async Task CheckBucketAsync(S3BlobDriver s3, CancellationToken cancellationToken)
    {
        try
        {
            await s3.VerifyAccessAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (S3StorageException e)
        {
            throw new StrataStartException(
                $"The S3 bucket '{s3.Options.Bucket}' at {s3.Options.ServiceUrl ?? "AWS " + s3.Options.Region} cannot be used (check Storage:S3 endpoint, bucket and credentials): {e.Message}", e);
        }

        await s3.AbortStaleUploadsAsync(StaleUploadAge, cancellationToken).ConfigureAwait(false);
    }
}
