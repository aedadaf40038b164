#!/usr/bin/env bash
# Starts the project's own throwaway S3-compatible store for tests and benchmarks: OpenStack Swift
# (Debian's python3-swift) as one proxy + account + container + object server with the s3api and
# tempauth middlewares, plus memcached (tempauth needs it). Loopback only; data in $S3_DIR/srv.
#
# stdout: eval-able KEY=value lines (S3_ENDPOINT S3_ACCESS_KEY S3_SECRET_KEY S3_BUCKET S3_REGION
# S3_FORCE_PATH_STYLE), also written to $S3_DIR/s3.env. Progress and errors go to stderr.
# Idempotent: a second call while the servers run only prints the lines again; concurrent calls
# are serialized on a lock in $S3_DIR.
# Settings: S3_DIR (default /var/tmp/strata-ci-s3), S3_PORT (9000; the backends use S3_PORT+1..+4),
# S3_BUCKET (strata, created at start), S3_ACCESS_KEY (account:user form, test:tester),
# S3_SECRET_KEY (testing), S3_REGION (us-east-1), S3_WORKERS (2: processes of the proxy and of the
# object server).
# Fails (non-zero, with the server logs) when a server cannot start, e.g. a port is taken.
# Client limits of this server (aws-chunked uploads refused, path-style only, ...): see
# src/Strata.Storage/S3/S3DriverOptions.cs.
set -euo pipefail
S3_PORT=${S3_PORT:-9000}
S3_DIR=${S3_DIR:-/var/tmp/strata-ci-s3}
S3_BUCKET=${S3_BUCKET:-strata}
S3_ACCESS_KEY=${S3_ACCESS_KEY:-test:tester}
S3_SECRET_KEY=${S3_SECRET_KEY:-testing}
S3_REGION=${S3_REGION:-us-east-1}
ETC=$S3_DIR/etc LOG=$S3_DIR/log PIDFILE=$S3_DIR/s3.pid HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3   # Debian's python (python3-swift lives there), not a pyenv shim on PATH
ACCT=${S3_ACCESS_KEY%%:*} USR=${S3_ACCESS_KEY#*:}
OBJ=$((S3_PORT+1)) CONT=$((S3_PORT+2)) ACC=$((S3_PORT+3)) MC=$((S3_PORT+4))
URL=http://127.0.0.1:$S3_PORT
say() { echo "start-s3: $*" >&2; }

[[ $S3_ACCESS_KEY == *:* ]] || { say "S3_ACCESS_KEY must have the form account:user (tempauth)"; exit 1; }

print_env() {
  printf 'S3_ENDPOINT=%s\nS3_ACCESS_KEY=%s\nS3_SECRET_KEY=%s\nS3_BUCKET=%s\nS3_REGION=%s\nS3_FORCE_PATH_STYLE=true\n' \
    "$URL" "$S3_ACCESS_KEY" "$S3_SECRET_KEY" "$S3_BUCKET" "$S3_REGION" | tee "$S3_DIR/s3.env"
}
fail() {
  say "$*"
  tail -n 20 "$LOG"/*.log >&2 2>/dev/null || true
  S3_DIR=$S3_DIR bash "$HERE/stop-s3.sh" || true
  exit 1
}
alive() { [[ -s $PIDFILE ]] && while read -r p; do kill -0 "$p" 2>/dev/null || return 1; done <"$PIDFILE"; }
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# 1. packages (idempotent); apt output goes to stderr so stdout stays eval-able
installed() { [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == 'install ok installed' ]]; }
need=(); for p in python3-swift memcached curl; do installed "$p" || need+=("$p"); done
if ((${#need[@]})); then
  say "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends "${need[@]}" >&2 ||
    { apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends "${need[@]}" >&2; }
fi

mkdir -p "$ETC" "$LOG" "$S3_DIR/srv/d1"
# Serialize concurrent starts (two test processes, or a test run and a benchmark) on one dir.
exec 9>"$S3_DIR/start.lock"
flock -w 180 9 || { say "timed out waiting for another start on $S3_DIR"; exit 1; }

# 2. already running with these settings? then just print them again. A server started by an older
# version of this script (machines are kept between sessions) is restarted: SETTINGS names what the
# generated configuration depends on; change its version with the configuration below.
WORKERS=${S3_WORKERS:-2}
SETTINGS="settings-v2 workers=$WORKERS"
if alive && curl -sf "$URL/healthcheck" >/dev/null; then
  if [[ $(cat "$S3_DIR/settings" 2>/dev/null) == "$SETTINGS" ]]; then
    say "already running (pids $(tr '\n' ' ' <"$PIDFILE"))"; print_env; exit 0
  fi
  say "running with other settings than '$SETTINGS': restarting"
fi
if [[ -f $PIDFILE ]]; then S3_DIR=$S3_DIR bash "$HERE/stop-s3.sh"; fi
# Fail at once on a port someone else holds (Swift would retry binding for about 30 s first).
for port in "$S3_PORT" "$OBJ" "$CONT" "$ACC" "$MC"; do
  if port_taken "$port"; then
    say "port $port on 127.0.0.1 is taken by another process (not ours: no live pid file in $S3_DIR); set S3_PORT"
    exit 1
  fi
done

# 3. config: one replica, one device, no mount checks. The proxy and object servers (the byte path)
# run S3_WORKERS processes each (default 2), the account and container servers one. Timeouts are
# a test server's, sized for a loaded 2-core machine rather than a data centre: with Swift's defaults
# (one process each; the proxy gives an object server 0.5 s to accept and 10 s per chunk; the object
# server waits 1 s for its container update) 32 concurrent 100 MiB GETs beside other work made the
# proxy answer 503 and cut responses mid-stream (1,309 503s in one benchmark run), and a slow
# container update becomes an async pending that no updater here ever applies, i.e. a listing that
# misses an object. Larger chunks (1 MiB instead of 64 KiB) cut the Python work per byte.
# Settings and why: docs/architecture.md, "Scale-out on S3, third pass".
ME=$(id -un)
common="[DEFAULT]
bind_ip = 127.0.0.1
user = $ME
swift_dir = $ETC
devices = $S3_DIR/srv
mount_check = false
disable_fallocate = true
log_level = WARNING"
printf '[swift-hash]\nswift_hash_path_prefix = strata\nswift_hash_path_suffix = strata\n[storage-policy:0]\nname = Policy-0\ndefault = yes\n' >"$ETC/swift.conf"
for s in object container account; do
  port=$OBJ extra="workers = 0"; [[ $s == container ]] && port=$CONT; [[ $s == account ]] && port=$ACC
  [[ $s == object ]] && extra="workers = $WORKERS
client_timeout = 300
node_timeout = 30
conn_timeout = 5
container_update_timeout = 30
network_chunk_size = 1048576
disk_chunk_size = 1048576"
  printf '%s\nbind_port = %s\n%s\n[pipeline:main]\npipeline = healthcheck %s-server\n[filter:healthcheck]\nuse = egg:swift#healthcheck\n[app:%s-server]\nuse = egg:swift#%s\n' \
    "$common" "$port" "$extra" "$s" "$s" "$s" >"$ETC/$s-server.conf"
done
"$PY" - "$ETC" "$OBJ" "$CONT" "$ACC" <<'RINGS'   # rings: 64 partitions, 1 replica, 1 device
import sys
from swift.common.ring import RingBuilder
etc, ports = sys.argv[1], sys.argv[2:]
for name, port in zip(("object", "container", "account"), ports):
    b = RingBuilder(6, 1, 0)
    b.add_dev({"region": 1, "zone": 1, "ip": "127.0.0.1", "port": int(port), "device": "d1", "weight": 1})
    b.rebalance()
    b.get_ring().save("%s/%s.ring.gz" % (etc, name))
RINGS
# max_upload_part_num: 10000 as on AWS (Swift's default is 1000); slo max_manifest_segments must match.
cat >"$ETC/proxy-server.conf" <<CONF
$common
bind_port = $S3_PORT
workers = $WORKERS
client_timeout = 300
node_timeout = 60
recoverable_node_timeout = 60
conn_timeout = 5
object_chunk_size = 1048576
client_chunk_size = 1048576
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy_logging cache listing_formats bulk s3api tempauth copy slo dlo proxy_logging proxy-server
[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
[filter:s3api]
use = egg:swift#s3api
location = $S3_REGION
max_upload_part_num = 10000
[filter:tempauth]
use = egg:swift#tempauth
user_${ACCT}_${USR} = $S3_SECRET_KEY .admin
[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$MC
[filter:slo]
use = egg:swift#slo
max_manifest_segments = 10000
$(for f in catch_errors gatekeeper healthcheck proxy_logging listing_formats bulk copy dlo; do
    printf '[filter:%s]\nuse = egg:swift#%s\n' "$f" "$f"; done)
CONF

# 4. start: memcached + 4 Swift servers, each in its own session; one pid per line. Every command
# line names $S3_DIR, which is how stop-s3.sh recognises its own processes.
: >"$PIDFILE"
setsid memcached -l 127.0.0.1 -p "$MC" -U 0 -m 64 -u "$ME" -P "$S3_DIR/memcached.pid" >>"$LOG/memcached.log" 2>&1 </dev/null 9>&- &
echo $! >>"$PIDFILE"
run='import os, sys; from swift.common.utils import set_swift_dir; from swift.common.wsgi import run_wsgi
from swift.obj import server; conf, name = sys.argv[1:3]; set_swift_dir(os.path.dirname(conf))
kw = {"global_conf_callback": server.global_conf_callback} if name == "object-server" else {}
sys.exit(run_wsgi(conf, name, verbose=True, **kw))'
for s in account container object proxy; do
  setsid "$PY" -c "$run" "$ETC/$s-server.conf" "$s-server" >>"$LOG/$s.log" 2>&1 </dev/null 9>&- &
  echo $! >>"$PIDFILE"
done

# 5. wait for all four servers, then create the bucket (a Swift container) through tempauth
make_bucket() {
  for port in "$S3_PORT" "$OBJ" "$CONT" "$ACC"; do curl -sf "http://127.0.0.1:$port/healthcheck" >/dev/null || return 1; done
  local hdrs tok surl
  hdrs=$(curl -sfi -H "X-Auth-User: $S3_ACCESS_KEY" -H "X-Auth-Key: $S3_SECRET_KEY" "$URL/auth/v1.0") || return 1
  tok=$(sed -n 's/^X-Auth-Token: *//Ip' <<<"$hdrs" | tr -d '\r')
  surl=$(sed -n 's/^X-Storage-Url: *//Ip' <<<"$hdrs" | tr -d '\r')
  curl -sf -X PUT -H "X-Auth-Token: $tok" "$surl/$S3_BUCKET" >/dev/null
}
for _ in $(seq 300); do
  make_bucket && break
  alive || fail "a server died; logs in $LOG"
  sleep 0.1
done
make_bucket || fail "not healthy after 30 s (or bucket creation failed); logs in $LOG"
echo "$SETTINGS" >"$S3_DIR/settings"
say "Swift S3 API up on $URL (pids $(tr '\n' ' ' <"$PIDFILE"); logs in $LOG)"
print_env
