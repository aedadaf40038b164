#!/usr/bin/env bash
# Client benchmark (issue 4): Strata's lazy FUSE client beside a full pull, a local copy and a
# squashfs image of the same tree, in one run. See docs/benchmarks.md, "Client (issue 4)".
#
#   bench/client-bench.sh                    # as root; ~5 minutes on 2 cores
#   ROUNDS=1 LARGE_MB=64 bench/client-bench.sh   # smoke run
#
# What it measures (each figure ROUNDS times, fresh where it says so):
#   cold start  `strata mount` with an empty cache, then `chroot <image> python3 -c 'print(1)'`:
#               wall time from starting the client to python's exit, and bytes fetched (the
#               client's status file); beside `skopeo copy` + `umoci unpack` of the same image
#               followed by the same python run (the full pull a runtime without lazy loading does).
#               Two images (bench/client/make-images.sh): "python" (python3.11 + stdlib, 63 MB, the
#               image of the first runs) and "slim" (a python:3.11-slim-sized Debian + Python, 146 MB)
#   warm stat   on a warm local cache, three tools: `find <image>/ -type f | xargs stat` (the issue's
#               command; bound by starting `stat` processes), `find -printf '%s'` (one process, an
#               fstatat per file) and a python os.scandir walk + os.stat loop; each on a fresh mount
#               (every lookup reaches the client) and again on the same mount (kernel caches hot);
#               beside the local unpacked copy and a squashfuse mount of the same tree (gzip squashfs)
#   seq read    one LARGE_MB file: cold (empty cache, over HTTP from `strata serve` on loopback),
#               warm (cache full, fresh mount: FUSE + the client reading its cache files) and hot
#               (same mount again: the kernel page cache); beside the local copy and squashfuse
#
# The stock cvmfs client is not compared: Debian 12 has no cvmfs package (`apt-cache policy
# cvmfs` finds nothing) and nothing else can be installed here.
#
# Settings: BENCH_WORK (/var/tmp/strata-bench-client), ROUNDS (3), LARGE_MB (256),
#   STRATA_BIN (a published strata executable; otherwise HEAD is published from `git archive`),
#   STRATA_REV (HEAD; "worktree" for the tree as it is).
# Output: BENCH_WORK/results/<stamp>/{results.tsv,summary.md,logs/}
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH_WORK=${BENCH_WORK:-/var/tmp/strata-bench-client}
ROUNDS=${ROUNDS:-3}
LARGE_MB=${LARGE_MB:-256}
FQRN=unpacked.strata.bench
HOST=registry.strata.bench
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RUN=$BENCH_WORK/results/$STAMP
LOGS=$RUN/logs
RESULTS=$RUN/results.tsv

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.3f\\n\", $1 }"; }
record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$RESULTS"; }   # metric round value

# ---------------------------------------------------------------- prerequisites

