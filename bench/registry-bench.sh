#!/usr/bin/env bash
# Whole-system registry benchmark: Strata beside CNCF distribution (Debian's docker-registry),
# both fresh, same machine, same run. See docs/benchmarks.md for what it measures and why.
#
#   bench/registry-bench.sh                 # everything, ~10 minutes on 2 cores
#   ROUNDS=1 SCALE=0.1 LARGE_MB=128 CONC_MB=16 WRK_SECONDS=3 bench/registry-bench.sh   # smoke run
#
# Settings (environment):
#   BENCH_WORK    work dir, caches the image set, random blobs and the Strata build (/var/tmp/strata-bench)
#   STRATA_REV    git revision of this repository to publish and measure (HEAD); "worktree" takes
#                 the working tree as it is, uncommitted changes included
#   STRATA_BIN    an already published `strata` executable (then nothing is published)
#   STRATA_ENV    extra environment for the Strata process, for experiments ("VAR=value ...")
#   STRATA_ARGS   extra `strata serve` arguments ("--Publish:Enabled false --Auth:Enabled false": the
#                 registry alone and open, as distribution is; STRATA_ARGS= measures it with CernVM-FS
#                 publication and access control on)
#   ROUNDS        push/pull rounds per registry, fresh server and client cache each (3)
#   SCALE         image set size factor (1 = ~470 MB of unique compressed layers)
#   LARGE_MB      single large blob size in MiB (1024)
#   GET_REPEATS   timed GETs of the large blob, best is reported (3)
#   WRK_SECONDS   manifest GET duration per registry (10), after a 3 s warm-up
#   CONC_CLIENTS  parallel clients pulling one blob (32); CONC_MB its size (100); CONC_ROUNDS (3)
#   QUIET_LOAD    wait until the 1-minute load average is below this before starting (1.5) ...
#   QUIET_WAIT    ... but at most this many seconds (900); the load at every phase is recorded
#   AUTH          1: also measure Strata with access control on ("strata_auth", STRATA_AUTH_ARGS), in
#                 the same run, beside the open Strata: private projects, a system robot with pull and
#                 push, skopeo with --src-creds/--dest-creds, curl and wrk with a bearer token from
#                 /service/token; the summary prints auth-on/auth-off ratios (goal: pull >= 0.95)
#   STRATA_AUTH_ARGS  `strata serve` arguments of the access-controlled Strata
#                 ("--Publish:Enabled false --Auth:AdminPassword …")
#   REGISTRIES    which registries to measure, in order ("dist strata", plus strata_auth with AUTH=1)
#
# Needs root (skopeo's blob-info cache is isolated with a private mount namespace, see below).
# Output: BENCH_WORK/results/<stamp>/{results.tsv,summary.txt,benchmarks-block.md,logs}
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH_WORK=${BENCH_WORK:-/var/tmp/strata-bench}
ROUNDS=${ROUNDS:-3}
SCALE=${SCALE:-1}
LARGE_MB=${LARGE_MB:-1024}
GET_REPEATS=${GET_REPEATS:-3}
WRK_SECONDS=${WRK_SECONDS:-10}
CONC_CLIENTS=${CONC_CLIENTS:-32}
CONC_MB=${CONC_MB:-100}
CONC_ROUNDS=${CONC_ROUNDS:-3}
# Every client operation is bounded; a hung registry fails the run instead of stalling it.
SKOPEO_TIMEOUT=${SKOPEO_TIMEOUT:-900}
CURL_TIMEOUT=${CURL_TIMEOUT:-600}
STRATA_ARGS=${STRATA_ARGS---Publish:Enabled false --Auth:Enabled false}
QUIET_LOAD=${QUIET_LOAD:-1.5}
QUIET_WAIT=${QUIET_WAIT:-900}
AUTH=${AUTH:-0}
AUTH_ADMIN_PASSWORD=Bench-Admin-Passw0rd
STRATA_AUTH_ARGS=${STRATA_AUTH_ARGS:---Publish:Enabled false --Auth:AdminPassword $AUTH_ADMIN_PASSWORD}
REGISTRIES=${REGISTRIES:-dist strata}
if [[ $AUTH == 1 && " $REGISTRIES " != *" strata_auth "* ]]; then REGISTRIES="$REGISTRIES strata_auth"; fi
# The same registries in reverse order: rounds alternate who goes first.
REGISTRIES_REVERSED=$(printf '%s\n' $REGISTRIES | tac | tr '\n' ' ' | sed 's/ $//')

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RUN=$BENCH_WORK/results/$STAMP
LOGS=$RUN/logs
RESULTS=$RUN/results.tsv
IMAGES=$BENCH_WORK/images-scale-$SCALE
CLK_TCK=$(getconf CLK_TCK)
ACCEPT='application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json'

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$RESULTS"; }   # registry metric rep value

