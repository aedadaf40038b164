using Microsoft.Extensions.Hosting;
using Strata.Metadata.Contracts;
using Strata.Storage.Drivers;
using Strata.Storage.FileSystem;

namespace Strata.Server.Hosting;

/// <summary>
/// Runs before the server accepts requests (hosted services start before Kestrel): creates the
/// data folder, migrates the metadata schema and removes temporary debris a crash left behind.
/// </summary>
internal sealed class StorageInitializer(string dataDirectory, IMetadataStore store, IBlobDriver driver) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        if (driver is FileSystemBlobDriver fileSystem)
        {
            await fileSystem.CleanTemporaryFilesAsync(TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
