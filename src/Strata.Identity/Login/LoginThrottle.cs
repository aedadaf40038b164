using System.Collections.Concurrent;

namespace Strata.Identity.Login;

/// <summary>
/// Slows password guessing: after <c>maxFailures</c> failed logins within <c>window</c> for one
/// account name, or ten times as many from one client address, further attempts are refused
/// (without checking the password) until the window has passed since the first failure. A success
/// clears the account's count. In memory, per process, bounded: at most <see cref="MaxEntries"/>
/// keys are tracked and stale ones are swept when that is reached (so a flood of made-up names
/// cannot exhaust memory; it only makes the sweep run).
/// </summary>
public sealed class LoginThrottle(int maxFailures, TimeSpan window, TimeProvider time)
{
    public const int MaxEntries = 100_000;
    private const int AddressFactor = 10;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>How long to wait before trying again, or null when an attempt may be made now.</summary>
    public TimeSpan? RetryAfter(string account, string? client)
    {
        var now = time.GetUtcNow();
        var wait = Blocked(AccountKey(account), maxFailures, now);
        if (client is not null && Blocked(ClientKey(client), maxFailures * AddressFactor, now) is { } clientWait)
        {
            wait = wait is null || clientWait > wait ? clientWait : wait;
        }

        return wait;
    }

    public void RecordFailure(string account, string? client)
    {
        var now = time.GetUtcNow();
        if (_entries.Count >= MaxEntries)
        {
            Sweep(now);
        }

        Count(AccountKey(account), now);
        if (client is not null)
        {
            Count(ClientKey(client), now);
        }
    }

    public void RecordSuccess(string account) => _entries.TryRemove(AccountKey(account), out _);

    private TimeSpan? Blocked(string key, int limit, DateTimeOffset now)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            return null;
        }

        var until = entry.First + window;
        if (now >= until)
        {
            _entries.TryRemove(KeyValuePair.Create(key, entry));
            return null;
        }

        return entry.Failures >= limit ? until - now : null;
    }

    private void Count(string key, DateTimeOffset now) =>
        _entries.AddOrUpdate(
            key,
            _ => new Entry(now, 1),
            (_, old) => now >= old.First + window ? new Entry(now, 1) : old with { Failures = old.Failures + 1 });

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (now >= entry.First + window)
            {
                _entries.TryRemove(KeyValuePair.Create(key, entry));
            }
        }
    }

    private static string AccountKey(string account) => "a:" + account.ToLowerInvariant();

    private static string ClientKey(string client) => "c:" + client;

    private sealed record Entry(DateTimeOffset First, int Failures);
}
