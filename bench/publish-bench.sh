#!/usr/bin/env bash
# CernVM-FS publication benchmark (issue 3): publication latency, ingest throughput beside
# `gzip -dc` of the same layers in the same run, and storage / file-level dedup. See
# docs/benchmarks.md, "Publication (issue 3)", for what it measures and why.
#
#   bench/publish-bench.sh                  # everything, ~5 minutes on 2 cores
#   SCALE=0.1 CONFIGS='level6=--Publish:CompressionLevel 6' bench/publish-bench.sh   # smoke run
#
# Settings (environment):
#   BENCH_WORK    work dir; caches the image set and the Strata build (/var/tmp/strata-bench)
#   STRATA_REV    git revision to publish and measure (HEAD); "worktree" = the working tree as is
#   STRATA_BIN    an already published `strata` executable (then nothing is published)
#   CONFIGS       publisher configurations measured one after the other, one per line:
#                 "name=extra strata serve arguments" (default: zlib level 6, cvmfs's; level 1;
#                 level 1 with incompressible files stored uncompressed)
#   SCALE         image set size factor (1 = ~460 MB of unique compressed layers)
#   GZIP_REPEATS  timed `gzip -dc` runs per layer, the fastest counts (3)
#   REPEATS       re-tag and new-image-on-a-known-base publications per configuration (3)
#   WRK_SECONDS   manifest GETs measured while a publication runs, and idle (5)
#   QUIET_LOAD / QUIET_WAIT   wait for a 1-minute load below QUIET_LOAD, at most QUIET_WAIT s
# Needs root (skopeo's blob-info cache is isolated in a private mount namespace).
# Output: BENCH_WORK/results/publish-<stamp>/{results.tsv,summary.md,logs}
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH_WORK=${BENCH_WORK:-/var/tmp/strata-bench}
SCALE=${SCALE:-1}
GZIP_REPEATS=${GZIP_REPEATS:-3}
REPEATS=${REPEATS:-3}
WRK_SECONDS=${WRK_SECONDS:-5}
QUIET_LOAD=${QUIET_LOAD:-1.5}
QUIET_WAIT=${QUIET_WAIT:-300}
SKOPEO_TIMEOUT=${SKOPEO_TIMEOUT:-900}
PUBLISH_TIMEOUT=${PUBLISH_TIMEOUT:-900}
DEFAULT_CONFIGS='level6=--Publish:CompressionLevel 6
level1=--Publish:CompressionLevel 1
level1-raw=--Publish:CompressionLevel 1 --Publish:StoreIncompressibleUncompressed true'
CONFIGS=${CONFIGS:-$DEFAULT_CONFIGS}
FQRN=unpacked.strata.local
HOST=bench.strata.local
ACCEPT='application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json'

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RUN=$BENCH_WORK/results/publish-$STAMP
LOGS=$RUN/logs
RESULTS=$RUN/results.tsv
IMAGES=$BENCH_WORK/images-scale-$SCALE
DERIVED=$BENCH_WORK/derived-scale-$SCALE

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$RESULTS"; }   # config metric item value
calc() { awk "BEGIN { printf \"%.3f\\n\", $1 }"; }
CLK_TCK=$(getconf CLK_TCK)
# CPU seconds (user + system, reaped children included) of a process, from /proc/PID/stat:
# far less sensitive than wall time to other work on a shared machine.
cpu_seconds() { awk -v tck="$CLK_TCK" '{ sub(/^.*\) /, ""); printf "%.2f\n", ($12 + $13 + $14 + $15) / tck }' "/proc/$1/stat"; }
now() { date +%s.%N; }
load1() { cut -d' ' -f1 /proc/loadavg; }

for cmd in skopeo curl python3 gzip unshare wrk; do command -v "$cmd" >/dev/null || die "$cmd is missing (apt-get install skopeo curl python3 gzip util-linux wrk)"; done
[[ $(id -u) == 0 ]] || die "run as root (needed to isolate skopeo's blob-info cache)"
PY=$(command -v /usr/bin/python3 || command -v python3)
mkdir -p "$LOGS"
: >"$RESULTS"

