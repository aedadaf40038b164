using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Strata.Metadata.Sqlite;

/// <summary>
/// Background writes (garbage collection) that give way to foreground writes (pushes, tags, deletes).
/// </summary>
/// <remarks>
/// SQLite has one writer. A collection that queued for it beside pushes made every push wait behind a
/// review transaction (the GC benchmark measured 73–77 % of the push/pull rate during collection). A
/// background write now waits while a foreground write is waiting, and when one arrives while it was
/// queued it hands the lock over and queues again; so a push waits at most for the one background
/// transaction already running. To keep a steady stream of pushes from starving collection forever,
/// a background write stops giving way after <see cref="MaxYield"/>.
/// </remarks>
public sealed partial class SqliteMetadataStore
{
    /// <summary>The longest a background write gives way to foreground writes before it queues like them.</summary>
    private static readonly TimeSpan MaxYield = TimeSpan.FromMilliseconds(250);

    /// <summary>Like <see cref="WriteAsync"/>, but lets waiting foreground writes go first (see the remarks).</summary>
    private async Task<T> BackgroundWriteAsync<T>(Func<SqliteTransaction, T> work, CancellationToken cancellationToken, [CallerMemberName] string operation = "")
    {
        var waitStarted = Stopwatch.GetTimestamp();
        while (true)
        {
            while (Volatile.Read(ref _foregroundWriters) > 0 && Stopwatch.GetElapsedTime(waitStarted) < MaxYield)
            {
                await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            }

            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (Volatile.Read(ref _foregroundWriters) == 0 || Stopwatch.GetElapsedTime(waitStarted) >= MaxYield)
            {
                break;
            }

            // A push queued while this write waited: it goes first.
            _writeLock.Release();
        }

        return RunWriteHeld(work, operation, waitStarted);
    }
}
