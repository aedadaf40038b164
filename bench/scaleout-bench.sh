#!/usr/bin/env bash
# Scale-out benchmark (issue 6): Strata on S3 + PostgreSQL beside CNCF distribution 2.8 (Debian's
# docker-registry) on its s3 driver, both against the same S3-compatible server, same run; then
# Strata with 2 replicas vs 1 under 32 concurrent pulling clients. See docs/benchmarks.md,
# "Scale-out (issue 6)", for what it measures and why.
#
#   bench/scaleout-bench.sh                                   # everything (as root)
#   ROUNDS=1 SCALE=0.1 CONC_MB=16 WRK_SECONDS=3 bench/scaleout-bench.sh   # smoke run
#
# Settings (environment), as bench/registry-bench.sh where they share a name:
#   BENCH_WORK    work dir; caches the image set and the Strata build (/var/tmp/strata-bench)
#   STRATA_REV    git revision to publish and measure (HEAD); "worktree": the tree as it is
#   STRATA_BIN    an already published `strata` executable (then nothing is published)
#   ROUNDS        push/pull rounds per registry, fresh bucket prefix, database and client cache (2)
#   SCALE         image set size factor (1 = ~470 MB of unique compressed layers)
#   PART_MB       S3 part / chunk size of both registries, MiB (8: Strata's default)
#   CONC_CLIENTS  parallel clients pulling one blob (32); CONC_MB its size (100); CONC_ROUNDS (3)
#   WRK_SECONDS   manifest GET duration per configuration (10), after a 3 s warm-up
#   QUIET_LOAD / QUIET_WAIT   wait for a 1-minute load average below QUIET_LOAD, at most QUIET_WAIT s
#   PHASES        which parts to run: "pushpull fanout" (both, default), or one of them
#
# The S3 server (scripts/services/start-s3.sh) and PostgreSQL (start-postgres.sh) are the project's
# shared ones: started if needed, never stopped. Every round uses its own key prefix and database,
# deleted on exit (also when interrupted), with the servers this script started.
# Output: BENCH_WORK/results/scaleout-<stamp>/{results.tsv,summary.txt,benchmarks-block.md,logs}
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "$0")/.." && pwd)
HERE=$REPO_ROOT/bench/scaleout
BENCH_WORK=${BENCH_WORK:-/var/tmp/strata-bench}
ROUNDS=${ROUNDS:-2}
SCALE=${SCALE:-1}
PART_MB=${PART_MB:-8}
CONC_CLIENTS=${CONC_CLIENTS:-32}
CONC_MB=${CONC_MB:-100}
CONC_ROUNDS=${CONC_ROUNDS:-3}
WRK_SECONDS=${WRK_SECONDS:-10}
SKOPEO_TIMEOUT=${SKOPEO_TIMEOUT:-1800}
QUIET_LOAD=${QUIET_LOAD:-1.5}
QUIET_WAIT=${QUIET_WAIT:-600}
PHASES=${PHASES:-pushpull fanout}

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RUN=$BENCH_WORK/results/scaleout-$STAMP
LOGS=$RUN/logs
RESULTS=$RUN/results.tsv
IMAGES=$BENCH_WORK/images-scale-$SCALE
WARM_IMAGES=$BENCH_WORK/images-scale-0.01
CLK_TCK=$(getconf CLK_TCK)
PREFIX_ROOT=bench-scaleout/$STAMP
DB_PREFIX=strata_bench_$(date -u +%s)
ACCEPT='application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json'
PSQL=/usr/lib/postgresql/15/bin/psql

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$RESULTS"; }   # config metric rep value
calc() { awk "BEGIN { printf \"%.3f\\n\", $1 }"; }

# ---------------------------------------------------------------- prerequisites