SERVER_PID=
cleanup() {
  [[ -n $SERVER_PID ]] && { kill -TERM "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null || true; }
  [[ -n ${RUN:-} && -d $RUN ]] && rm -rf "$RUN"/data-* "$RUN"/skopeo-cache-*
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

skopeo_isolated() {
  local cache=$1; shift
  mkdir -p "$cache"
  timeout "$SKOPEO_TIMEOUT" unshare -m --propagation private \
    sh -c 'mount --bind "$0" /var/lib/containers/cache && exec skopeo "$@"' "$cache" "$@" </dev/null
}

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# ---------------------------------------------------------------- Strata build, image sets

. "$REPO_ROOT/bench/lib/strata-bin.sh"
ensure_strata_bin publish-strata-bin

if [[ ! -s $IMAGES/summary.json ]]; then
  log "building the image set (scale $SCALE) into $IMAGES"
  rm -rf "$IMAGES"; "$PY" "$REPO_ROOT/bench/lib/make-images.py" "$IMAGES" --scale "$SCALE" >"$LOGS/make-images.log"
fi
if [[ ! -s $DERIVED/index.json ]]; then
  log "deriving images (new image on a known base, rebuilt base) into $DERIVED"
  rm -rf "$DERIVED" "$DERIVED.tmp"; "$PY" "$REPO_ROOT/bench/publish/derive-images.py" "$IMAGES" "$DERIVED.tmp" >"$LOGS/derive-images.log"
  mv "$DERIVED.tmp" "$DERIVED"; cp "$LOGS/derive-images.log" "$DERIVED/summary.json"
fi
cp "$DERIVED/summary.json" "$RUN/derived-summary.json"
WARM_IMAGES=$BENCH_WORK/images-scale-0.01
[[ -s $WARM_IMAGES/summary.json ]] || "$PY" "$REPO_ROOT/bench/lib/make-images.py" "$WARM_IMAGES" --scale 0.01 >"$LOGS/make-warm-images.log"
TAGS=$("$PY" -c 'import json,sys; print(" ".join(sorted(json.load(open(sys.argv[1]))["images"])))' "$IMAGES/summary.json")

{
  echo "date=$STAMP"; echo "nproc=$(nproc)"
  echo "cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
  echo "kernel=$(uname -r)"; echo "gzip=$(gzip --version | head -1)"
  echo "dotnet=$(dotnet --list-runtimes 2>/dev/null | awk '/NETCore/ { v = $2 } END { print v }')"
  echo "strata_commit=$STRATA_BUILT"; echo "scale=$SCALE"
} >"$RUN/machine.txt"
log "run directory: $RUN"

if awk -v l="$(load1)" -v q="$QUIET_LOAD" 'BEGIN { exit !(l >= q) }'; then
  log "load $(load1) >= $QUIET_LOAD: waiting up to $QUIET_WAIT s"
  deadline=$((SECONDS + QUIET_WAIT))
  while ((SECONDS < deadline)) && awk -v l="$(load1)" -v q="$QUIET_LOAD" 'BEGIN { exit !(l >= q) }'; do sleep 10; done
fi
record machine load_start 1 "$(load1)"
cat "$IMAGES"/blobs/sha256/* >/dev/null   # page cache, for gzip and for the pushes alike

# ---------------------------------------------------------------- anchor: gzip -dc of every layer

log "anchor: gzip -dc of each layer, best of $GZIP_REPEATS"
"$PY" - "$IMAGES/summary.json" >"$RUN/layers.tsv" <<'PYEOF'
import json, sys
s = json.load(open(sys.argv[1]))
for name, l in sorted(s["layers"].items()):
    print(name, l["digest"].split(":")[1], l["size"], l["tar_size"], l["files"], sep="\t")
PYEOF
TIMEFORMAT='%3U %3S'
while IFS=$'\t' read -r name hex size tar files; do
  best=; best_cpu=
  for _ in $(seq "$GZIP_REPEATS"); do
    t0=$(now)
    read -r u s < <({ time gzip -dc "$IMAGES/blobs/sha256/$hex" >/dev/null; } 2>&1)
    t=$(calc "$(now) - $t0"); cpu=$(calc "$u + $s")
    [[ -z $best ]] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }' && best=$t
    [[ -z $best_cpu ]] || awk -v a="$cpu" -v b="$best_cpu" 'BEGIN { exit !(a < b) }' && best_cpu=$cpu
  done
  record gzip layer_s "$name" "$best"
  record gzip layer_cpu_s "$name" "$best_cpu"
done <"$RUN/layers.tsv"

# ---------------------------------------------------------------- Strata, per configuration

status_json() { curl -sf --max-time 10 "http://127.0.0.1:$PORT/api/v1/publications/status?image=$1" || true; }
field() { "$PY" -c 'import json,sys
try: d = json.loads(sys.stdin.read() or "{}")
except ValueError: d = {}
for k in sys.argv[1].split("."): d = (d or {}).get(k) if isinstance(d, dict) else None
print("" if d is None else d)' "$1"; }

# wait_published IMAGE SINCE_ID: waits until IMAGE has a succeeded publication job other than
# SINCE_ID (the job before the push) and prints its JSON. Polls every 20 ms with curl alone
# (no interpreter start per poll), so the latency measured is not the poller's.
wait_published() {
  local image=$1 since=$2 deadline=$((SECONDS + PUBLISH_TIMEOUT)) json id state
  while ((SECONDS < deadline)); do
    json=$(status_json "$image")
    id=; state=
    [[ $json =~ \"id\":([0-9]+) ]] && id=${BASH_REMATCH[1]}
    [[ $json =~ \"state\":\"([a-z]+)\" ]] && state=${BASH_REMATCH[1]}
    if [[ -n $id && $id != "$since" ]]; then
      [[ $state == succeeded ]] && { echo "$json"; return 0; }
      [[ $state == failed ]] && die "publication of $image failed: $json"
    fi
    sleep 0.02
  done
  die "publication of $image not done after $PUBLISH_TIMEOUT s"
}
job_id() { local json; json=$(status_json "$1"); [[ $json =~ \"id\":([0-9]+) ]] && echo "${BASH_REMATCH[1]}" || true; }

# publish_timed CONFIG ITEM SRC DEST_REPO:TAG: push, then time until the publication succeeded.
publish_timed() {
  local config=$1 item=$2 src=$3 dest=$4 since t0 t1 t2 c1 c2 json
  since=$(job_id "$dest")
  t0=$(now)
  skopeo_isolated "$CACHE" copy -q --dest-tls-verify=false --src-tls-verify=false "$src" "docker://127.0.0.1:$PORT/$dest" >>"$LOGS/$config-skopeo.log" 2>&1 \
    || die "push of $src failed; see $LOGS/$config-skopeo.log"
  t1=$(now); c1=$(cpu_seconds "$SERVER_PID")
  json=$(wait_published "$dest" "$since"); t2=$(now); c2=$(cpu_seconds "$SERVER_PID")
  record "$config" publish_cpu_s "$item" "$(calc "$c2 - $c1")"
  record "$config" push_s "$item" "$(calc "$t1 - $t0")"
  record "$config" latency_s "$item" "$(calc "$t2 - $t1")"
  for k in ingestMs flattenMs commitMs totalMs layersIngested layersReused uncompressedBytes compressedBytesRead storedBytes objectsStored files revision; do
    record "$config" "$k" "$item" "$(field "result.$k" <<<"$json")"
  done
  log "  $config $item: push $(calc "$t1 - $t0") s, live $(calc "$t2 - $t1") s after the push (ingest $(field result.ingestMs <<<"$json") ms, $(field result.layersIngested <<<"$json") layers)"
}

wrk_manifest() { # wrk_manifest CONFIG ITEM URL
  wrk -t1 -c1 -d"${WRK_SECONDS}s" --latency -H "Accept: $ACCEPT" "$3" </dev/null >"$LOGS/$1-wrk-$2.txt" 2>&1 || true
  record "$1" wrk_rps "$2" "$(awk '/^Requests\/sec:/ { print $2 }' "$LOGS/$1-wrk-$2.txt")"
  record "$1" wrk_p99_ms "$2" "$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) x = v / 1000; else if (v ~ /ms$/) x = v + 0; else x = v * 1000; print x }' "$LOGS/$1-wrk-$2.txt")"
}

while IFS= read -r line; do
  [[ -n $line ]] || continue
  config=${line%%=*}; args=${line#*=}
  data=$RUN/data-$config; CACHE=$RUN/skopeo-cache-$config
  mkdir -p "$data.cwd"
  PORT=$(free_port)
  log "configuration $config: strata serve $args"
  # An open registry (--Auth:Enabled false): access control is not what this measures.
  (cd "$data.cwd" && exec "$STRATA_BIN" serve --data "$data" --listen "127.0.0.1:$PORT" --Auth:Enabled false --Publish:RegistryHost "$HOST" $args) </dev/null >"$LOGS/$config-server.log" 2>&1 &
  SERVER_PID=$!
  deadline=$((SECONDS + 60))
  until curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/v2/"; do
    kill -0 "$SERVER_PID" 2>/dev/null || die "strata exited; see $LOGS/$config-server.log"
    ((SECONDS < deadline)) || die "strata not ready after 60 s"; sleep 0.1
  done

  # Warm-up: a tiny image through push and publication (JIT, caches), unrelated to the set.
  publish_timed "$config" warm "oci:$WARM_IMAGES:img4" warm/img4:latest
  manifest_url="http://127.0.0.1:$PORT/v2/warm/img4/manifests/latest"
  wrk_manifest "$config" idle "$manifest_url"

  # 1. The image set, one image at a time: new layers are ingested, shared ones reused.
  record "$config" load_set 1 "$(load1)"
  for tag in $TAGS; do publish_timed "$config" "$tag" "oci:$IMAGES:$tag" "bench/$tag:latest"; done

  # 2. Re-tags (every layer and the flat image known) and new images on a known base.
  for i in $(seq "$REPEATS"); do
    publish_timed "$config" "retag$i" "docker://127.0.0.1:$PORT/bench/img1:latest" "bench/img1:retag$i"
    publish_timed "$config" "onbase$i" "oci:$DERIVED:onbase$((i > 3 ? 3 : i))" "bench/onbase:v$i"
  done

  # 3. A rebuilt base (same files, new layer digests): registry bytes vs repository bytes.
  du_before=$(du -sb "$data/storage/cvmfs/$FQRN/data" | cut -f1)
  publish_timed "$config" img1r "oci:$DERIVED:img1r" "bench/img1r:latest"
  du_after=$(du -sb "$data/storage/cvmfs/$FQRN/data" | cut -f1)
  record "$config" rebuilt_repo_bytes 1 "$((du_after - du_before))"

  # 4. Storage: registry blobs vs the repository's data/, objects by kind.
  record "$config" registry_blob_bytes 1 "$(du -sb --apparent-size "$data/storage/blobs" | cut -f1)"
  record "$config" repo_data_bytes 1 "$(find "$data/storage/cvmfs/$FQRN/data" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')"
  for kind in file:'[0-9a-f]' chunk:P catalog:C other:'[XHM]'; do
    record "$config" "objects_${kind%%:*}" 1 "$(find "$data/storage/cvmfs/$FQRN/data" -type f -name "*${kind#*:}" | wc -l)"
  done

  # 5. Request serving while a publication runs: manifest GETs by tag (1 connection) while the
  #    "busy" image (a rebuilt 160 MiB layer) is being ingested, beside the same GETs idle (step 0).
  since=$(job_id bench/busy:latest)
  skopeo_isolated "$CACHE" copy -q --dest-tls-verify=false "oci:$DERIVED:busy" "docker://127.0.0.1:$PORT/bench/busy:latest" >>"$LOGS/$config-skopeo.log" 2>&1 \
    || die "push of the busy image failed"
  t1=$(now)
  wrk_manifest "$config" during "$manifest_url"
  json=$(wait_published bench/busy:latest "$since")
  record "$config" latency_s busy "$(calc "$(now) - $t1")"
  record "$config" ingestMs busy "$(field result.ingestMs <<<"$json")"
  log "  $config: manifest GETs idle $(awk -v c="$config" '$1 == c && $2 == "wrk_rps" && $3 == "idle" { print $4 }' "$RESULTS") req/s, during a publication $(awk -v c="$config" '$1 == c && $2 == "wrk_rps" && $3 == "during" { print $4 }' "$RESULTS") req/s"

  kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
  rm -rf "$data" "$data.cwd" "$CACHE"
done <<<"$CONFIGS"
record machine load_end 1 "$(load1)"

"$PY" "$REPO_ROOT/bench/publish/summarize.py" "$RUN" "$IMAGES/summary.json" "${BENCH_COMMAND:-bench/publish-bench.sh}" | tee "$RUN/summary.md"
