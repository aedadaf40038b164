namespace Strata.Client.Cache;

/// <summary>
/// Size accounting and least-recently-used eviction. The index is this process's view (built by a
/// scan at start, kept up to date as it adds and uses entries); other processes sharing the
/// directory are picked up by a rescan whenever the quota is exceeded, so all of them converge.
/// </summary>
public sealed partial class ObjectCache
{
    private readonly Lock _quotaGate = new();
    private readonly Dictionary<string, IndexEntry> _index = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _pins = new(StringComparer.Ordinal);
    private long _totalBytes;
    private long _clock;

    /// <summary>Bytes in objects/ as this process knows them.</summary>
    public long UsedBytes
    {
        get
        {
            lock (_quotaGate)
            {
                return _totalBytes;
            }
        }
    }

    /// <summary>Entries in objects/ as this process knows them.</summary>
    public int EntryCount
    {
        get
        {
            lock (_quotaGate)
            {
                return _index.Count;
            }
        }
    }

    /// <summary>The configured quota in bytes (0: unlimited).</summary>
    public long QuotaBytes => _options.QuotaBytes;

    /// <summary>Keeps an object (e.g. a catalog in use) from eviction until <see cref="UnpinObject"/>.</summary>
    public void PinObject(Strata.Cvmfs.Objects.ObjectId id) => Pin(RelativeKey(EntryPath(id)));

    /// <summary>Releases one <see cref="PinObject"/>.</summary>
    public void UnpinObject(Strata.Cvmfs.Objects.ObjectId id) => Unpin(RelativeKey(EntryPath(id)));

    /// <summary>True while an object is pinned by this process.</summary>
    public bool IsPinned(Strata.Cvmfs.Objects.ObjectId id)
    {
        lock (_quotaGate)
        {
            return _pins.ContainsKey(RelativeKey(EntryPath(id)));
        }
    }

    /// <summary>Rebuilds the index from the directory (oldest modification time = least recently used).</summary>
    public void Rescan()
    {
        var entries = new Dictionary<string, IndexEntry>(StringComparer.Ordinal);
        long total = 0;
        foreach (var info in new DirectoryInfo(ObjectsDirectory).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            var key = RelativeKey(info.FullName);
            entries[key] = new IndexEntry(info.Length, info.LastWriteTimeUtc.Ticks);
            total += info.Length;
        }

        lock (_quotaGate)
        {
            // Keep this process's more precise recency for entries it knows.
            foreach (var (key, known) in _index)
            {
                if (entries.TryGetValue(key, out var scanned))
                {
                    entries[key] = scanned with { LastUse = Math.Max(known.LastUse, scanned.LastUse) };
                }
            }

            _index.Clear();
            foreach (var (key, entry) in entries)
            {
                _index[key] = entry;
            }

            _totalBytes = total;
        }
    }

    private void Added(string key, long length)
    {
        lock (_quotaGate)
        {
            if (_index.Remove(key, out var previous))
            {
                _totalBytes -= previous.Length;
            }

            _index[key] = new IndexEntry(length, NextTick());
            _totalBytes += length;
        }

        // The entry just added is about to be opened: never evict it in the same breath.
        EnforceQuota(key);
    }

    private void Touch(string key, string path, long length)
    {
        bool persist;
        lock (_quotaGate)
        {
            var now = NextTick();
            if (_index.TryGetValue(key, out var entry))
            {
                // Persist recency for other processes at most once a minute per entry.
                persist = now - entry.LastUse > TimeSpan.TicksPerMinute;
                _index[key] = entry with { LastUse = now };
            }
            else
            {
                persist = true;
                _index[key] = new IndexEntry(length, now);
                _totalBytes += length;
            }
        }

        if (persist)
        {
            try
            {
                File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private void Forget(string key)
    {
        lock (_quotaGate)
        {
            if (_index.Remove(key, out var entry))
            {
                _totalBytes -= entry.Length;
            }
        }
    }

    private void Pin(string key)
    {
        lock (_quotaGate)
        {
            _pins[key] = _pins.GetValueOrDefault(key) + 1;
        }
    }

    private void Unpin(string key)
    {
        lock (_quotaGate)
        {
            if (_pins.TryGetValue(key, out var count))
            {
                if (count <= 1)
                {
                    _pins.Remove(key);
                }
                else
                {
                    _pins[key] = count - 1;
                }
            }
        }
    }

    private void EnforceQuota(string protectedKey)
    {
        var quota = _options.QuotaBytes;
        if (quota <= 0 || UsedBytes <= quota)
        {
            return;
        }

        Rescan();
        var target = (long)(quota * _options.CleanupFraction);
        List<(string Key, long Length)> victims;
        lock (_quotaGate)
        {
            if (_totalBytes <= quota)
            {
                return;
            }

            victims = [];
            var projected = _totalBytes;
            foreach (var (key, entry) in _index.OrderBy(e => e.Value.LastUse))
            {
                if (projected <= target)
                {
                    break;
                }

                if (_pins.ContainsKey(key) || key == protectedKey)
                {
                    continue;
                }

                victims.Add((key, entry.Length));
                projected -= entry.Length;
            }
        }

        foreach (var (key, length) in victims)
        {
            var path = Path.Combine(ObjectsDirectory, key);
            TryDelete(path);
            _verified.TryRemove(ObjectKeyFromEntryPath(path), out _);
            Forget(key);
            _statistics.Evicted(length);
        }
    }

    private long NextTick()
    {
        // Monotonic and strictly increasing, so entries used in the same instant still have an order.
        var now = DateTime.UtcNow.Ticks;
        while (true)
        {
            var last = Interlocked.Read(ref _clock);
            var next = Math.Max(now, last + 1);
            if (Interlocked.CompareExchange(ref _clock, next, last) == last)
            {
                return next;
            }
        }
    }

    private readonly record struct IndexEntry(long Length, long LastUse);
}