install_missing() {
  local missing=() pair cmd pkg
  for pair in wrk:wrk skopeo:skopeo docker-registry:docker-registry curl:curl unshare:util-linux sha256sum:coreutils; do
    cmd=${pair%%:*}; pkg=${pair#*:}
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
  done
  /usr/bin/python3 -c 'import boto3' 2>/dev/null || missing+=(python3-boto3)
  if ((${#missing[@]})); then
    log "installing from Debian: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >/dev/null 2>&1 \
      || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >/dev/null; }
  fi
  [[ $(id -u) == 0 ]] || die "run as root (needed to isolate skopeo's blob-info cache)"
}

# ---------------------------------------------------------------- shared services, prefixes, databases

declare -A PIDS=()   # name -> pid of every server this script started
DATABASES=()

sql() { PGPASSWORD=$PG_PASSWORD "$PSQL" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "$PG_DATABASE" -v ON_ERROR_STOP=1 -qAt -c "$1"; }
new_database() { sql "CREATE DATABASE \"$1\"" >/dev/null; DATABASES+=("$1"); }
connection() { echo "Host=127.0.0.1;Port=$PG_PORT;Username=$PG_USER;Password=$PG_PASSWORD;Database=$1;Maximum Pool Size=64"; }
s3_prefix() { /usr/bin/python3 "$HERE/s3-prefix.py" "$@"; }

cleanup() {
  local name db
  for name in "${!PIDS[@]}"; do stop_server "$name"; done
  if [[ -n ${S3_ENDPOINT:-} ]]; then s3_prefix delete "$PREFIX_ROOT" 2>>"${LOGS:-/dev/null}/cleanup.log" || true; fi
  for db in "${DATABASES[@]}"; do sql "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true; done
  [[ -n ${RUN:-} && -d $RUN ]] && rm -rf "$RUN"/data-* "$RUN"/pulled-* "$RUN"/skopeo-cache-* "$RUN"/conc-*
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# start_server NAME KIND(dist|strata) PORT S3PREFIX DATABASE [redirect]; sets SERVER_PID and SERVER_READY_S.
# "redirect": Strata answers blob GETs with 307 to presigned S3 URLs (Storage:S3:RedirectReads).
# Both registries: the same bucket, the same part size, blob GETs served through the registry
# (distribution's redirect to S3 is turned off: Strata does not redirect by default either, and a
# redirect would move the bytes out of the measured process).
start_server() {
  local name=$1 kind=$2 port=$3 prefix=$4 database=$5 redirect=${6:-} data=$RUN/data-$1 pid
  mkdir -p "$data"
  if [[ $kind == dist ]]; then
    cat >"$data.yml" <<YML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  cache:
    blobdescriptor: inmemory
  s3:
    accesskey: "$S3_ACCESS_KEY"
    secretkey: "$S3_SECRET_KEY"
    region: $S3_REGION
    regionendpoint: $S3_ENDPOINT
    bucket: $S3_BUCKET
    secure: false
    v4auth: true
    chunksize: $((PART_MB * 1048576))
    rootdirectory: /$prefix
  redirect:
    disable: true
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
  secret: strata-bench-not-a-secret
YML
    # AWS_CA_BUNDLE (set on some machines for a TLS proxy) makes aws-sdk-go v1 in distribution
    # 2.8 panic at start ("unable to load custom CA bundle"); the store is plain HTTP anyway.
    env -u AWS_CA_BUNDLE docker-registry serve "$data.yml" >"$LOGS/$name.log" 2>&1 &
  else
    mkdir -p "$data.cwd"
    (cd "$data.cwd" && exec env -u AWS_CA_BUNDLE \
      STRATA__Storage__Driver=s3 STRATA__Storage__S3__ServiceUrl="$S3_ENDPOINT" STRATA__Storage__S3__Region="$S3_REGION" \
      STRATA__Storage__S3__Bucket="$S3_BUCKET" STRATA__Storage__S3__Prefix="$prefix" \
      STRATA__Storage__S3__AccessKey="$S3_ACCESS_KEY" STRATA__Storage__S3__SecretKey="$S3_SECRET_KEY" \
      STRATA__Storage__S3__PartSize=$((PART_MB * 1048576)) \
      STRATA__Metadata__Provider=postgres STRATA__Metadata__ConnectionString="$(connection "$database")" \
      STRATA__Publish__Enabled=false STRATA__Auth__Enabled=false STRATA__Storage__S3__RedirectReads=$([[ $redirect == redirect ]] && echo true || echo false) \
      "$STRATA_BIN" serve --data "$data" --listen "127.0.0.1:$port") >"$LOGS/$name.log" 2>&1 &
  fi
  pid=$!
  PIDS[$name]=$pid
  SERVER_PID=$pid
  local deadline=$((SECONDS + 90)) t0
  t0=$(date +%s.%N)
  until curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$port/v2/"; do
    kill -0 "$pid" 2>/dev/null || die "$name exited at start; see $LOGS/$name.log"
    ((SECONDS < deadline)) || die "$name not ready after 90 s"
    sleep 0.05
  done
  SERVER_READY_S=$(calc "$(date +%s.%N) - $t0")
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

cpu_seconds() { awk -v tck="$CLK_TCK" '{ sub(/^.*\) /, ""); printf "%.2f\n", ($12 + $13 + $14 + $15) / tck }' "/proc/$1/stat"; }
hwm_mb() { awk '/^VmHWM:/ { printf "%.1f\n", $2 / 1024 }' "/proc/$1/status"; }
reset_hwm() { echo 5 >"/proc/$1/clear_refs"; }
load1() { cut -d' ' -f1 /proc/loadavg; }
# CPU seconds of the S3 server's processes (Swift proxy, object, container, account servers, memcached),
# worker processes included: start-s3.sh starts each server in a session of its own, and a server
# with workers forks them into that session (a parent's stat counts children only once they exit).
s3_cpu() {
  local total=0 p w
  while read -r p; do
    for w in $(ps -o pid= -s "$p" 2>/dev/null); do [[ -r /proc/$w/stat ]] && total=$(calc "$total + $(cpu_seconds "$w")"); done
  done <"${S3_DIR:-/var/tmp/strata-ci-s3}/s3.pid"
  echo "$total"
}

skopeo_isolated() {
  local cache=$1; shift
  timeout "$SKOPEO_TIMEOUT" unshare -m --propagation private \
    sh -c 'mount --bind "$0" /var/lib/containers/cache && exec skopeo "$@"' "$cache" "$@"
}

upload_blob() { # upload_blob PORT REPO FILE DIGEST: POST then one streamed PUT
  local base="http://127.0.0.1:$1" location url code
  location=$(curl -sf --max-time 30 -X POST -D - -o /dev/null "$base/v2/$2/blobs/uploads/" | awk 'tolower($1) == "location:" { print $2 }' | tr -d '\r')
  [[ -n $location ]] || die "no upload location from $base"
  [[ $location == http* ]] || location=$base$location
  [[ $location == *\?* ]] && url="$location&digest=$4" || url="$location?digest=$4"
  code=$(curl -s --max-time 900 -X PUT -T "$3" -H 'Content-Type: application/octet-stream' -H 'Expect:' -o /dev/null -w '%{http_code}' "$url")
  [[ $code == 201 ]] || die "blob upload to $base answered $code"
}

random_file() { # random_file MiB -> path (cached; the same files registry-bench.sh uses)
  local f=$BENCH_WORK/random-$1M.bin
  if [[ ! -s $f.sha256 ]]; then
    head -c $(($1 * 1048576)) /dev/urandom >"$f.tmp" && mv "$f.tmp" "$f"
    echo "sha256:$(sha256sum "$f" | cut -d' ' -f1)" >"$f.sha256"
  fi
  echo "$f"
}

# ---------------------------------------------------------------- setup

install_missing
mkdir -p "$LOGS" "$BENCH_WORK"
: >"$RESULTS"
set -a
eval "$(bash "$REPO_ROOT/scripts/services/start-s3.sh" 2>>"$LOGS/services.log")"
eval "$(bash "$REPO_ROOT/scripts/services/start-postgres.sh" 2>>"$LOGS/services.log")"
set +a

. "$REPO_ROOT/bench/lib/strata-bin.sh"
ensure_strata_bin strata-bin-scaleout

for set in "$IMAGES:$SCALE" "$WARM_IMAGES:0.01"; do
  dir=${set%%:*}; scale=${set#*:}
  if [[ ! -s $dir/summary.json ]]; then
    log "building the image set (scale $scale) into $dir (cached for later runs)"
    rm -rf "$dir"
    /usr/bin/python3 "$REPO_ROOT/bench/lib/make-images.py" "$dir" --scale "$scale" >"$LOGS/make-images-$scale.log"
  fi
done
TAGS=$(/usr/bin/python3 -c 'import json,sys; print(" ".join(sorted(json.load(open(sys.argv[1]))["images"])))' "$IMAGES/summary.json")
read -r SET_UNIQUE SET_PUSHED < <(/usr/bin/python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s["unique_blob_bytes"], s["pushed_bytes"])' "$IMAGES/summary.json")
CONC_FILE=$(random_file "$CONC_MB"); CONC_DIGEST=$(cat "$CONC_FILE.sha256")

{
  echo "date=$STAMP"
  echo "nproc=$(nproc)"
  echo "cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
  echo "mem_total_mb=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 }' /proc/meminfo)"
  echo "kernel=$(uname -r)"
  echo "skopeo=$(skopeo --version | awk '{ print $3 }')"
  echo "distribution=$(docker-registry --version | awk '{ print $3 }')"
  echo "s3_server=OpenStack Swift $(/usr/bin/python3 -c 'import swift; print(swift.__version__)' 2>/dev/null) s3api (scripts/services/start-s3.sh)"
  echo "postgres=$(sql 'SHOW server_version')"
  echo "strata_commit=$STRATA_BUILT"
  echo "set_unique_bytes=$SET_UNIQUE"
  echo "set_pushed_bytes=$SET_PUSHED"
  echo "params=rounds=$ROUNDS scale=$SCALE part_mb=$PART_MB conc_clients=$CONC_CLIENTS conc_mb=$CONC_MB conc_rounds=$CONC_ROUNDS wrk_seconds=$WRK_SECONDS"
} >"$RUN/machine.txt"
log "run directory: $RUN"

if awk -v l="$(load1)" -v q="$QUIET_LOAD" 'BEGIN { exit !(l >= q) }'; then
  log "load average $(load1) >= $QUIET_LOAD: waiting up to $QUIET_WAIT s"
  deadline=$((SECONDS + QUIET_WAIT))
  while ((SECONDS < deadline)) && awk -v l="$(load1)" -v q="$QUIET_LOAD" 'BEGIN { exit !(l >= q) }'; do sleep 10; done
fi
cat "$IMAGES"/blobs/sha256/* "$CONC_FILE" >/dev/null

# ---------------------------------------------------------------- 1. push and pull on S3

warm_up() { # warm_up NAME PORT: a tiny unrelated image pushed and pulled (JIT, pools), not measured
  local cache=$RUN/skopeo-cache-$1-warm
  mkdir -p "$cache"
  skopeo_isolated "$cache" copy -q --dest-tls-verify=false "oci:$WARM_IMAGES:img4" "docker://127.0.0.1:$2/warm/img4:latest" >>"$LOGS/$1-skopeo.log" 2>&1 \
    || die "warm-up push to $1 failed; see $LOGS/$1-skopeo.log"
  skopeo_isolated "$cache" copy -q --src-tls-verify=false "docker://127.0.0.1:$2/warm/img4:latest" "oci:$cache/pulled:img4" >>"$LOGS/$1-skopeo.log" 2>&1 \
    || die "warm-up pull from $1 failed; see $LOGS/$1-skopeo.log"
  rm -rf "$cache"
}

pushpull() { # pushpull KIND ROUND
  local kind=$1 round=$2 name="$1-pp$2" port pid cache pulled t0 t1 t2 c0 c1 c2 s0 s1 s2 tag db prefix
  cache=$RUN/skopeo-cache-$name; pulled=$RUN/pulled-$name; prefix=$PREFIX_ROOT/$name; db=${DB_PREFIX}_$kind$round
  mkdir -p "$cache"
  [[ $kind == strata ]] && new_database "$db"
  port=$(free_port)
  start_server "$name" "$kind" "$port" "$prefix" "$db"; pid=$SERVER_PID
  record "$kind" ready_s "$round" "$SERVER_READY_S"
  warm_up "$name" "$port"
  c0=$(cpu_seconds "$pid"); s0=$(s3_cpu); reset_hwm "$pid"
  t0=$(date +%s.%N)
  for tag in $TAGS; do
    skopeo_isolated "$cache" copy -q --dest-tls-verify=false "oci:$IMAGES:$tag" "docker://127.0.0.1:$port/bench/$tag:latest" \
      >>"$LOGS/$name-skopeo.log" 2>&1 || die "push of $tag to $kind failed; see $LOGS/$name-skopeo.log"
  done
  t1=$(date +%s.%N); c1=$(cpu_seconds "$pid"); s1=$(s3_cpu)
  for tag in $TAGS; do
    skopeo_isolated "$cache" copy -q --src-tls-verify=false "docker://127.0.0.1:$port/bench/$tag:latest" "oci:$pulled:$tag" \
      >>"$LOGS/$name-skopeo.log" 2>&1 || die "pull of $tag from $kind failed; see $LOGS/$name-skopeo.log"
  done
  t2=$(date +%s.%N); c2=$(cpu_seconds "$pid"); s2=$(s3_cpu)
  record "$kind" push_s "$round" "$(calc "$t1 - $t0")"
  record "$kind" pull_s "$round" "$(calc "$t2 - $t1")"
  record "$kind" push_cpu_s "$round" "$(calc "$c1 - $c0")"
  record "$kind" pull_cpu_s "$round" "$(calc "$c2 - $c1")"
  record "$kind" push_s3_cpu_s "$round" "$(calc "$s1 - $s0")"
  record "$kind" pull_s3_cpu_s "$round" "$(calc "$s2 - $s1")"
  record "$kind" pushpull_hwm_mb "$round" "$(hwm_mb "$pid")"
  read -r objects bytes < <(s3_prefix size "$prefix")
  record "$kind" s3_objects "$round" "$objects"
  record "$kind" s3_mb "$round" "$(calc "$bytes / 1048576")"
  /usr/bin/python3 - "$IMAGES/index.json" "$pulled/index.json" <<'PY' || die "pulled manifests differ from the pushed ones ($kind round $round)"
import json, sys
ref = lambda m: (m["annotations"]["org.opencontainers.image.ref.name"], m["digest"])
a, b = ({ref(m) for m in json.load(open(p))["manifests"]} for p in sys.argv[1:3])
sys.exit(a != b)
PY
  log "  $kind round $round: push $(calc "$t1 - $t0") s, pull $(calc "$t2 - $t1") s, registry CPU $(calc "$c2 - $c0") s, S3 server CPU $(calc "$s2 - $s0") s, $objects objects"
  stop_server "$name"
  [[ $kind == strata ]] && pull_redirected "$round" "$prefix" "$db"
  s3_prefix delete "$prefix" 2>>"$LOGS/cleanup.log" || true
  rm -rf "$RUN/data-$name" "$RUN/data-$name.cwd" "$RUN/data-$name.yml" "$pulled" "$cache"
}

# pull_redirected ROUND PREFIX DATABASE: the same pull again through a Strata with blob GETs
# redirected to presigned S3 URLs, on the store the round just filled (fresh client cache).
pull_redirected() {
  local round=$1 prefix=$2 db=$3 name="strata-redirect$1" port pid cache pulled t0 t1 c0 c1 s0 s1 tag
  cache=$RUN/skopeo-cache-$name; pulled=$RUN/pulled-$name
  mkdir -p "$cache"
  port=$(free_port)
  start_server "$name" strata "$port" "$prefix" "$db" redirect; pid=$SERVER_PID
  warm_up "$name" "$port"
  c0=$(cpu_seconds "$pid"); s0=$(s3_cpu); t0=$(date +%s.%N)
  for tag in $TAGS; do
    skopeo_isolated "$cache" copy -q --src-tls-verify=false "docker://127.0.0.1:$port/bench/$tag:latest" "oci:$pulled:$tag" \
      >>"$LOGS/$name-skopeo.log" 2>&1 || die "redirected pull of $tag failed; see $LOGS/$name-skopeo.log"
  done
  t1=$(date +%s.%N); c1=$(cpu_seconds "$pid"); s1=$(s3_cpu)
  record strata pull_redirect_s "$round" "$(calc "$t1 - $t0")"
  record strata pull_redirect_cpu_s "$round" "$(calc "$c1 - $c0")"
  record strata pull_redirect_s3_cpu_s "$round" "$(calc "$s1 - $s0")"
  log "  strata round $round, blob GETs redirected to S3: pull $(calc "$t1 - $t0") s, registry CPU $(calc "$c1 - $c0") s, S3 server CPU $(calc "$s1 - $s0") s"
  stop_server "$name"
  rm -rf "$RUN/data-$name" "$RUN/data-$name.cwd" "$pulled" "$cache"
}

record machine load_start 1 "$(load1)"
if [[ " $PHASES " == *" pushpull "* ]]; then
log "1. push + pull of the image set ($((SET_PUSHED / 1048576)) MiB pushed per round) on S3, $ROUNDS round(s) per registry"
for round in $(seq "$ROUNDS"); do
  if ((round % 2)); then order="dist strata"; else order="strata dist"; fi
  for kind in $order; do pushpull "$kind" "$round"; done
done

fi

# ---------------------------------------------------------------- 2. one replica vs two, 32 pulling clients
if [[ " $PHASES " == *" fanout "* ]]; then

# Configurations: dist (1 process), strata1 (1 replica), strata2 (2 replicas on one prefix + database).
record machine load_fanout 1 "$(load1)"
log "2. $CONC_CLIENTS clients pulling one ${CONC_MB} MiB blob, and manifest GETs: distribution, Strata x1, Strata x2"
new_database "${DB_PREFIX}_fan"
declare -A FPORT=() FPID=()
FPORT[dist]=$(free_port); start_server fan-dist dist "${FPORT[dist]}" "$PREFIX_ROOT/fan-dist" -; FPID[dist]=$SERVER_PID
FPORT[s1]=$(free_port); start_server fan-s1 strata "${FPORT[s1]}" "$PREFIX_ROOT/fan-strata" "${DB_PREFIX}_fan"; FPID[s1]=$SERVER_PID
FPORT[s2]=$(free_port); start_server fan-s2 strata "${FPORT[s2]}" "$PREFIX_ROOT/fan-strata" "${DB_PREFIX}_fan"; FPID[s2]=$SERVER_PID
FPORT[s1r]=$(free_port); start_server fan-s1r strata "${FPORT[s1r]}" "$PREFIX_ROOT/fan-strata" "${DB_PREFIX}_fan" redirect; FPID[s1r]=$SERVER_PID
for k in dist s1; do
  warm_up "fan-$k" "${FPORT[$k]}"
  upload_blob "${FPORT[$k]}" bench/shared "$CONC_FILE" "$CONC_DIGEST"
  skopeo_isolated "$(mkdir -p "$RUN/skopeo-cache-fan-$k" && echo "$RUN/skopeo-cache-fan-$k")" copy -q --dest-tls-verify=false \
    "oci:$WARM_IMAGES:img4" "docker://127.0.0.1:${FPORT[$k]}/bench/app:v1" >>"$LOGS/fan-$k-skopeo.log" 2>&1 || die "manifest push to $k failed"
done
warm_up fan-s2 "${FPORT[s2]}"
warm_up fan-s1r "${FPORT[s1r]}"
# The second replica serves what the first took: nothing was pushed through it.
for k in dist s1 s2 s1r; do
  got="sha256:$(curl -sfL --max-time 300 "http://127.0.0.1:${FPORT[$k]}/v2/bench/shared/blobs/$CONC_DIGEST" | sha256sum | cut -d' ' -f1)"
  [[ $got == "$CONC_DIGEST" ]] || die "$k served a different blob ($got)"
done

# conc_round CONFIG ROUND PORT...: CONC_CLIENTS downloads at once, spread round-robin over the ports.
conc_round() {
  local config=$1 round=$2; shift 2
  local ports=("$@") args=() i out t0 t1 c0 c1 pids=() p ok
  for i in $(seq 0 $((CONC_CLIENTS - 1))); do
    args+=(-o /dev/null "http://127.0.0.1:${ports[$((i % ${#ports[@]}))]}/v2/bench/shared/blobs/$CONC_DIGEST")
  done
  case $config in dist) pids=("${FPID[dist]}") ;; strata1) pids=("${FPID[s1]}") ;; strata2) pids=("${FPID[s1]}" "${FPID[s2]}") ;; strata1r) pids=("${FPID[s1r]}") ;; esac
  out=$RUN/conc-$config-$round.txt
  c0=0; for p in "${pids[@]}"; do c0=$(calc "$c0 + $(cpu_seconds "$p")"); done
  t0=$(date +%s.%N)
  curl -sL --no-progress-meter --parallel --parallel-immediate --parallel-max "$CONC_CLIENTS" --max-time 600 \
    -w '%{http_code} %{size_download}\n' "${args[@]}" >"$out" 2>>"$LOGS/conc-curl.log" || true
  t1=$(date +%s.%N)
  c1=0; for p in "${pids[@]}"; do c1=$(calc "$c1 + $(cpu_seconds "$p")"); done
  ok=$(awk -v size=$((CONC_MB * 1048576)) '$1 == 200 && $2 == size { n++ } END { print n + 0 }' "$out")
  record "$config" conc_errors "$round" "$((CONC_CLIENTS - ok))"
  # Only complete downloads count: a failed one moved few or no bytes.
  record "$config" conc_mbs "$round" "$(calc "$ok * $CONC_MB / ($t1 - $t0)")"
  record "$config" conc_cpu_s_per_gib "$round" "$(calc "($c1 - $c0) * 1024 / ($CONC_CLIENTS * $CONC_MB)")"
  rm -f "$out"
}
for round in $(seq "$CONC_ROUNDS"); do
  case $((round % 3)) in 1) order="dist strata1 strata2 strata1r" ;; 2) order="strata2 strata1r dist strata1" ;; *) order="strata1r strata1 strata2 dist" ;; esac
  for config in $order; do
    case $config in
      dist) conc_round dist "$round" "${FPORT[dist]}" ;;
      strata1) conc_round strata1 "$round" "${FPORT[s1]}" ;;
      strata2) conc_round strata2 "$round" "${FPORT[s1]}" "${FPORT[s2]}" ;;
      strata1r) conc_round strata1r "$round" "${FPORT[s1r]}" ;;
    esac
  done
done
for config in dist strata1 strata2 strata1r; do
  log "  $config: $(awk -v k="$config" '$1 == k && $2 == "conc_mbs" { printf "%s ", $4 }' "$RESULTS")MB/s aggregate, errors $(awk -v k="$config" '$1 == k && $2 == "conc_errors" { s += $4 } END { print s }' "$RESULTS")"
done

# wrk_run CONFIG PORT...: manifest GETs by tag, CONC_CLIENTS connections split over the ports, one wrk each, at once.
wrk_run() {
  local config=$1; shift
  local ports=("$@") per=$((CONC_CLIENTS / $#)) p i=0 rps=0 errors=0 f wrks=()
  for p in "${ports[@]}"; do wrk -t1 -c"$per" -d3s -H "Accept: $ACCEPT" "http://127.0.0.1:$p/v2/bench/app/manifests/v1" >/dev/null; done
  for p in "${ports[@]}"; do
    wrk -t1 -c"$per" -d"${WRK_SECONDS}s" --latency -H "Accept: $ACCEPT" "http://127.0.0.1:$p/v2/bench/app/manifests/v1" >"$LOGS/wrk-$config-$i.txt" &
    wrks+=($!)
    i=$((i + 1))
  done
  # Only the wrk processes: a bare `wait` would also wait for the registries, which never end.
  wait "${wrks[@]}"
  for f in "$LOGS"/wrk-"$config"-*.txt; do
    rps=$(calc "$rps + $(awk '/^Requests\/sec:/ { print $2 }' "$f")")
    errors=$((errors + $(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$f" | awk '{ s += $1 } END { print s + 0 }')))
  done
  record "$config" manifest_rps 1 "$rps"
  record "$config" manifest_errors 1 "$errors"
  log "  $config: $rps manifest GETs/s over $CONC_CLIENTS connections, errors $errors"
}
record machine load_manifest 1 "$(load1)"
wrk_run dist "${FPORT[dist]}"
wrk_run strata1 "${FPORT[s1]}"
wrk_run strata2 "${FPORT[s1]}" "${FPORT[s2]}"
record machine load_end 1 "$(load1)"
for k in dist s1 s2 s1r; do stop_server "fan-$k"; done
fi

# ---------------------------------------------------------------- summary

/usr/bin/python3 "$HERE/summarize.py" "$RUN" "${BENCH_COMMAND:-bench/scaleout-bench.sh}" | tee "$RUN/summary.txt"
log "markdown for docs/benchmarks.md: $RUN/benchmarks-block.md"
