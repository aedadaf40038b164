#!/usr/bin/env bash
# Stops the servers that start-s3.sh started, by the PIDs in its pid file (never by name). A PID
# is only signalled while its command line still names $S3_DIR, so a reused PID is never hit.
# Settings: S3_DIR (default /var/tmp/strata-ci-s3); S3_WIPE=1 also deletes the data directory.
set -euo pipefail
S3_DIR=${S3_DIR:-/var/tmp/strata-ci-s3}
PIDFILE=$S3_DIR/s3.pid
ours() { [[ -r /proc/$1/cmdline ]] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -qF -- "$S3_DIR"; }
if [[ -f $PIDFILE ]]; then
  pids=(); while read -r p; do if [[ -n $p ]] && ours "$p"; then pids+=("$p"); fi; done <"$PIDFILE"
  if ((${#pids[@]})); then
    kill -TERM "${pids[@]}" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "${pids[@]}" 2>/dev/null || break; sleep 0.1; done
    for p in "${pids[@]}"; do if ours "$p"; then kill -KILL "$p" 2>/dev/null || true; fi; done
  fi
  rm -f "$PIDFILE"
  echo "stop-s3: stopped ${pids[*]:-nothing (no live process of ours)}" >&2
else
  echo "stop-s3: no pid file in $S3_DIR" >&2
fi
if [[ ${S3_WIPE:-0} == 1 ]]; then rm -rf "$S3_DIR"; fi
