#!/usr/bin/env bash
# Runs every Strata test. Installs what the tests need (real clients from Debian) when missing.
# Usage: scripts/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Upload]
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-prerequisites.sh

results="$(mktemp -d)"
# Test fixtures start the project's PostgreSQL and S3 servers on demand (scripts/services);
# stop them when the run ends, whatever its outcome.
cleanup() {
  rm -rf "$results"
  for stop in scripts/services/stop-*.sh; do
    [ -f "$stop" ] && bash "$stop" >/dev/null 2>&1 || true
  done
}
trap cleanup EXIT
status=0
# --blame-hang-timeout: a hung test fails the run with a dump instead of eating CI's 90 minutes.
# Category=Benchmark: measurements run by hand (STRATA_BENCH=1), not tests; they are not counted here.
dotnet test Strata.slnx -c Release --blame-hang-timeout 10m --filter "Category!=Benchmark" "$@" 2>&1 | tee "$results/log" || status=$?

# One plain closing line for CI: the sum over all test projects.
passed=$(grep -Eo 'Passed: +[0-9]+' "$results/log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$results/log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$results/log" | awk '{s+=$2} END {print s+0}')
echo "Tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
