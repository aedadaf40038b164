#!/usr/bin/env bash
# Identity and access (issue 5): what access control costs.
#
#   1. In process (bench/auth): issuing and verifying a registry token (ES256), checking a robot
#      secret (SHA-256) and a password (PBKDF2-SHA256, 600,000 iterations), per operation.
#   2. Over HTTP, the same Strata build three times, interleaved round by round on one machine:
#      access control off (--Auth:Enabled false), on (a private project, pulled by a robot), and on
#      with pulls left out of the audit log (--Auth:AuditPulls false):
#        - manifest GETs/s (wrk) with a bearer token, with HTTP Basic (robot secret), and off;
#        - one large blob GET (MB/s, curl, best of GET_REPEATS) with a bearer token and off;
#        - tokens/s from /service/token for a robot (Basic, one pull scope), and ms per token for
#          a user (its PBKDF2 check at 600,000 iterations is cached for a minute; its cost is in step 1).
#   Prints a table and ratios (on/off); the goal is pull throughput no more than 5% lower.
#
# Environment: ROUNDS (3), WRK_SECONDS (10), WRK_CONNECTIONS (16), BLOB_MB (256), GET_REPEATS (3),
#   STRATA_BIN (a published strata; default: publish this tree to $BENCH_WORK/strata-auth),
#   BENCH_WORK (/tmp/strata-auth-bench). Needs wrk, curl, python3, the .NET SDK.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${ROUNDS:-3}
WRK_SECONDS=${WRK_SECONDS:-10}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-16}
BLOB_MB=${BLOB_MB:-256}
GET_REPEATS=${GET_REPEATS:-3}
BENCH_WORK=${BENCH_WORK:-/tmp/strata-auth-bench}
ADMIN_PASSWORD=Bench-Admin-Passw0rd
ACCEPT='application/vnd.oci.image.manifest.v1+json'
RUN=$BENCH_WORK/run-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RUN"

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
for tool in wrk curl python3 dotnet sha256sum; do command -v $tool >/dev/null || die "$tool is missing"; done

declare -A PIDS=()
cleanup() {
  local name
  for name in "${!PIDS[@]}"; do kill "${PIDS[$name]}" 2>/dev/null || true; wait "${PIDS[$name]}" 2>/dev/null || true; done
  rm -rf "$RUN"/data-* "$RUN"/blob.bin
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

if [[ -z ${STRATA_BIN:-} ]]; then
  log "publishing strata (Release) to $BENCH_WORK/strata-auth"
  dotnet publish "$ROOT/src/Strata.Cli" -c Release -o "$BENCH_WORK/strata-auth" >"$RUN/publish.log" 2>&1 || die "publish failed; see $RUN/publish.log"
  STRATA_BIN=$BENCH_WORK/strata-auth/strata
fi

log "in-process costs"
dotnet run --project "$ROOT/bench/auth" -c Release -- 3 | tee "$RUN/micro.tsv" >&2

# start NAME PORT ARGS...: a server in its own empty working directory, ready when /healthz answers.
start() {
  local name=$1 port=$2; shift 2
  mkdir -p "$RUN/data-$name.cwd"
  (cd "$RUN/data-$name.cwd" && exec "$STRATA_BIN" serve --data "$RUN/data-$name" --listen "127.0.0.1:$port" --Publish:Enabled false "$@") >"$RUN/$name.log" 2>&1 &
  PIDS[$name]=$!
  local deadline=$((SECONDS + 60))
  until curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$port/healthz"; do
    kill -0 "${PIDS[$name]}" 2>/dev/null || die "$name exited; see $RUN/$name.log"
    ((SECONDS < deadline)) || die "$name not ready after 60 s"
    sleep 0.1
  done
}

OFF=$(free_port); start off "$OFF" --Auth:Enabled false
ON=$(free_port); start on "$ON" --Auth:AdminPassword "$ADMIN_PASSWORD"
# The same with pulls left out of the audit log (Auth:AuditPulls false), to show what auditing pulls costs.
QUIET=$(free_port); start quiet "$QUIET" --Auth:AdminPassword "$ADMIN_PASSWORD" --Auth:AuditPulls false
ADMIN=(-u "admin:$ADMIN_PASSWORD")

# The image: a config, one BLOB_MB random layer and a manifest, pushed to every server.
head -c $((BLOB_MB * 1024 * 1024)) /dev/urandom >"$RUN/blob.bin"
LAYER=sha256:$(sha256sum "$RUN/blob.bin" | cut -d' ' -f1)
printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}' >"$RUN/config.json"
CONFIG=sha256:$(sha256sum "$RUN/config.json" | cut -d' ' -f1)
printf '{"schemaVersion":2,"mediaType":"%s","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%d},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%d}]}' \
  "$ACCEPT" "$CONFIG" "$(stat -c %s "$RUN/config.json")" "$LAYER" "$(stat -c %s "$RUN/blob.bin")" >"$RUN/manifest.json"

