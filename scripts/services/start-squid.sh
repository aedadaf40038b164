#!/usr/bin/env bash
# Starts the project's own Squid (Debian's squid 5) as an HTTP cache for tests and benchmarks of the
# CernVM-FS client: loopback only, its own config, cache and logs under $SQUID_DIR. This is the proxy
# a cvmfs site puts in CVMFS_HTTP_PROXY; `strata mount --proxy http://127.0.0.1:$SQUID_PORT` uses it.
#
# stdout: eval-able KEY=value lines (SQUID_PORT SQUID_PROXY SQUID_ACCESS_LOG SQUID_DIR), also
# written to $SQUID_DIR/squid.env. Progress and errors go to stderr.
# Idempotent: a second call while Squid runs only prints the lines again.
# Settings: SQUID_DIR (default /var/tmp/strata-ci-squid), SQUID_PORT (default 53128),
# SQUID_WIPE=1 (start with an empty cache and logs).
# Fails (non-zero, with the cache log) when Squid cannot start, e.g. the port is taken.
set -euo pipefail
SQUID_DIR=${SQUID_DIR:-/var/tmp/strata-ci-squid}
SQUID_PORT=${SQUID_PORT:-53128}
CONF=$SQUID_DIR/squid.conf PIDFILE=$SQUID_DIR/squid.pid LOGS=$SQUID_DIR/log
say() { echo "start-squid: $*" >&2; }

# 1. package (idempotent); apt output goes to stderr so stdout stays eval-able
if ! command -v squid >/dev/null 2>&1; then
  say "installing squid"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get install -y -qq --no-install-recommends squid >&2 ||
    { apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends squid >&2; }; } 9>&-
  # The package starts the system's own Squid on port 3128; this script never uses that one.
fi

mkdir -p "$SQUID_DIR"
# Serialize concurrent starts (two test processes, or a test run and a benchmark).
exec 9>"$SQUID_DIR/start.lock"
flock -w 120 9 || { say "timed out waiting for another start on $SQUID_DIR"; exit 1; }

running() {
  [[ -s $PIDFILE ]] && tr '\0' ' ' <"/proc/$(cat "$PIDFILE")/cmdline" 2>/dev/null | grep -qF -- "$CONF"
}
print_env() {
  printf 'SQUID_PORT=%s\nSQUID_PROXY=http://127.0.0.1:%s\nSQUID_ACCESS_LOG=%s\nSQUID_DIR=%s\n' \
    "$1" "$1" "$LOGS/access.log" "$SQUID_DIR" | tee "$SQUID_DIR/squid.env"
}

if running; then
  if [[ ${SQUID_WIPE:-0} != 1 ]]; then
    say "already running (pid $(cat "$PIDFILE"))"
    print_env "$(sed -n 's/^http_port 127.0.0.1:\([0-9]*\).*/\1/p' "$CONF")"
    exit 0
  fi
  SQUID_DIR=$SQUID_DIR bash "$(dirname "$0")/stop-squid.sh" 9>&-
fi
if [[ ${SQUID_WIPE:-0} == 1 ]]; then rm -rf "$SQUID_DIR/cache" "$LOGS"; fi

# 2. config: a plain caching proxy as CernVM-FS sites run it. Objects (data/…) carry
# "max-age=259200, immutable" and manifests "max-age=61" from the server; Squid honours both.
# Chunks of large files are up to 16 MiB (+ compression overhead), hence the object size limit.
mkdir -p "$SQUID_DIR/cache" "$LOGS"
cat >"$CONF" <<CONF
http_port 127.0.0.1:$SQUID_PORT
visible_hostname strata-test-squid
pid_filename $PIDFILE
cache_dir ufs $SQUID_DIR/cache 1024 16 256
cache_mem 128 MB
maximum_object_size 64 MB
maximum_object_size_in_memory 32 MB
access_log stdio:$LOGS/access.log squid
cache_log $LOGS/cache.log
cache_store_log none
coredump_dir $SQUID_DIR
acl loopback src 127.0.0.0/8
http_access allow loopback
http_access deny all
# cvmfs's recommendation for site Squids: many clients asking for one object cause one upstream fetch.
collapsed_forwarding on
refresh_pattern . 0 20% 4320
shutdown_lifetime 1 seconds
dns_nameservers 127.0.0.1
CONF
# As root, Squid drops to this user for its workers: they must be able to write the cache and logs.
if [[ $(id -u) == 0 ]]; then
  echo "cache_effective_user proxy" >>"$CONF"
  chown proxy:proxy "$SQUID_DIR"
  chown -R proxy:proxy "$SQUID_DIR/cache" "$LOGS"
fi

# 3. cache directories (synchronous with -N), then the daemon; wait until it accepts connections.
if [[ ! -d $SQUID_DIR/cache/00 ]]; then
  squid -N -z -f "$CONF" >&2 2>"$LOGS/create.log" 9>&- || { say "squid -z failed:"; cat "$LOGS/create.log" >&2; exit 1; }
fi
squid -f "$CONF" 9>&- || { say "squid failed to start; last lines of $LOGS/cache.log:"; tail -n 20 "$LOGS/cache.log" >&2 || true; exit 1; }
for _ in $(seq 300); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$SQUID_PORT") 2>/dev/null && [[ -s $PIDFILE ]]; then
    say "Squid $(squid -v | sed -n '1s/.*Version //p') up on 127.0.0.1:$SQUID_PORT (pid $(cat "$PIDFILE"), logs $LOGS)"
    print_env "$SQUID_PORT"
    exit 0
  fi
  sleep 0.1
done
say "Squid did not listen on 127.0.0.1:$SQUID_PORT within 30 s; last lines of $LOGS/cache.log:"
tail -n 20 "$LOGS/cache.log" >&2 || true
SQUID_DIR=$SQUID_DIR bash "$(dirname "$0")/stop-squid.sh" 9>&- || true
exit 1
