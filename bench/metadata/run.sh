#!/usr/bin/env bash
# Metadata listing latency at scale on SQLite and PostgreSQL: see README.md beside this file.
# Usage: bench/metadata/run.sh [--backend sqlite|postgres|both] [--tags N] [--repositories N]
#        [--requests N] [--warmup N] [--page-sizes 100,10001] [--keep]
# PostgreSQL: PG_CONNECTION if set, else the project's own server (scripts/services/start-postgres.sh,
# left running; scripts/services/stop-postgres.sh stops it).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
if [[ -z ${PG_CONNECTION:-} ]]; then
  set -a
  eval "$(bash "$root/scripts/services/start-postgres.sh")"
  set +a
fi
dotnet build "$root/bench/metadata/Strata.MetadataBench.csproj" -c Release -v quiet -nologo >&2
exec dotnet "$root/bench/metadata/bin/Release/net10.0/Strata.MetadataBench.dll" "$@"
