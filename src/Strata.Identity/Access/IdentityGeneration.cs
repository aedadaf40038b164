namespace Strata.Identity.Access;

/// <summary>
/// A counter bumped by every identity change made through this process (users, passwords,
/// projects, members, robots). Caches of resolved principals and evaluated permissions remember
/// the generation they were filled at and are void once it moves, so a change made here takes
/// effect on the very next request. Changes made by another replica (or directly in the database)
/// are seen when the cache entry ages out (<c>Auth:StateCacheDuration</c>).
/// </summary>
public sealed class IdentityGeneration
{
    private long _value;

    public long Current => Volatile.Read(ref _value);

    public void Changed() => Interlocked.Increment(ref _value);
}
