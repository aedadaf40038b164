#!/usr/bin/env bash
# Garbage collection at scale (issue 7): N blobs (default 100,000) of which 10% are garbage, the time
# to collect them, deletions per second, and the registry's push/pull throughput during collection
# vs without (goal: >= 90%). SQLite + filesystem, server over loopback HTTP; the push/pull load runs
# in a separate process, continuously: warm-up, before, during collection, after (the ratio is
# during / mean of before and after).
# Usage: bench/gc-bench.sh [--blobs N] [--layers N] [--garbage-percent P] [--clients N]
#        [--warm-up-seconds S] [--load-seconds S] [--blob-bytes B] [--push-bytes B]
#        [--gc-concurrency N] [--batch-size B] [--work-share F] [--keep]
# Bounded: the generated data folder is removed at the end (unless --keep); the load stops after
# the phase that follows the collection.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dotnet build "$root/bench/gc/Strata.GcBench.csproj" -c Release -v quiet -nologo >&2
exec dotnet "$root/bench/gc/bin/Release/net10.0/Strata.GcBench.dll" "$@"