push() {  # push PORT CURL-AUTH-ARGS...
  local port=$1; shift
  curl -sf "$@" -X POST -H 'Content-Type: application/octet-stream' --data-binary @"$RUN/config.json" "http://127.0.0.1:$port/v2/bench/app/blobs/uploads/?digest=$CONFIG" >/dev/null || die "config push"
  curl -sf "$@" -X POST -H 'Content-Type: application/octet-stream' --data-binary @"$RUN/blob.bin" "http://127.0.0.1:$port/v2/bench/app/blobs/uploads/?digest=$LAYER" >/dev/null || die "layer push"
  curl -sf "$@" -X PUT -H "Content-Type: $ACCEPT" --data-binary @"$RUN/manifest.json" "http://127.0.0.1:$port/v2/bench/app/manifests/1" >/dev/null || die "manifest push"
}

# secure PORT: a private project "bench" with the image, a pull-only robot and a guest user; prints "ROBOT SECRET".
secure() {
  local port=$1 json
  curl -sf "${ADMIN[@]}" -H 'Content-Type: application/json' -d '{"name":"bench","public":false}' "http://127.0.0.1:$port/api/v1/projects" >/dev/null || die "project"
  curl -sf "${ADMIN[@]}" -H 'Content-Type: application/json' -d '{"username":"benchuser","password":"Bench-User-Passw0rd"}' "http://127.0.0.1:$port/api/v1/users" >/dev/null || die "user"
  curl -sf "${ADMIN[@]}" -H 'Content-Type: application/json' -d '{"username":"benchuser","role":"guest"}' "http://127.0.0.1:$port/api/v1/projects/bench/members" >/dev/null || die "member"
  push "$port" "${ADMIN[@]}"
  json=$(curl -sf "${ADMIN[@]}" -H 'Content-Type: application/json' \
    -d '{"name":"puller","duration":-1,"permissions":[{"access":["repository:pull"]}]}' "http://127.0.0.1:$port/api/v1/projects/bench/robots") || die "robot"
  python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["name"], d["secret"])' <<<"$json"
}

log "pushing a $BLOB_MB MiB layer to the three servers"
push "$OFF"
read -r ROBOT SECRET < <(secure "$ON")
read -r QROBOT QSECRET < <(secure "$QUIET")

