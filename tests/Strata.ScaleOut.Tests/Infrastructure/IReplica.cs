using Strata.EndToEnd.Tests.Infrastructure;

namespace Strata.ScaleOut.Tests.Infrastructure;

/// <summary>One running replica of a <see cref="ReplicaCluster"/>, in this process or its own.</summary>
public interface IReplica : IRegistryEndpoint, IAsyncDisposable
{
    /// <summary>Its own data folder (keys, local temporary files); blobs and metadata are shared.</summary>
    string DataDirectory { get; }
}
