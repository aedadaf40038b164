namespace Strata.Server.Tests.Infrastructure;

/// <summary>
/// One registry per test class (<c>IClassFixture&lt;RegistryFixture&gt;</c>): classes run in
/// parallel against separate servers and data directories; tests inside a class share the server
/// and keep out of each other's way by using their own repository names.
/// </summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    private TestRegistry? _registry;

    public TestRegistry Registry => _registry ?? throw new InvalidOperationException("The registry has not started.");

    public RegistryClient Client => Registry.Client;

    public async Task InitializeAsync() => _registry = await TestRegistry.StartAsync();

    public async Task DisposeAsync()
    {
        if (_registry is not null)
        {
            await _registry.DisposeAsync();
        }
    }
}
