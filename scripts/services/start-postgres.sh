#!/usr/bin/env bash
# Starts the project's own throwaway PostgreSQL 15 (Debian's postgresql-15) for tests and benchmarks:
# loopback only, its own data dir, a password-protected role with CREATEDB (tests create and drop
# their own databases) and a database it owns.
#
# stdout: eval-able KEY=value lines (PG_HOST PG_PORT PG_USER PG_PASSWORD PG_DATABASE PG_CONNECTION),
# also written to $PG_DIR/pg.env. Progress and errors go to stderr.
# Idempotent: a second call while the server runs only prints the lines again (with the port the
# server really listens on); over an existing data dir it restarts in well under a second.
# Settings: PG_DIR (default /var/tmp/strata-ci-pg), PG_PORT (55432), PG_USER/PG_PASSWORD/PG_DB
# (registry/registry/registry), PG_WIPE=1 (start from an empty cluster).
# Fails (non-zero, with the server log) when the server cannot start, e.g. the port is taken.
set -euo pipefail
PG_PORT=${PG_PORT:-55432}
PG_DIR=${PG_DIR:-/var/tmp/strata-ci-pg}
PG_USER=${PG_USER:-registry} PG_PASSWORD=${PG_PASSWORD:-registry} PG_DB=${PG_DB:-registry}
BIN=/usr/lib/postgresql/15/bin DATA=$PG_DIR/data PIDFILE=$PG_DIR/postgres.pid LOG=$PG_DIR/postgres.log
say() { echo "start-postgres: $*" >&2; }

# 1. package (idempotent); apt output goes to stderr so stdout stays eval-able
if [[ ! -x $BIN/initdb ]]; then
  say "installing postgresql-15"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends postgresql-15 >&2 ||
    { apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends postgresql-15 >&2; }
fi
# The server refuses to run as root: as root, run it as the 'postgres' user (created by the package).
if [[ $(id -u) == 0 ]]; then as_pg() { runuser -u postgres -- "$@"; }; OWNER=postgres; else as_pg() { "$@"; }; OWNER=$(id -un); fi

mkdir -p "$PG_DIR"; chown "$OWNER" "$PG_DIR"; cd "$PG_DIR"   # a cwd the server user may enter
# Serialize concurrent starts (a test run and a benchmark, or two test processes) on one data dir.
exec 9>"$PG_DIR/start.lock"
flock -w 120 9 || { say "timed out waiting for another start on $PG_DIR"; exit 1; }

running() { as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

# 2. data dir (first run, or after PG_WIPE=1)
if [[ ${PG_WIPE:-0} == 1 && -d $DATA ]]; then
  if running; then as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >&2 9>&-; fi
  rm -rf "$DATA"
fi
if [[ ! -s $DATA/PG_VERSION ]]; then
  say "initdb $DATA"
  as_pg "$BIN/initdb" -D "$DATA" -U postgres -A trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 -N >/dev/null
  cat >>"$DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_DIR'
# Room for several test classes with pooled connections, plus benchmarks.
max_connections = 300
# Test-only durability trade-offs: fast, but not crash safe.
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
fi

# 3. start unless already running; the port comes from the command line, so it may change between runs
if running; then
  say "already running"
else
  # 9>&-: the server must not inherit the lock, or it would hold it for its whole life.
  if ! as_pg "$BIN/pg_ctl" -D "$DATA" -w -t 60 -l "$LOG" -o "-p $PG_PORT" start >/dev/null 2>&1 9>&-; then
    say "PostgreSQL failed to start on 127.0.0.1:$PG_PORT (data $DATA); last lines of $LOG:"
    tail -n 20 "$LOG" >&2 || true
    exit 1
  fi
fi
head -n 1 "$DATA/postmaster.pid" >"$PIDFILE"
# Line 4 of postmaster.pid is the port the running server listens on (may differ from $PG_PORT
# when it was started earlier with another one).
PORT=$(sed -n 4p "$DATA/postmaster.pid")

# 4. role and database (idempotent), over the Unix socket as superuser 'postgres'
sql() { as_pg "$BIN/psql" -h "$PG_DIR" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
if [[ -z $(sql -c "SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER'") ]]; then
  sql -c "CREATE ROLE \"$PG_USER\" LOGIN CREATEDB PASSWORD '$PG_PASSWORD'"
fi
if [[ -z $(sql -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'") ]]; then
  sql -c "CREATE DATABASE \"$PG_DB\" OWNER \"$PG_USER\""
fi
say "PostgreSQL $(sql -c 'SHOW server_version') up on 127.0.0.1:$PORT (pid $(cat "$PIDFILE"), log $LOG)"
printf 'PG_HOST=127.0.0.1\nPG_PORT=%s\nPG_USER=%s\nPG_PASSWORD=%s\nPG_DATABASE=%s\nPG_CONNECTION="Host=127.0.0.1;Port=%s;Username=%s;Password=%s;Database=%s"\n' \
  "$PORT" "$PG_USER" "$PG_PASSWORD" "$PG_DB" "$PORT" "$PG_USER" "$PG_PASSWORD" "$PG_DB" | tee "$PG_DIR/pg.env"
