#!/usr/bin/env bash
# Manifest GETs on one `wrk -t1 -c1` connection: CPU µs per GET and GETs/s of a fresh `strata serve` per
# run, in three settings alternated ROUNDS times in one run: `open` (access control off), `audit`
# (access control on: private project, robot, bearer token; every pull audited, the default) and
# `noaudit` (the same with Auth:AuditPulls false). It separates what access control costs a small
# request from what writing one audit row per pull costs (registry-bench.sh's AUTH=1 measures whole pulls).
# Usage: STRATA_BIN=/path/to/strata [ROUNDS=2] [SECONDS_PER_RUN=10] [CONFIGS="open audit noaudit"] bench/auth/manifest-get-pair.sh
# Needs wrk, skopeo, curl, python3 and an image layout from registry-bench.sh
# (/var/tmp/strata-bench/images-scale-0.1); loopback only, every run bounded by wrk's duration.
set -euo pipefail
STRATA_BIN=${STRATA_BIN:?set STRATA_BIN to a published strata}
ROUNDS=${ROUNDS:-2}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
CONFIGS=${CONFIGS:-open audit noaudit}
LAYOUT=${LAYOUT:-/var/tmp/strata-bench/images-scale-0.1}
PASSWORD=Bench-Admin-Passw0rd
ACCEPT='Accept: application/vnd.oci.image.manifest.v1+json,application/vnd.docker.distribution.manifest.v2+json'
[[ -f $LAYOUT/index.json ]] || { echo "no image layout at $LAYOUT: run bench/registry-bench.sh once (it builds it)" >&2; exit 1; }

# run PORT CONFIG: prints "config=… gets_per_s=… cpu_us_per_get=…"
run() {
  local port=$1 config=$2 dir base pid json creds tag token t0 t1 requests
  local -a args header=() dest_creds=()
  dir=$(mktemp -d /tmp/strata-manifest-pair.XXXXXX); base=http://127.0.0.1:$port
  case $config in
    open) args=(--Auth:Enabled false) ;;
    audit) args=(--Auth:AdminPassword "$PASSWORD" --Auth:AuditPulls true) ;;
    noaudit) args=(--Auth:AdminPassword "$PASSWORD" --Auth:AuditPulls false) ;;
    *) echo "unknown config $config (open, audit, noaudit)" >&2; exit 2 ;;
  esac
  "$STRATA_BIN" serve --Data "$dir/data" --Listen "127.0.0.1:$port" --Publish:Enabled false "${args[@]}" >"$dir/log" 2>&1 &
  pid=$!
  for _ in $(seq 150); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done
  tag=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["manifests"][0]["annotations"]["org.opencontainers.image.ref.name"])' "$LAYOUT/index.json")
  if [[ $config != open ]]; then
    curl -sf --max-time 30 -u "admin:$PASSWORD" -H 'Content-Type: application/json' -d '{"name":"bench","public":false}' "$base/api/v1/projects" >/dev/null
    json=$(curl -sf --max-time 30 -u "admin:$PASSWORD" -H 'Content-Type: application/json' \
      -d '{"name":"bench","duration":-1,"permissions":[{"project":"*","access":["repository:pull","repository:push"]}]}' "$base/api/v1/robots")
    creds=$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["name"] + ":" + d["secret"])' <<<"$json")
    dest_creds=(--dest-creds "$creds")
  fi
  timeout 300 skopeo copy -q --dest-tls-verify=false "${dest_creds[@]}" "oci:$LAYOUT:$tag" "docker://127.0.0.1:$port/bench/img:1"
  if [[ $config != open ]]; then
    token=$(curl -sf --max-time 30 -u "$creds" "$base/service/token?service=strata&scope=repository:bench/img:pull" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
    header=(-H "Authorization: Bearer $token")
  fi
  wrk -t1 -c1 -d3s -H "$ACCEPT" "${header[@]}" "$base/v2/bench/img/manifests/1" >/dev/null   # warm-up
  t0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  requests=$(wrk -t1 -c1 -d"${SECONDS_PER_RUN}s" -H "$ACCEPT" "${header[@]}" "$base/v2/bench/img/manifests/1" | awk '/requests in/ {print $1}')
  t1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  kill "$pid"; wait "$pid" 2>/dev/null || true; rm -rf "$dir"
  python3 -c "import os,sys; hz=os.sysconf('SC_CLK_TCK'); n=int(sys.argv[2]); print(f'config={sys.argv[1]} gets_per_s={n/int(sys.argv[5]):.0f} cpu_us_per_get={(int(sys.argv[4])-int(sys.argv[3]))*1e6/hz/n:.1f}')" \
    "$config" "$requests" "$t0" "$t1" "$SECONDS_PER_RUN"
}

echo "load: $(cut -d' ' -f1-3 /proc/loadavg); strata: $STRATA_BIN"
for round in $(seq "$ROUNDS"); do
  port=5611
  for config in $CONFIGS; do
    run "$port" "$config"
    port=$((port + 1))
  done
done
