#!/usr/bin/env bash
# Stops the PostgreSQL that start-postgres.sh started: a fast shutdown (SIGINT) of the PID in its pid
# file, and only while that process's command line still names $PG_DIR (a reused PID is never hit).
# Escalates to an immediate shutdown (SIGQUIT) after 10 s. Idempotent. PG_WIPE=1 also deletes $PG_DIR.
set -euo pipefail
PG_DIR=${PG_DIR:-/var/tmp/strata-ci-pg}
PIDFILE=$PG_DIR/postgres.pid
if [[ -s $PIDFILE ]]; then
  pid=$(cat "$PIDFILE")
  if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$PG_DIR" && kill -INT "$pid"; then
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -QUIT "$pid"; fi
    echo "stop-postgres: stopped $pid" >&2
  else
    echo "stop-postgres: $pid is not this PostgreSQL (already stopped)" >&2
  fi
  rm -f "$PIDFILE"
else
  echo "stop-postgres: no pid file in $PG_DIR" >&2
fi
if [[ ${PG_WIPE:-0} == 1 ]]; then rm -rf "$PG_DIR"; fi
