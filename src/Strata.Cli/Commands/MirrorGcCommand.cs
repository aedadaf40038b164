using Strata.Publish.Gc.Mirror;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata gc --mirror DIR [--dry-run]</c>: collects a Stratum 1 made by <c>strata mirror</c>
/// (<see cref="MirrorGarbageCollector"/>). Prints every object deleted (dry: that a real run would
/// delete now, under the same lock) unless <c>--quiet</c>, then a summary.
/// </summary>
internal static class MirrorGcCommand
{
    public static async Task<int> RunAsync(string directory, bool dryRun, bool quiet, TimeSpan? retention, TimeSpan? grace, CancellationToken cancellationToken)
    {
        var options = new MirrorGcOptions { Directory = directory };
        options = options with
        {
            RevisionRetention = retention ?? options.RevisionRetention,
            ObjectGrace = grace ?? options.ObjectGrace,
        };
        try
        {
            var result = await new MirrorGarbageCollector(options).CollectAsync(dryRun, cancellationToken);
            if (!quiet)
            {
                foreach (var item in result.Objects)
                {
                    Console.WriteLine($"object {item}");
                }
            }

            var s = result.Summary;
            Console.WriteLine(
                $"mirror gc{(dryRun ? " (dry run)" : "")}: revision {s.Revision}, {s.PreservedRevisions} revisions preserved (oldest {s.OldestPreservedRevision}), " +
                $"{s.ObjectsMarked} objects reachable, {s.ObjectsDeleted} of {s.ObjectsStored} {(dryRun ? "would be " : "")}deleted ({s.BytesFreed} bytes), " +
                $"{s.ObjectsTooYoung} too young, in {s.Duration.TotalSeconds:F1} s");
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"strata: {e.Message}");
            return 1;
        }
    }
}
