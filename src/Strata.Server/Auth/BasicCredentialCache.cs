using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Strata.Server.Auth;

/// <summary>
/// Remembers, for a short time, that a username/password pair was verified, so a client that sends
/// HTTP Basic on every request costs one slow KDF per <c>Auth:BasicCacheDuration</c>, not one per
/// request. Keys are HMAC-SHA256 of the pair under a key made at start and never stored, so the
/// cache holds nothing a memory dump could turn back into a password. Entries carry the account's
/// credential stamp, which the caller checks against the store on every use: a password change or
/// deletion takes effect at once. Bounded: when <see cref="MaxEntries"/> is reached it is cleared.
/// </summary>
public sealed class BasicCredentialCache(TimeSpan duration, TimeProvider time)
{
    public const int MaxEntries = 10_000;

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, (string Stamp, DateTimeOffset Until)> _entries = new(StringComparer.Ordinal);

    public bool TryGet(string username, string password, out string stamp)
    {
        stamp = "";
        if (duration <= TimeSpan.Zero || !_entries.TryGetValue(Key(username, password), out var entry) || entry.Until <= time.GetUtcNow())
        {
            return false;
        }

        stamp = entry.Stamp;
        return true;
    }

    public void Add(string username, string password, string stamp)
    {
        if (duration <= TimeSpan.Zero)
        {
            return;
        }

        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[Key(username, password)] = (stamp, time.GetUtcNow() + duration);
    }

    private string Key(string username, string password) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(username + "\0" + password)));
}
