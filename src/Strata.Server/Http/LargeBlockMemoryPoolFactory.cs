using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace Strata.Server.Http;

/// <summary>
/// Hands Kestrel <see cref="LargeBlockMemoryPool"/>s: since .NET 10 the socket transport takes its
/// pool from the <see cref="IMemoryPoolFactory{T}"/> registered in the container.
/// </summary>
internal sealed class LargeBlockMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool();
}