token() {  # token PORT ROBOT SECRET
  curl -sf -u "$2:$3" "http://127.0.0.1:$1/service/token?service=strata&scope=repository:bench/app:pull" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
rps() { awk '/Requests\/sec/ {print $2}'; }
manifest_rps() {  # PORT [HEADER]
  local args=(-t2 -c"$WRK_CONNECTIONS" -d"${WRK_SECONDS}s" -H "Accept: $ACCEPT")
  [[ -n ${2:-} ]] && args+=(-H "$2")
  wrk "${args[@]}" "http://127.0.0.1:$1/v2/bench/app/manifests/1" | rps
}
blob_mbps() {  # PORT [HEADER]; best of GET_REPEATS, MB/s
  local best=0 speed
  for _ in $(seq "$GET_REPEATS"); do
    if [[ -n ${2:-} ]]; then speed=$(curl -sf -o /dev/null -w '%{speed_download}' -H "$2" "http://127.0.0.1:$1/v2/bench/app/blobs/$LAYER")
    else speed=$(curl -sf -o /dev/null -w '%{speed_download}' "http://127.0.0.1:$1/v2/bench/app/blobs/$LAYER"); fi
    best=$(python3 -c "print(max($best, $speed / 1e6))")
  done
  echo "$best"
}

RESULTS=$RUN/results.tsv
: >"$RESULTS"
BASIC="Authorization: Basic $(printf '%s:%s' "$ROBOT" "$SECRET" | base64 -w0)"
# Warm the servers (JIT, caches) before measuring.
manifest_rps "$OFF" >/dev/null; manifest_rps "$ON" "Authorization: Bearer $(token "$ON" "$ROBOT" "$SECRET")" >/dev/null
manifest_rps "$QUIET" "Authorization: Bearer $(token "$QUIET" "$QROBOT" "$QSECRET")" >/dev/null
for round in $(seq "$ROUNDS"); do
  log "round $round/$ROUNDS"
  printf 'manifest_rps_off\t%s\t%s\n' "$round" "$(manifest_rps "$OFF")" >>"$RESULTS"
  printf 'manifest_rps_bearer\t%s\t%s\n' "$round" "$(manifest_rps "$ON" "Authorization: Bearer $(token "$ON" "$ROBOT" "$SECRET")")" >>"$RESULTS"
  printf 'manifest_rps_bearer_noaudit\t%s\t%s\n' "$round" "$(manifest_rps "$QUIET" "Authorization: Bearer $(token "$QUIET" "$QROBOT" "$QSECRET")")" >>"$RESULTS"
  printf 'manifest_rps_basic\t%s\t%s\n' "$round" "$(manifest_rps "$ON" "$BASIC")" >>"$RESULTS"
  printf 'blob_mbps_off\t%s\t%s\n' "$round" "$(blob_mbps "$OFF")" >>"$RESULTS"
  printf 'blob_mbps_bearer\t%s\t%s\n' "$round" "$(blob_mbps "$ON" "Authorization: Bearer $(token "$ON" "$ROBOT" "$SECRET")")" >>"$RESULTS"
  printf 'robot_tokens_per_s\t%s\t%s\n' "$round" "$(wrk -t2 -c"$WRK_CONNECTIONS" -d"${WRK_SECONDS}s" -H "$BASIC" "http://127.0.0.1:$ON/service/token?service=strata&scope=repository:bench/app:pull" | rps)" >>"$RESULTS"
  start_ns=$(date +%s%N)
  for _ in 1 2 3 4 5; do curl -sf -o /dev/null -u benchuser:Bench-User-Passw0rd "http://127.0.0.1:$ON/service/token?service=strata&scope=repository:bench/app:pull" || die "user token"; done
  printf 'user_token_ms\t%s\t%s\n' "$round" "$(( ($(date +%s%N) - start_ns) / 5000000 ))" >>"$RESULTS"
done

python3 - "$RESULTS" "$RUN/micro.tsv" <<'PY'
import sys, statistics, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    metric, _, value = line.split('\t')
    rows[metric].append(float(value))
med = {k: statistics.median(v) for k, v in rows.items()}
print("| measurement | off | on | on/off |")
print("|---|---:|---:|---:|")
print(f"| manifest GETs/s, bearer token (robot) | {med['manifest_rps_off']:.0f} | {med['manifest_rps_bearer']:.0f} | {med['manifest_rps_bearer']/med['manifest_rps_off']:.3f} |")
print(f"| manifest GETs/s, bearer token, pulls not audited | {med['manifest_rps_off']:.0f} | {med['manifest_rps_bearer_noaudit']:.0f} | {med['manifest_rps_bearer_noaudit']/med['manifest_rps_off']:.3f} |")
print(f"| manifest GETs/s, HTTP Basic (robot secret) | {med['manifest_rps_off']:.0f} | {med['manifest_rps_basic']:.0f} | {med['manifest_rps_basic']/med['manifest_rps_off']:.3f} |")
print(f"| large blob GET MB/s, bearer token | {med['blob_mbps_off']:.0f} | {med['blob_mbps_bearer']:.0f} | {med['blob_mbps_bearer']/med['blob_mbps_off']:.3f} |")
print(f"| token endpoint, robot (tokens/s) | | {med['robot_tokens_per_s']:.0f} | |")
print(f"| token endpoint, user, 5 in a row (the password KDF runs once a minute: Auth:BasicCacheDuration) (ms/token) | | {med['user_token_ms']:.0f} | |")
print()
print("medians of", len(rows['manifest_rps_off']), "interleaved rounds; every round:", dict((k, v) for k, v in rows.items()))
print()
for line in open(sys.argv[2]):
    print("    " + line.rstrip())
PY
log "results in $RUN"
