namespace Strata.Server.Tests.Infrastructure;

/// <summary>A running registry the tests can reach over HTTP.</summary>
internal interface IRegistryHost : IAsyncDisposable
{
    /// <summary><c>http://127.0.0.1:PORT/</c>.</summary>
    Uri BaseAddress { get; }
}
