using Strata.Identity.Access;
using Strata.Identity.Login;
using Strata.Identity.Passwords;
using Strata.Identity.Principals;
using Strata.Identity.Tests.Support;
using Strata.Metadata.Contracts.Identity;
using Strata.Metadata.Sqlite;

namespace Strata.Identity.Tests.Login;

/// <summary>Credential checks and token-subject resolution against a real (SQLite) store, with and without the request-path cache.</summary>
public sealed class AuthenticatorTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "strata-authn-" + Guid.NewGuid().ToString("N"));
    private readonly ManualClock _clock = new();
    private readonly IdentityGeneration _generation = new();
    private readonly PasswordHasher _hasher = new(1_000);
    private SqliteMetadataStore _store = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _store = new SqliteMetadataStore(Path.Combine(_folder, "strata.db"), _clock);
        await _store.InitializeAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private Authenticator Create(TimeSpan cacheFor) =>
        new(_store, _hasher, new LoginThrottle(3, TimeSpan.FromMinutes(5), _clock), _clock, _generation, new StateCache<Principal>(_generation, cacheFor, _clock));

    [Fact]
    public async Task User_password_and_robot_secret_authenticate_and_wrong_ones_do_not()
    {
        await _store.CreateUserAsync(new NewUser("alice", null, null, _hasher.Hash("Alice-Passw0rd"), false, "s1"), default);
        var secret = Secrets.NewSecret();
        await _store.CreateRobotAsync(new NewRobot("robot$ci", null, null, Secrets.Hash(secret), "s2", null, []), default);
        var authenticator = Create(TimeSpan.Zero);

        Assert.Equal("alice", (await authenticator.AuthenticateAsync("alice", "Alice-Passw0rd", null, default)).Principal!.Name);
        Assert.Equal(PrincipalKind.Robot, (await authenticator.AuthenticateAsync("robot$ci", secret, null, default)).Principal!.Kind);
        Assert.False((await authenticator.AuthenticateAsync("alice", "alice-passw0rd", null, default)).Succeeded);
        Assert.False((await authenticator.AuthenticateAsync("robot$ci", secret + "x", null, default)).Succeeded);
        Assert.False((await authenticator.AuthenticateAsync("nobody", "Alice-Passw0rd", null, default)).Succeeded);
    }

    [Fact]
    public async Task Throttled_account_is_refused_even_with_the_right_password()
    {
        await _store.CreateUserAsync(new NewUser("alice", null, null, _hasher.Hash("Alice-Passw0rd"), false, "s1"), default);
        var authenticator = Create(TimeSpan.Zero);
        for (var i = 0; i < 3; i++)
        {
            await authenticator.AuthenticateAsync("alice", "wrong", "10.0.0.1", default);
        }

        var result = await authenticator.AuthenticateAsync("alice", "Alice-Passw0rd", "10.0.0.1", default);
        Assert.True(result.Throttled);
        Assert.Null(result.Principal);
    }

    [Fact]
    public async Task Resolve_refuses_a_stale_stamp()
    {
        await _store.CreateUserAsync(new NewUser("alice", null, null, "h", false, "s1"), default);
        var authenticator = Create(TimeSpan.Zero);
        Assert.NotNull(await authenticator.ResolveAsync("alice", "s1", default));
        Assert.Null(await authenticator.ResolveAsync("alice", "s0", default));
        Assert.Null(await authenticator.ResolveAsync("ghost", "s1", default));
    }

    [Fact]
    public async Task Cached_principal_is_dropped_by_any_local_change()
    {
        await _store.CreateUserAsync(new NewUser("alice", null, null, "h", false, "s1"), default);
        var authenticator = Create(TimeSpan.FromMinutes(1));
        Assert.NotNull(await authenticator.ResolveAsync("alice", "s1", default));
        await _store.DeleteUserAsync("alice", default);

        // Another replica's change: still cached within the duration…
        Assert.NotNull(await authenticator.ResolveAsync("alice", "s1", default));
        // …a change made through this process voids the cache at once…
        _generation.Changed();
        Assert.Null(await authenticator.ResolveAsync("alice", "s1", default));
    }

    [Fact]
    public async Task Cache_entries_expire_after_the_duration()
    {
        await _store.CreateUserAsync(new NewUser("alice", null, null, "h", false, "s1"), default);
        var authenticator = Create(TimeSpan.FromSeconds(5));
        Assert.NotNull(await authenticator.ResolveAsync("alice", "s1", default));
        await _store.DeleteUserAsync("alice", default);
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Null(await authenticator.ResolveAsync("alice", "s1", default));
    }

    [Fact]
    public async Task Cached_robot_past_its_expiry_is_refused()
    {
        await _store.CreateRobotAsync(new NewRobot("robot$ci", null, null, "h", "s", _clock.GetUtcNow().AddMinutes(30), []), default);
        var authenticator = Create(TimeSpan.FromHours(2));
        Assert.NotNull(await authenticator.ResolveAsync("robot$ci", "s", default));
        _clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Null(await authenticator.ResolveAsync("robot$ci", "s", default));
    }
}
