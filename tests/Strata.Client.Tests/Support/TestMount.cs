using Strata.Client.Cache;
using Strata.Client.Fuse;
using Strata.Client.Hosting;
using Strata.Client.Network;
using Strata.Client.Repository;

namespace Strata.Client.Tests.Support;

/// <summary>
/// An in-process FUSE mount of a repository for one test. Teardown always detaches the mount and
/// aborts the connection, with every wait bounded, so a failing test never leaves CI hanging.
/// </summary>
internal sealed class TestMount : IAsyncDisposable
{
    private TestMount(RepositoryClient client, FuseMount fuse)
    {
        Client = client;
        Fuse = fuse;
    }

    public RepositoryClient Client { get; }

    public FuseMount Fuse { get; }

    public string Path => Fuse.Mountpoint;

    public string this[string repositoryPath] => System.IO.Path.Combine(Path, repositoryPath.TrimStart('/'));

    public static ClientOptions Options(string urls, string cache, Func<ClientOptions, ClientOptions>? adjust = null)
    {
        var options = new ClientOptions
        {
            Mirrors = RepositoryAddress.ParseList(urls),
            MasterKeys = MasterKeys.Load(TestVectors.MasterKeyFile),
            Cache = new CacheOptions { Directory = cache },
            Network = new NetworkOptions { Timeout = TimeSpan.FromSeconds(2), MaxRetries = 0, BackoffInitial = TimeSpan.FromMilliseconds(10) },
            SymlinkVariables = _ => null,
        };
        return adjust is null ? options : adjust(options);
    }

    public static async Task<TestMount> StartAsync(ClientOptions options, string mountpoint, TimeSpan? kernelCache = null)
    {
        var client = await RepositoryClient.OpenAsync(options, CancellationToken.None);
        try
        {
            var fuse = await FuseMount.StartAsync(client, new MountOptions { Mountpoint = mountpoint, KernelCacheTimeout = kernelCache ?? TimeSpan.FromSeconds(1) }, CancellationToken.None);
            return new TestMount(client, fuse);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Fuse.Unmount();
        await Fuse.Completion.WaitAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await Client.DisposeAsync();
    }
}