# ---------------------------------------------------------------- prerequisites

install_missing() {
  local missing=() cmd pkg
  for pair in wrk:wrk skopeo:skopeo docker-registry:docker-registry curl:curl python3:python3 unshare:util-linux sha256sum:coreutils; do
    cmd=${pair%%:*}; pkg=${pair#*:}
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    log "installing from Debian: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >/dev/null 2>&1 \
      || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >/dev/null; }
  fi
  [[ $(id -u) == 0 ]] || die "run as root (needed to isolate skopeo's blob-info cache)"
}

# ---------------------------------------------------------------- server processes

declare -A PIDS=()   # name -> pid of every server this script started

cleanup() {
  local name
  for name in "${!PIDS[@]}"; do stop_server "$name"; done
  # Registry data and pulled images are only needed while measuring (GBs): keep logs and results.
  [[ -n ${RUN:-} && -d $RUN ]] && rm -rf "$RUN"/data-* "$RUN"/pulled-* "$RUN"/skopeo-cache-* "$RUN"/conc-*
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_server NAME KIND(dist|strata) DATA PORT; sets SERVER_PID. Not for $(...): the pid table
# and the background process must belong to this shell.
start_server() {
  local name=$1 kind=$2 data=$3 port=$4 pid
  mkdir -p "$data"
  unset 'CREDS[$port]'   # a port may be reused by a registry of another kind
  if [[ $kind == dist ]]; then
    # Debian's stock config (inmemory blob descriptor cache, delete enabled) with request logging
    # off, as Strata does not log requests either: neither pays for access logs.
    cat >"$data.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: $data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
  secret: strata-bench-not-a-secret
  headers:
    X-Content-Type-Options: [nosniff]
EOF
    docker-registry serve "$data.yml" >"$LOGS/$name.log" 2>&1 &
  else
    # In an empty working directory of its own: the .NET host watches its content root (the
    # working directory) for configuration changes, and this tree may be busy with other builds.
    mkdir -p "$data.cwd"
    local args=$STRATA_ARGS
    [[ $kind == strata_auth ]] && args=$STRATA_AUTH_ARGS
    (cd "$data.cwd" && exec env ${STRATA_ENV:-} "$STRATA_BIN" serve --data "$data" --listen "127.0.0.1:$port" $args) >"$LOGS/$name.log" 2>&1 &
  fi
  pid=$!
  PIDS[$name]=$pid
  SERVER_PID=$pid
  local deadline=$((SECONDS + 60)) t0 probe=/v2/
  # With access control on, /v2/ answers 401 to anonymous callers (as it should): probe health instead.
  [[ $kind == strata_auth ]] && probe=/healthz
  t0=$(date +%s.%N)
  until curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$port$probe"; do
    kill -0 "$pid" 2>/dev/null || die "$name exited at start; see $LOGS/$name.log"
    ((SECONDS < deadline)) || die "$name not ready after 60 s"
    sleep 0.05
  done
  SERVER_READY_S=$(calc "$(date +%s.%N) - $t0")
  [[ $kind == strata_auth ]] && auth_setup "$port"
  return 0
}

# ---------------------------------------------------------------- access control (AUTH=1)

declare -A CREDS=()   # port -> "robot$NAME:SECRET" of an access-controlled Strata
AUTH_H=() SK_CREDS=()

# auth_setup PORT: private projects "bench" and "warm" (every repository the benchmark uses) and a
# system robot allowed to pull and push in every project, as a CI system would use. A robot, not a
# user: a user's password costs a PBKDF2 check (~0.3 s) per Auth:BasicCacheDuration, which would be
# measured as registry time; a robot's secret is one SHA-256.
auth_setup() {
  local port=$1 base="http://127.0.0.1:$1" project json
  for project in bench warm; do
    curl -sf --max-time 30 -u "admin:$AUTH_ADMIN_PASSWORD" -H 'Content-Type: application/json' \
      -d "{\"name\":\"$project\",\"public\":false}" "$base/api/v1/projects" >/dev/null || die "creating project $project on $base"
  done
  json=$(curl -sf --max-time 30 -u "admin:$AUTH_ADMIN_PASSWORD" -H 'Content-Type: application/json' \
    -d '{"name":"bench","duration":-1,"permissions":[{"project":"*","access":["repository:pull","repository:push"]}]}' \
    "$base/api/v1/robots") || die "creating the robot on $base"
  CREDS[$port]=$("$PY" -c 'import json,sys; d=json.load(sys.stdin); print(d["name"] + ":" + d["secret"])' <<<"$json")
}

# use_auth PORT REPO ACTIONS: sets AUTH_H to the curl/wrk arguments a request to REPO needs: nothing
# for an open registry, else a bearer token for repository:REPO:ACTIONS fetched from the token
# endpoint with the robot's secret (as docker and containerd do; the token lives 5 minutes).
use_auth() {
  local port=$1 repo=$2 actions=$3 token
  AUTH_H=()
  [[ -n ${CREDS[$port]:-} ]] || return 0
  token=$(curl -sf --max-time 30 -u "${CREDS[$port]}" "http://127.0.0.1:$port/service/token?service=strata&scope=repository:$repo:$actions" \
    | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["token"])') || die "no token from port $port"
  AUTH_H=(-H "Authorization: Bearer $token")
}

# skopeo_creds PORT src|dest: sets SK_CREDS to skopeo's credentials flag for the registry on PORT.
skopeo_creds() {
  SK_CREDS=()
  [[ -n ${CREDS[$1]:-} ]] && SK_CREDS=("--$2-creds" "${CREDS[$1]}")
  return 0
}

stop_server() {
  local name=$1 pid=${PIDS[$1]:-}
  [[ -n $pid ]] || return 0
  unset 'PIDS[$name]'
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# CPU seconds (user+system, plus reaped children) of a process, from /proc/PID/stat.
cpu_seconds() {
  # Fields after the ")" that ends the command name: state is field 3, utime..cstime are 14..17.
  awk -v tck="$CLK_TCK" '{ sub(/^.*\) /, ""); printf "%.2f\n", ($12 + $13 + $14 + $15) / tck }' "/proc/$1/stat"
}
hwm_mb() { awk '/^VmHWM:/ { printf "%.1f\n", $2 / 1024 }' "/proc/$1/status"; }
rss_mb() { awk '/^VmRSS:/ { printf "%.1f\n", $2 / 1024 }' "/proc/$1/status"; }
# Resets VmHWM to the current RSS (Linux clear_refs "5"), so a peak belongs to one phase.
reset_hwm() { echo 5 >"/proc/$1/clear_refs"; }

load1() { cut -d' ' -f1 /proc/loadavg; }
# Other work on a 2-core machine distorts wall times (CPU seconds much less): record it per phase.
phase_load() { record machine "load_$1" 1 "$(load1)"; }

calc() { awk "BEGIN { printf \"%.3f\\n\", $1 }"; }

# ---------------------------------------------------------------- clients

# skopeo (containers/image) keeps a blob-info cache and, as root, always uses
# /var/lib/containers/cache (HOME/XDG only matter when rootless; skopeo 1.9 has no flag for it).
# Each run gets its own cache by bind-mounting a fresh directory there in a private mount
# namespace: a fresh client per run, and the machine's real cache is never touched.
skopeo_isolated() {
  local cache=$1; shift
  timeout "$SKOPEO_TIMEOUT" unshare -m --propagation private \
    sh -c 'mount --bind "$0" /var/lib/containers/cache && exec skopeo "$@"' "$cache" "$@"
}

# upload_blob PORT REPO FILE DIGEST -> sets UP_MBS and UP_S; POST then one streamed PUT
# (distribution 2.8 ignores ?digest= on POST, so "monolithic POST" is not comparable).
upload_blob() {
  local port=$1 repo=$2 file=$3 digest=$4 base="http://127.0.0.1:$1" location url out
  use_auth "$port" "$repo" pull,push
  location=$(curl -sf --max-time 30 "${AUTH_H[@]}" -X POST -D - -o /dev/null "$base/v2/$repo/blobs/uploads/" \
    | awk 'tolower($1) == "location:" { print $2 }' | tr -d '\r')
  [[ -n $location ]] || die "no upload location from $base"
  [[ $location == http* ]] || location=$base$location
  [[ $location == *\?* ]] && url="$location&digest=$digest" || url="$location?digest=$digest"
  out=$(curl -s --max-time "$CURL_TIMEOUT" "${AUTH_H[@]}" -X PUT -T "$file" -H 'Content-Type: application/octet-stream' \
    -H 'Expect:' -o /dev/null -w '%{http_code} %{speed_upload} %{time_total}' "$url")
  [[ ${out%% *} == 201 ]] || die "blob upload to $base answered ${out%% *}"
  read -r UP_MBS UP_S < <(awk '{ printf "%.1f %.2f\n", $2 / 1048576, $3 }' <<<"$out")
}

random_file() { # random_file MiB -> path (cached)
  local f=$BENCH_WORK/random-$1M.bin
  if [[ ! -s $f.sha256 ]]; then
    log "generating $1 MiB of random data"
    head -c $(($1 * 1048576)) /dev/urandom >"$f.tmp" && mv "$f.tmp" "$f"
    echo "sha256:$(sha256sum "$f" | cut -d' ' -f1)" >"$f.sha256"
  fi
  echo "$f"
}

# ---------------------------------------------------------------- setup

install_missing
# Debian's interpreter when there is one: a version-manager shim can take a second to start.
PY=$(command -v /usr/bin/python3 || command -v python3)
mkdir -p "$LOGS" "$BENCH_WORK"
: >"$RESULTS"

. "$REPO_ROOT/bench/lib/strata-bin.sh"
ensure_strata_bin strata-bin

if [[ ! -s $IMAGES/summary.json ]]; then
  log "building the image set (scale $SCALE) into $IMAGES (cached for later runs)"
  rm -rf "$IMAGES"
  "$PY" "$REPO_ROOT/bench/lib/make-images.py" "$IMAGES" --scale "$SCALE" >"$LOGS/make-images.log"
fi
TAGS=$("$PY" -c 'import json,sys; print(" ".join(sorted(json.load(open(sys.argv[1]))["images"])))' "$IMAGES/summary.json")
read -r SET_UNIQUE SET_PUSHED < <("$PY" -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s["unique_blob_bytes"], s["pushed_bytes"])' "$IMAGES/summary.json")
WARM_IMAGES=$BENCH_WORK/images-scale-0.01
if [[ ! -s $WARM_IMAGES/summary.json ]]; then
  rm -rf "$WARM_IMAGES"
  "$PY" "$REPO_ROOT/bench/lib/make-images.py" "$WARM_IMAGES" --scale 0.01 >"$LOGS/make-warm-images.log"
fi
WARM_FILE=$(random_file 8); WARM_DIGEST=$(cat "$WARM_FILE.sha256")
LARGE_FILE=$(random_file "$LARGE_MB"); LARGE_DIGEST=$(cat "$LARGE_FILE.sha256")
CONC_FILE=$(random_file "$CONC_MB"); CONC_DIGEST=$(cat "$CONC_FILE.sha256")

{
  echo "date=$STAMP"
  echo "nproc=$(nproc)"
  echo "cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
  echo "mem_total_mb=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 }' /proc/meminfo)"
  echo "kernel=$(uname -r)"
  echo "fs=$(df -T "$BENCH_WORK" | awk 'NR == 2 { print $2 }')"
  echo "skopeo=$(skopeo --version | awk '{ print $3 }')"
  echo "distribution=$(docker-registry --version | awk '{ print $3 }')"
  echo "wrk=$(wrk -v 2>&1 | awk 'NR == 1 { print $2 }')"
  echo "curl=$(curl --version | awk 'NR == 1 { print $2 }')"
  echo "dotnet=$(dotnet --list-runtimes 2>/dev/null | awk '/AspNetCore/ { v = $2 } END { print v }')"
  echo "strata_commit=$STRATA_BUILT"
  echo "strata_env=${STRATA_ENV:-}"
  echo "strata_args=$STRATA_ARGS"
  echo "registries=$REGISTRIES"
  if [[ $AUTH == 1 ]]; then echo "strata_auth_args=${STRATA_AUTH_ARGS//$AUTH_ADMIN_PASSWORD/…}"; fi
  echo "set_unique_bytes=$SET_UNIQUE"
  echo "set_pushed_bytes=$SET_PUSHED"
  echo "images=$TAGS"
  echo "params=rounds=$ROUNDS scale=$SCALE large_mb=$LARGE_MB get_repeats=$GET_REPEATS wrk_seconds=$WRK_SECONDS conc_clients=$CONC_CLIENTS conc_mb=$CONC_MB conc_rounds=$CONC_ROUNDS"
} >"$RUN/machine.txt"
log "run directory: $RUN"
sed 's/^/    /' "$RUN/machine.txt" >&2

if awk -v l="$(load1)" -v q="$QUIET_LOAD" 'BEGIN { exit !(l >= q) }'; then
  log "load average $(load1) >= $QUIET_LOAD: waiting up to $QUIET_WAIT s for the machine to quieten"
  deadline=$((SECONDS + QUIET_WAIT))
  while ((SECONDS < deadline)) && awk -v l="$(load1)" -v q="$QUIET_LOAD" 'BEGIN { exit !(l >= q) }'; do sleep 10; done
  log "starting at load average $(load1)"
fi

# Warm the page cache with the client-side inputs so neither registry pays for the first read.
cat "$IMAGES"/blobs/sha256/* "$LARGE_FILE" "$CONC_FILE" >/dev/null

# ---------------------------------------------------------------- 1. push and pull the image set

# warm_up KIND NAME PORT: push and pull a tiny unrelated image (its own client cache, blobs that
# share nothing with the measured set), so the measurements see a warm process (JIT, connection
# pools, caches), as a long-running registry is. Sets WARM_PUSH_S: the first push into a process
# just started, which is where start-up costs (JIT) show.
warm_up() {
  local kind=$1 name=$2 port=$3 cache=$RUN/skopeo-cache-$2-warm t0
  mkdir -p "$cache"
  t0=$(date +%s.%N)
  skopeo_creds "$port" dest
  skopeo_isolated "$cache" copy -q --dest-tls-verify=false "${SK_CREDS[@]}" "oci:$WARM_IMAGES:img4" "docker://127.0.0.1:$port/warm/img4:latest" \
    >>"$LOGS/$name-skopeo.log" 2>&1 || die "warm-up push to $kind failed; see $LOGS/$name-skopeo.log"
  WARM_PUSH_S=$(calc "$(date +%s.%N) - $t0")
  skopeo_creds "$port" src
  skopeo_isolated "$cache" copy -q --src-tls-verify=false "${SK_CREDS[@]}" "docker://127.0.0.1:$port/warm/img4:latest" "oci:$cache/pulled:img4" \
    >>"$LOGS/$name-skopeo.log" 2>&1 || die "warm-up pull from $kind failed; see $LOGS/$name-skopeo.log"
  rm -rf "$cache"
}

pushpull() { # pushpull KIND ROUND
  local kind=$1 round=$2 name="$1-pp$2" port pid data cache pulled t0 t1 t2 c0 c1 c2 tag
  data=$RUN/data-$name; cache=$RUN/skopeo-cache-$name; pulled=$RUN/pulled-$name
  mkdir -p "$cache"
  port=$(free_port)
  start_server "$name" "$kind" "$data" "$port"; pid=$SERVER_PID
  record "$kind" ready_s "$round" "$SERVER_READY_S"
  record "$kind" ready_rss_mb "$round" "$(rss_mb "$pid")"
  warm_up "$kind" "$name" "$port"
  record "$kind" cold_push_tiny_s "$round" "$WARM_PUSH_S"
  record "$kind" startup_warmup_cpu_s "$round" "$(cpu_seconds "$pid")"
  sync
  c0=$(cpu_seconds "$pid"); reset_hwm "$pid"
  t0=$(date +%s.%N)
  skopeo_creds "$port" dest
  for tag in $TAGS; do
    skopeo_isolated "$cache" copy -q --dest-tls-verify=false "${SK_CREDS[@]}" "oci:$IMAGES:$tag" "docker://127.0.0.1:$port/bench/$tag:latest" \
      >>"$LOGS/$name-skopeo.log" 2>&1 || die "push of $tag to $kind failed; see $LOGS/$name-skopeo.log"
  done
  skopeo_creds "$port" src
  t1=$(date +%s.%N); c1=$(cpu_seconds "$pid")
  for tag in $TAGS; do
    skopeo_isolated "$cache" copy -q --src-tls-verify=false "${SK_CREDS[@]}" "docker://127.0.0.1:$port/bench/$tag:latest" "oci:$pulled:$tag" \
      >>"$LOGS/$name-skopeo.log" 2>&1 || die "pull of $tag from $kind failed; see $LOGS/$name-skopeo.log"
  done
  t2=$(date +%s.%N); c2=$(cpu_seconds "$pid")
  record "$kind" push_s "$round" "$(calc "$t1 - $t0")"
  record "$kind" pull_s "$round" "$(calc "$t2 - $t1")"
  record "$kind" push_cpu_s "$round" "$(calc "$c1 - $c0")"
  record "$kind" pull_cpu_s "$round" "$(calc "$c2 - $c1")"
  record "$kind" pushpull_hwm_mb "$round" "$(hwm_mb "$pid")"
  record "$kind" life_cpu_s "$round" "$c2"
  # The round trip must give back the very manifests that were pushed.
  "$PY" - "$IMAGES/index.json" "$pulled/index.json" <<'EOF' || die "pulled manifests differ from the pushed ones ($kind round $round)"
import json, sys
ref = lambda m: (m["annotations"]["org.opencontainers.image.ref.name"], m["digest"])
a, b = ({ref(m) for m in json.load(open(p))["manifests"]} for p in sys.argv[1:3])
sys.exit(a != b)
EOF
  log "  $kind round $round: push $(calc "$t1 - $t0") s, pull $(calc "$t2 - $t1") s, server CPU $(calc "$c2 - $c0") s, peak RSS $(hwm_mb "$pid") MB"
  stop_server "$name"
  rm -rf "$data" "$data.cwd" "$data.yml" "$pulled" "$cache"
}

phase_load pushpull
log "1. push + pull of the image set ($((SET_PUSHED / 1048576)) MiB pushed per round), $ROUNDS round(s) per registry"
for round in $(seq "$ROUNDS"); do
  # Alternate who goes first so drift (page cache, writeback, thermal) does not favour one side.
  if ((round % 2)); then order=$REGISTRIES; else order=$REGISTRIES_REVERSED; fi
  for kind in $order; do pushpull "$kind" "$round"; done
done

# ---------------------------------------------------------------- 2-4 on one fresh server each

declare -A PORT=() PID=()
for kind in $REGISTRIES; do
  PORT[$kind]=$(free_port)
  start_server "$kind" "$kind" "$RUN/data-$kind" "${PORT[$kind]}"; PID[$kind]=$SERVER_PID
  warm_up "$kind" "$kind" "${PORT[$kind]}"
  # ... and the plain-curl upload and download paths once, with a small blob.
  upload_blob "${PORT[$kind]}" warm/blob "$WARM_FILE" "$WARM_DIGEST"
  use_auth "${PORT[$kind]}" warm/blob pull
  curl -sf -o /dev/null --max-time 60 "${AUTH_H[@]}" "http://127.0.0.1:${PORT[$kind]}/v2/warm/blob/blobs/$WARM_DIGEST"
done
sync

phase_load large
log "2. single ${LARGE_MB} MiB blob: upload, then GET best of $GET_REPEATS"
for kind in $REGISTRIES; do
  port=${PORT[$kind]}; pid=${PID[$kind]}
  reset_hwm "$pid"; c0=$(cpu_seconds "$pid")
  upload_blob "$port" bench/large "$LARGE_FILE" "$LARGE_DIGEST"
  c1=$(cpu_seconds "$pid")
  record "$kind" large_put_mbs 1 "$UP_MBS"
  record "$kind" large_put_cpu_s 1 "$(calc "$c1 - $c0")"
  record "$kind" large_put_hwm_mb 1 "$(hwm_mb "$pid")"
  # Not timed: the bytes that come back are the bytes that went in.
  use_auth "$port" bench/large pull
  got="sha256:$(curl -sf --max-time "$CURL_TIMEOUT" "${AUTH_H[@]}" "http://127.0.0.1:$port/v2/bench/large/blobs/$LARGE_DIGEST" | sha256sum | cut -d' ' -f1)"
  [[ $got == "$LARGE_DIGEST" ]] || die "$kind returned a different large blob ($got)"
  log "  $kind: PUT $UP_MBS MB/s"
done
sync
declare -A GET_CPU=()
for kind in $REGISTRIES; do GET_CPU[$kind]=0; reset_hwm "${PID[$kind]}"; done
for i in $(seq "$GET_REPEATS"); do
  # Alternate who goes first, as in 1.
  if ((i % 2)); then order=$REGISTRIES; else order=$REGISTRIES_REVERSED; fi
  for kind in $order; do
    # The token is fetched before the clock starts, as a client holds one for its whole pull.
    use_auth "${PORT[$kind]}" bench/large pull
    pid=${PID[$kind]}; c0=$(cpu_seconds "$pid")
    read -r code size speed < <(curl -s -o /dev/null --max-time "$CURL_TIMEOUT" "${AUTH_H[@]}" -w '%{http_code} %{size_download} %{speed_download}\n' \
      "http://127.0.0.1:${PORT[$kind]}/v2/bench/large/blobs/$LARGE_DIGEST")
    [[ $code == 200 && $size == $((LARGE_MB * 1048576)) ]] || die "$kind large GET: HTTP $code, $size bytes"
    c1=$(cpu_seconds "$pid")
    GET_CPU[$kind]=$(calc "${GET_CPU[$kind]} + $c1 - $c0")
    record "$kind" large_get_mbs "$i" "$(calc "$speed / 1048576")"
  done
done
for kind in $REGISTRIES; do
  record "$kind" large_get_cpu_s_per_gib 1 "$(calc "${GET_CPU[$kind]} / $GET_REPEATS * 1024 / $LARGE_MB")"
  record "$kind" large_get_hwm_mb 1 "$(hwm_mb "${PID[$kind]}")"
  log "  $kind: GET $(awk -v k="$kind" '$1 == k && $2 == "large_get_mbs" { printf "%s ", $4 }' "$RESULTS")MB/s"
done

phase_load manifest
log "3. manifest GETs by tag, one connection (wrk -t1 -c1 -d${WRK_SECONDS}s)"
for kind in $REGISTRIES; do
  port=${PORT[$kind]}; pid=${PID[$kind]}
  cache=$RUN/skopeo-cache-$kind; mkdir -p "$cache"
  skopeo_creds "$port" dest
  skopeo_isolated "$cache" copy -q --dest-tls-verify=false "${SK_CREDS[@]}" "oci:$IMAGES:img2" "docker://127.0.0.1:$port/bench/app:v1" \
    >>"$LOGS/$kind-skopeo.log" 2>&1 || die "push for the manifest test failed ($kind)"
  url="http://127.0.0.1:$port/v2/bench/app/manifests/v1"
  use_auth "$port" bench/app pull
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Accept: $ACCEPT" "${AUTH_H[@]}" "$url")
  [[ $code == 200 ]] || die "$kind manifest GET answered $code"
  wrk -t1 -c1 -d3s -H "Accept: $ACCEPT" "${AUTH_H[@]}" "$url" >/dev/null   # warm-up (JIT, caches)
  c0=$(cpu_seconds "$pid")
  wrk -t1 -c1 -d"${WRK_SECONDS}s" --latency -H "Accept: $ACCEPT" "${AUTH_H[@]}" "$url" >"$LOGS/$kind-wrk-manifest.txt"
  c1=$(cpu_seconds "$pid")
  out=$LOGS/$kind-wrk-manifest.txt
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  total=$(awk '/requests in/ { print $1 }' "$out")
  bad=$(awk '/Non-2xx or 3xx responses:/ { print $NF } /Socket errors:/ { gsub(/[^0-9 ]/, ""); s = 0; for (i = 1; i <= NF; i++) s += $i; print s }' "$out" | awk '{ s += $1 } END { print s + 0 }')
  record "$kind" manifest_rps 1 "$rps"
  record "$kind" manifest_errors 1 "$bad"
  record "$kind" manifest_p50_us 1 "$(awk '$1 == "50%" { v = $2; if (v ~ /us$/) x = v + 0; else if (v ~ /ms$/) x = v * 1000; else x = v * 1e6; print x }' "$out")"
  record "$kind" manifest_p99_us 1 "$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) x = v + 0; else if (v ~ /ms$/) x = v * 1000; else x = v * 1e6; print x }' "$out")"
  record "$kind" manifest_cpu_us_per_req 1 "$(calc "($c1 - $c0) * 1e6 / $total")"
  log "  $kind: $rps req/s, errors $bad"
done

phase_load concurrent
log "4. $CONC_CLIENTS clients pulling one ${CONC_MB} MiB blob at once, $CONC_ROUNDS round(s)"
declare -A CONC_CPU=()
for kind in $REGISTRIES; do
  CONC_CPU[$kind]=0
  upload_blob "${PORT[$kind]}" bench/shared "$CONC_FILE" "$CONC_DIGEST"
  use_auth "${PORT[$kind]}" bench/shared pull
  curl -sf -o /dev/null "${AUTH_H[@]}" "http://127.0.0.1:${PORT[$kind]}/v2/bench/shared/blobs/$CONC_DIGEST"   # warm
  reset_hwm "${PID[$kind]}"
done
for round in $(seq "$CONC_ROUNDS"); do
  if ((round % 2)); then order=$REGISTRIES; else order=$REGISTRIES_REVERSED; fi
  for kind in $order; do
    pid=${PID[$kind]}; url="http://127.0.0.1:${PORT[$kind]}/v2/bench/shared/blobs/$CONC_DIGEST"
    use_auth "${PORT[$kind]}" bench/shared pull   # one token shared by the clients (-H applies to every transfer)
    # One curl process, all connections opened at once (--parallel-immediate): forking 32 shells
    # and curls costs seconds on a small VM and would be measured as registry time.
    args=(); for i in $(seq "$CONC_CLIENTS"); do args+=(-o /dev/null "$url"); done
    out=$RUN/conc-$kind-$round.txt
    c0=$(cpu_seconds "$pid"); t0=$(date +%s.%N)
    curl -s --no-progress-meter --parallel --parallel-immediate --parallel-max "$CONC_CLIENTS" --max-time 300 "${AUTH_H[@]}" \
      -w '%{http_code} %{size_download}\n' "${args[@]}" >"$out" 2>>"$LOGS/$kind-conc-curl.log" || true
    t1=$(date +%s.%N); c1=$(cpu_seconds "$pid")
    ok=$(awk -v size=$((CONC_MB * 1048576)) '$1 == 200 && $2 == size { n++ } END { print n + 0 }' "$out")
    CONC_CPU[$kind]=$(calc "${CONC_CPU[$kind]} + $c1 - $c0")
    record "$kind" conc_errors "$round" "$((CONC_CLIENTS - ok))"
    record "$kind" conc_mbs "$round" "$(calc "$CONC_CLIENTS * $CONC_MB / ($t1 - $t0)")"
    rm -f "$out"
  done
done
for kind in $REGISTRIES; do
  record "$kind" conc_cpu_s_per_gib 1 "$(calc "${CONC_CPU[$kind]} * 1024 / ($CONC_ROUNDS * $CONC_CLIENTS * $CONC_MB)")"
  record "$kind" conc_hwm_mb 1 "$(hwm_mb "${PID[$kind]}")"
  log "  $kind: $(awk -v k="$kind" '$1 == k && $2 == "conc_mbs" { printf "%s ", $4 }' "$RESULTS")MB/s aggregate, errors $(awk -v k="$kind" '$1 == k && $2 == "conc_errors" { s += $4 } END { print s }' "$RESULTS")"
done

phase_load end
for kind in $REGISTRIES; do record "$kind" idle_rss_end_mb 1 "$(rss_mb "${PID[$kind]}")"; stop_server "$kind"; done
rm -rf "$RUN"/data-* "$RUN"/skopeo-cache-*

# ---------------------------------------------------------------- summary

COMMAND="${BENCH_COMMAND:-bench/registry-bench.sh}"
"$PY" "$REPO_ROOT/bench/lib/summarize.py" "$RUN" "$COMMAND" | tee "$RUN/summary.txt"
log "markdown for docs/benchmarks.md: $RUN/benchmarks-block.md"
