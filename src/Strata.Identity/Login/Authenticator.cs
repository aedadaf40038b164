using Strata.Identity.Access;
using Strata.Identity.Passwords;
using Strata.Identity.Principals;
using Strata.Metadata.Contracts.Identity;

namespace Strata.Identity.Login;

/// <summary>
/// Checks credentials and resolves token subjects, always against the store's current state: a
/// deleted user, a disabled or expired robot, or a credential whose stamp has changed (password
/// changed, secret rotated) fails at once. Robot names start with <c>robot$</c>.
/// </summary>
public sealed class Authenticator(
    IIdentityStore store, PasswordHasher hasher, LoginThrottle throttle, TimeProvider time, IdentityGeneration? generation = null, StateCache<Principal>? cache = null)
{
    public const string RobotPrefix = "robot$";

    // A hash of a random password at the configured cost, for names that do not exist (see CheckUserAsync).
    private readonly Lazy<string> _dummyHash = new(() => hasher.Hash(Secrets.NewSecret()));

    /// <summary>Checks a username (or robot name) and password (or robot secret); failures count towards the throttle.</summary>
    public async Task<AuthenticationResult> AuthenticateAsync(string username, string secret, string? client, CancellationToken cancellationToken)
    {
        if (throttle.RetryAfter(username, client) is { } wait)
        {
            return new AuthenticationResult(null, wait);
        }

        var principal = username.StartsWith(RobotPrefix, StringComparison.Ordinal)
            ? await CheckRobotAsync(username, secret, cancellationToken).ConfigureAwait(false)
            : await CheckUserAsync(username, secret, cancellationToken).ConfigureAwait(false);
        if (principal is null)
        {
            throttle.RecordFailure(username, client);
            return AuthenticationResult.Failed;
        }

        throttle.RecordSuccess(username);
        return new AuthenticationResult(principal, null);
    }

    /// <summary>The principal a token names, if its credentials are still the ones the token was issued for.</summary>
    /// <remarks>
    /// A hit in the <see cref="StateCache{T}"/> (void after any change made through this process) is
    /// re-checked for a robot's expiry, which passes without any change being made.
    /// <para>
    /// A <see cref="ValueTask{T}"/> answered synchronously on a cache hit (every request but one per
    /// <c>Auth:StateCacheDuration</c> for a busy client): no task, no state machine on the request path.
    /// </para>
    /// </remarks>
    public ValueTask<Principal?> ResolveAsync(string subject, string stamp, CancellationToken cancellationToken)
    {
        var key = subject + "\n" + stamp;
        if (cache is not null && cache.TryGet(key, out var cached))
        {
            return new(cached.Robot is { } r && !IsUsable(r) ? null : cached);
        }

        return new(LookUpAndRememberAsync(key, subject, stamp, cancellationToken));
    }

    private async Task<Principal?> LookUpAndRememberAsync(string key, string subject, string stamp, CancellationToken cancellationToken)
    {
        var filledAt = generation?.Current ?? 0;
        var principal = await LookUpAsync(subject, stamp, cancellationToken).ConfigureAwait(false);
        if (principal is not null)
        {
            cache?.Set(key, principal, filledAt);
        }

        return principal;
    }

    private async Task<Principal?> LookUpAsync(string subject, string stamp, CancellationToken cancellationToken)
    {
        if (subject.StartsWith(RobotPrefix, StringComparison.Ordinal))
        {
            var robot = await store.GetRobotAsync(subject, cancellationToken).ConfigureAwait(false);
            return robot is not null && IsUsable(robot) && robot.Stamp == stamp ? Principal.ForRobot(robot) : null;
        }

        var user = await store.GetUserAsync(subject, cancellationToken).ConfigureAwait(false);
        return user is not null && user.Stamp == stamp ? Principal.ForUser(user) : null;
    }

    private async Task<Principal?> CheckUserAsync(string username, string password, CancellationToken cancellationToken)
    {
        var user = await store.GetUserAsync(username, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            // Same cost as a real check, so response times do not reveal which names exist.
            PasswordHasher.Verify(password, _dummyHash.Value);
            return null;
        }

        return PasswordHasher.Verify(password, user.PasswordHash) ? Principal.ForUser(user) : null;
    }

    private async Task<Principal?> CheckRobotAsync(string name, string secret, CancellationToken cancellationToken)
    {
        var robot = await store.GetRobotAsync(name, cancellationToken).ConfigureAwait(false);
        return robot is not null && IsUsable(robot) && Secrets.Verify(secret, robot.SecretHash) ? Principal.ForRobot(robot) : null;
    }

    private bool IsUsable(RobotRecord robot) => !robot.Disabled && (robot.ExpiresAt is null || robot.ExpiresAt > time.GetUtcNow());
}