[[ $(id -u) == 0 ]] || die "run as root (FUSE mounts, chroot, umoci unpack)"
missing=()
# clang: the publish links the native strata-mount with it (src/Strata.Cli/Strata.Cli.csproj).
for pair in skopeo:skopeo umoci:umoci mksquashfs:squashfs-tools squashfuse:squashfuse curl:curl clang:clang; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
if ((${#missing[@]})); then
  log "installing from Debian: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }
fi
mkdir -p "$LOGS"
: >"$RESULTS"

# ---------------------------------------------------------------- processes and mounts

SERVER_PID= MOUNT_PID=
MOUNTS=()
cleanup() {
  [[ -n $MOUNT_PID ]] && stop_mount
  local m
  for m in "${MOUNTS[@]}"; do umount -l "$m" 2>/dev/null || true; done
  if [[ -n $SERVER_PID ]]; then kill -TERM "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  [[ -d $RUN ]] && rm -rf "$RUN"/data "$RUN"/cache-* "$RUN"/pull-* "$RUN"/local-* "$RUN"/*.sqfs "$RUN"/mnt-*
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The system's python (a pyenv shim in PATH costs seconds per start on a loaded machine).
PYTHON=/usr/bin/python3
[[ -x $PYTHON ]] || PYTHON=python3
free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# start_mount CACHE MOUNTPOINT NAME: starts `strata mount` in the background, returns once it
# serves; sets MOUNT_PID and MOUNT_READY_S (seconds from start to "mounted").
start_mount() {
  local cache=$1 mnt=$2 name=$3 t0 deadline=$((SECONDS + 60))
  mkdir -p "$cache" "$mnt"
  : >"$LOGS/$name.log"   # exists before the poll below reads it
  t0=$(now)
  "$STRATA_BIN" mount --key "$KEY" --cache "$cache" --kernel-cache 60 "$URL" "$mnt" >"$LOGS/$name.log" 2>&1 &
  MOUNT_PID=$!
  MOUNT_POINT=$mnt
  until grep -q 'mounted on' "$LOGS/$name.log"; do
    kill -0 "$MOUNT_PID" 2>/dev/null || die "strata mount exited; see $LOGS/$name.log"
    ((SECONDS < deadline)) || die "strata mount not ready after 60 s"
    sleep 0.002
  done
  MOUNT_READY_S=$(calc "$(now) - $t0")
}

# stop_mount: SIGTERM (an orderly unmount); the final status file stays in the cache.
stop_mount() {
  kill -TERM "$MOUNT_PID" 2>/dev/null || true
  wait "$MOUNT_PID" 2>/dev/null || true
  MOUNT_PID=
}

# bytes_fetched CACHE PID: from the client's status file (written at unmount too).
bytes_fetched() {
  "$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["bytes_fetched"])' "$1/repos/$FQRN/status-$2.json"
}

# stat_rate TOOL DIR LABEL ROUND: stats every file under DIR with TOOL, timed; records entries/s.
#   xargs   find DIR -type f | xargs stat   (the issue's command; mostly `stat` process starts)
#   printf  find DIR -type f -printf '%s'   (one process: readdir + fstatat per file)
#   python  os.scandir walk + os.stat of every file, in one python process
stat_rate() {
  local tool=$1 dir=$2 label=$3 round=$4 t0 t1 n seconds
  case $tool in
    xargs) t0=$(now); find "$dir" -type f -print0 | xargs -0 stat >/dev/null; t1=$(now); seconds=$(calc "$t1 - $t0") ;;
    printf) t0=$(now); find "$dir" -type f -printf '%s %T@\n' >/dev/null; t1=$(now); seconds=$(calc "$t1 - $t0") ;;
    # Timed inside python: the interpreter's start is not the file system's.
    python) seconds=$("$PYTHON" -c '
import os, sys, time
def walk(d):
    for e in os.scandir(d):
        if e.is_dir(follow_symlinks=False): walk(e.path)
        elif e.is_file(follow_symlinks=False): os.stat(e.path, follow_symlinks=False)
t0 = time.perf_counter(); walk(sys.argv[1]); print(f"{time.perf_counter() - t0:.6f}")' "$dir") ;;
  esac
  n=$(find "$dir" -type f | wc -l)   # after the timed run: counting first would warm a fresh mount
  record "stat_per_s_${tool}_$label" "$round" "$(calc "$n / $seconds")"
}

# read_rate FILE LABEL ROUND: sequential read with 1 MiB blocks; records MB/s (MiB/s).
read_rate() {
  local file=$1 label=$2 round=$3 t0 t1 bytes
  bytes=$(stat -c %s "$file")
  t0=$(now)
  dd if="$file" of=/dev/null bs=1M status=none
  t1=$(now)
  record "read_mbs_$label" "$round" "$(calc "$bytes / 1048576 / ($t1 - $t0)")"
}

# ---------------------------------------------------------------- strata build, server, images

. "$REPO_ROOT/bench/lib/strata-bin.sh"
ensure_strata_bin strata-bin true

LAYOUT=$BENCH_WORK/layout-$LARGE_MB
if [[ -s $LAYOUT.env ]] && ! grep -q SLIM_FILES "$LAYOUT.env"; then rm -f "$LAYOUT.env"; fi   # made before the slim image
if [[ ! -s $LAYOUT.env ]]; then
  log "building the images (python, slim, large ${LARGE_MB} MiB) into $LAYOUT (cached for later runs)"
  rm -rf "$LAYOUT"
  bash "$REPO_ROOT/bench/client/make-images.sh" "$LAYOUT" "$LARGE_MB" >"$LAYOUT.env.tmp" 2>"$LOGS/make-images.log" \
    || die "make-images.sh failed; see $LOGS/make-images.log"
  mv "$LAYOUT.env.tmp" "$LAYOUT.env"
fi
# shellcheck disable=SC1090
source "$LAYOUT.env"

{
  echo "date: $STAMP"
  echo "strata: $STRATA_BUILT"
  if [[ ${STRATA_MOUNT_IN_PROCESS:-} == 1 ]]; then
    echo "strata mount: in-process (STRATA_MOUNT_IN_PROCESS=1)"
  elif [[ -x $(dirname "$STRATA_BIN")/strata-mount ]]; then
    echo "strata mount: execs the native $(dirname "$STRATA_BIN")/strata-mount"
  else
    echo "strata mount: in-process (no native strata-mount beside strata)"
  fi
  echo "kernel: $(uname -r); cpus: $(nproc); load: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "cvmfs: $(apt-cache policy cvmfs 2>/dev/null | grep -c Candidate) Debian candidates (not installable: not compared)"
  echo "skopeo: $(skopeo --version); umoci: $(umoci --version); squashfuse: $(dpkg-query -W -f '${Version}' squashfuse)"
  echo "rounds: $ROUNDS; large file: $LARGE_MB MiB; python image: $PYTHON_FILES files, $PYTHON_UNPACKED_BYTES bytes unpacked; slim image: $SLIM_FILES files, $SLIM_UNPACKED_BYTES bytes unpacked"
} >"$RUN/machine.txt"

PORT=$(free_port)
mkdir -p "$RUN/data" "$RUN/server-cwd"
# An open registry (--Auth:Enabled false): access control is not what this measures.
(cd "$RUN/server-cwd" && exec "$STRATA_BIN" serve --data "$RUN/data" --listen "127.0.0.1:$PORT" --Auth:Enabled false \
  --Publish:Repository "$FQRN" --Publish:RegistryHost "$HOST") >"$LOGS/server.log" 2>&1 &
SERVER_PID=$!
deadline=$((SECONDS + 60))
until curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/v2/"; do
  kill -0 "$SERVER_PID" 2>/dev/null || die "strata serve exited; see $LOGS/server.log"
  ((SECONDS < deadline)) || die "strata serve not ready after 60 s"
  sleep 0.1
done
URL=http://127.0.0.1:$PORT/cvmfs/$FQRN
KEY=$RUN/data/keys/$FQRN.pub

for tag in python slim large; do
  log "pushing and publishing bench/$tag"
  t0=$(now)
  timeout 600 skopeo copy --dest-tls-verify=false "oci:$LAYOUT:$tag" "docker://127.0.0.1:$PORT/bench/$tag:1" >"$LOGS/push-$tag.log" 2>&1 \
    || die "skopeo push failed; see $LOGS/push-$tag.log"
  deadline=$((SECONDS + 600))
  until [[ $(curl -sf --max-time 5 "http://127.0.0.1:$PORT/api/v1/publications/status?image=bench/$tag:1" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["state"])' 2>/dev/null) == succeeded ]]; do
    ((SECONDS < deadline)) || die "bench/$tag not published after 600 s; see $LOGS/server.log"
    sleep 0.2
  done
  record "push_publish_s_$tag" 1 "$(calc "$(now) - $t0")"
done
record unpacked_bytes_python 1 "$PYTHON_UNPACKED_BYTES"
record unpacked_bytes_slim 1 "$SLIM_UNPACKED_BYTES"
LARGE_IN_MOUNT=$HOST/bench/large:1/data/large.bin

# ---------------------------------------------------------------- cold start

for image in python slim; do
for round in $(seq "$ROUNDS"); do
  log "cold start, $image image, round $round"
  # Anchor: the full pull a runtime without lazy loading does, then the same program.
  pull=$RUN/pull-$round
  mkdir -p "$pull"
  t0=$(now)
  timeout 600 skopeo copy --src-tls-verify=false "docker://127.0.0.1:$PORT/bench/$image:1" "oci:$pull/layout:1" >"$LOGS/pull-$image-$round.log" 2>&1 \
    || die "skopeo pull failed; see $LOGS/pull-$image-$round.log"
  umoci unpack --image "$pull/layout:1" "$pull/bundle" >>"$LOGS/pull-$image-$round.log" 2>&1 || die "umoci unpack failed"
  out=$(chroot "$pull/bundle/rootfs" /usr/bin/python3 -c 'print(1)')
  t1=$(now)
  [[ $out == 1 ]] || die "python in the unpacked $image image printed '$out'"
  record "cold_s_full_pull_$image" "$round" "$(calc "$t1 - $t0")"
  record "cold_bytes_full_pull_$image" "$round" "$(du -sb --apparent-size "$pull/layout/blobs" | cut -f1)"
  if [[ $round == 1 ]]; then mv "$pull/bundle/rootfs" "$RUN/local-$image"; fi
  rm -rf "$pull"

  # Strata: empty cache, start the client, run the program.
  cache=$RUN/cache-cold-$image-$round
  t0=$(now)
  start_mount "$cache" "$RUN/mnt-cold" "mount-cold-$image-$round"
  # A node that already has the repository mounted (how grid sites run CernVM-FS) pays only
  # from here: the image itself is still cold (its catalogs and files are fetched on use).
  tm=$(now)
  out=$(chroot "$RUN/mnt-cold/$HOST/bench/$image:1" /usr/bin/python3 -c 'print(1)')
  t1=$(now)
  [[ $out == 1 ]] || die "python in the mounted $image image printed '$out'"
  pid=$MOUNT_PID
  cpu=$(awk '{ print ($14 + $15) / 100 }' "/proc/$pid/stat")
  stop_mount
  record "cold_s_strata_$image" "$round" "$(calc "$t1 - $t0")"
  record "cold_mount_s_strata_$image" "$round" "$MOUNT_READY_S"
  record "cold_run_s_strata_$image" "$round" "$(calc "$t1 - $tm")"
  record "cold_cpu_s_strata_$image" "$round" "$cpu"
  record "cold_bytes_strata_$image" "$round" "$(bytes_fetched "$cache" "$pid")"
  [[ $round == "$ROUNDS" ]] || rm -rf "$cache"
done
done

# ---------------------------------------------------------------- warm stat

mkdir -p "$RUN/mnt-sqfs"
for image in python slim; do
  mksquashfs "$RUN/local-$image" "$RUN/$image.sqfs" -comp gzip -quiet -no-progress >>"$LOGS/mksquashfs.log" 2>&1 || die "mksquashfs failed"
  for round in $(seq "$ROUNDS"); do
    log "warm stat, $image image, round $round"
    for tool in xargs printf python; do
      # Catalogs in the local cache; on a fresh mount every lookup still goes through the client once.
      start_mount "$RUN/cache-cold-$image-$ROUNDS" "$RUN/mnt-warm" "mount-warm-$image-$tool-$round"
      stat_rate "$tool" "$RUN/mnt-warm/$HOST/bench/$image:1/" "strata_fresh_mount_$image" "$round"
      stat_rate "$tool" "$RUN/mnt-warm/$HOST/bench/$image:1/" "strata_kernel_cached_$image" "$round"
      stop_mount
      stat_rate "$tool" "$RUN/local-$image/" "local_$image" "$round"
      squashfuse "$RUN/$image.sqfs" "$RUN/mnt-sqfs"; MOUNTS+=("$RUN/mnt-sqfs")
      stat_rate "$tool" "$RUN/mnt-sqfs/" "squashfuse_fresh_mount_$image" "$round"
      stat_rate "$tool" "$RUN/mnt-sqfs/" "squashfuse_kernel_cached_$image" "$round"
      umount "$RUN/mnt-sqfs"
    done
  done
done

# ---------------------------------------------------------------- sequential read

for round in $(seq "$ROUNDS"); do
  log "sequential read, round $round"
  cache=$RUN/cache-large
  rm -rf "$cache"
  start_mount "$cache" "$RUN/mnt-large" "mount-large-cold-$round"
  read_rate "$RUN/mnt-large/$LARGE_IN_MOUNT" strata_cold "$round"
  stop_mount
  start_mount "$cache" "$RUN/mnt-large" "mount-large-warm-$round"
  read_rate "$RUN/mnt-large/$LARGE_IN_MOUNT" strata_warm "$round"
  read_rate "$RUN/mnt-large/$LARGE_IN_MOUNT" strata_hot "$round"
  stop_mount
done
mkdir -p "$RUN/large-local/data"
start_mount "$RUN/cache-large" "$RUN/mnt-large" mount-large-copy
cp "$RUN/mnt-large/$LARGE_IN_MOUNT" "$RUN/large-local/data/large.bin"
stop_mount
mksquashfs "$RUN/large-local" "$RUN/large.sqfs" -comp gzip -quiet -no-progress >>"$LOGS/mksquashfs.log" 2>&1 || die "mksquashfs failed"
for round in $(seq "$ROUNDS"); do
  read_rate "$RUN/large-local/data/large.bin" local "$round"
  squashfuse "$RUN/large.sqfs" "$RUN/mnt-sqfs"
  read_rate "$RUN/mnt-sqfs/data/large.bin" squashfuse_fresh_mount "$round"
  umount "$RUN/mnt-sqfs"
done
rm -rf "$RUN/large-local"

# ---------------------------------------------------------------- summary

"$PYTHON" - "$RESULTS" "$RUN/machine.txt" >"$RUN/summary.md" <<'PY'
import collections, statistics, sys
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    metric, _, value = line.rstrip('\n').split('\t')
    rows[metric].append(float(value))
med = lambda m: statistics.median(rows[m])
def fmt(v, digits=2): return f"{v:,.{digits}f}"
def runs(m, digits=2): return ', '.join(fmt(v, digits) for v in rows[m])
print("```")
print(open(sys.argv[2]).read().rstrip())
print("```")
print()
names = {"python": "python (python3.11 + stdlib)", "slim": "slim (python:3.11-slim-sized Debian + Python)"}
print("| cold start: `python3 -c 'print(1)'` | median s | runs (s) | bytes fetched | % of unpacked |")
print("|---|---:|---|---:|---:|")
for image in ("python", "slim"):
    unpacked = med(f"unpacked_bytes_{image}")
    print(f"| **{names[image]}**, {unpacked / 1e6:.1f} MB unpacked | | | | |")
    print(f"| skopeo copy + umoci unpack + run (full pull) | {fmt(med(f'cold_s_full_pull_{image}'))} | {runs(f'cold_s_full_pull_{image}')} | {med(f'cold_bytes_full_pull_{image}'):,.0f} | {100*med(f'cold_bytes_full_pull_{image}')/unpacked:.1f} |")
    print(f"| strata mount (empty cache) + run | {fmt(med(f'cold_s_strata_{image}'))} | {runs(f'cold_s_strata_{image}')} | {med(f'cold_bytes_strata_{image}'):,.0f} | {100*med(f'cold_bytes_strata_{image}')/unpacked:.1f} |")
    print(f"| run alone, repository already mounted, image cold | {fmt(med(f'cold_run_s_strata_{image}'))} | {runs(f'cold_run_s_strata_{image}')} | | |")
    print(f"| of which `strata mount` until serving | {fmt(med(f'cold_mount_s_strata_{image}'))} | {runs(f'cold_mount_s_strata_{image}')} | | |")
    print(f"| CPU seconds of the `strata mount` process (start + serving python) | {fmt(med(f'cold_cpu_s_strata_{image}'))} | {runs(f'cold_cpu_s_strata_{image}')} | | |")
print()
for image in ("python", "slim"):
    unpacked = med(f"unpacked_bytes_{image}")
    print(f"- {image}: speed-up of the cold start over the full pull **{med(f'cold_s_full_pull_{image}')/med(f'cold_s_strata_{image}'):.1f}×**; "
          f"on a node that already has the repository mounted **{med(f'cold_s_full_pull_{image}')/med(f'cold_run_s_strata_{image}'):.1f}×**; "
          f"bytes fetched **{100*med(f'cold_bytes_strata_{image}')/unpacked:.1f} %** of the unpacked image ({unpacked:,.0f} bytes).")
print()
tools = [("xargs", "`find \\| xargs stat`"), ("printf", "`find -printf %s`"), ("python", "python os.stat walk")]
for image in ("python", "slim"):
    print(f"| warm stat, {image} image: median entries/s (runs) | " + " | ".join(t[1] for t in tools) + " |")
    print("|---|" + "---:|" * len(tools))
    for label, name in [("strata_fresh_mount", "strata, warm cache, fresh mount"), ("strata_kernel_cached", "strata, same mount again (kernel caches)"),
                        ("local", "local copy (ext4)"), ("squashfuse_fresh_mount", "squashfuse, fresh mount"), ("squashfuse_kernel_cached", "squashfuse, same mount again")]:
        cells = [f"{fmt(med(f'stat_per_s_{t}_{label}_{image}'), 0)} ({runs(f'stat_per_s_{t}_{label}_{image}', 0)})" for t, _ in tools]
        print(f"| {name} | " + " | ".join(cells) + " |")
    ratios = [f"{med(f'stat_per_s_{t}_strata_kernel_cached_{image}') / med(f'stat_per_s_{t}_local_{image}'):.2f}× / {med(f'stat_per_s_{t}_strata_fresh_mount_{image}') / med(f'stat_per_s_{t}_local_{image}'):.2f}×" for t, _ in tools]
    print(f"| strata ÷ local (same mount / fresh mount) | " + " | ".join(ratios) + " |")
    print()
print("| sequential read of the large file | median MiB/s | runs |")
print("|---|---:|---|")
for label, name in [("strata_cold", "strata, empty cache (HTTP from strata serve, loopback)"), ("strata_warm", "strata, warm cache, fresh mount"),
                    ("strata_hot", "strata, same mount again (page cache)"), ("local", "local file (page cache)"), ("squashfuse_fresh_mount", "squashfuse, fresh mount")]:
    m = f"read_mbs_{label}"
    print(f"| {name} | {fmt(med(m), 0)} | {runs(m, 0)} |")
PY
log "done: $RUN/summary.md"
cat "$RUN/summary.md"
