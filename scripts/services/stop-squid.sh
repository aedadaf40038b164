#!/usr/bin/env bash
# Stops the Squid that start-squid.sh started: SIGTERM to the PID in its pid file, and only while
# that process's command line still names our config (a reused PID is never hit). Escalates to
# SIGKILL (of that PID and its workers) after 10 s. Idempotent. SQUID_WIPE=1 also deletes $SQUID_DIR.
set -euo pipefail
SQUID_DIR=${SQUID_DIR:-/var/tmp/strata-ci-squid}
CONF=$SQUID_DIR/squid.conf PIDFILE=$SQUID_DIR/squid.pid
if [[ -s $PIDFILE ]]; then
  pid=$(cat "$PIDFILE")
  if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$CONF" && kill -TERM "$pid"; then
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      pkill -KILL -P "$pid" 2>/dev/null || true
      kill -KILL "$pid" 2>/dev/null || true
    fi
    echo "stop-squid: stopped $pid" >&2
  else
    echo "stop-squid: $pid is not this Squid (already stopped)" >&2
  fi
  rm -f "$PIDFILE"
else
  echo "stop-squid: no pid file in $SQUID_DIR" >&2
fi
if [[ ${SQUID_WIPE:-0} == 1 ]]; then rm -rf "$SQUID_DIR"; fi
