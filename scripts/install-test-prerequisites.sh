#!/usr/bin/env bash
# Installs the real clients the end-to-end tests drive (skopeo, umoci, podman) and the anchor
# registry the benchmarks compare with (docker-registry = CNCF distribution 2.8), from Debian.
# Does nothing when they are already there.
set -euo pipefail
need=()
for pair in skopeo:skopeo umoci:umoci podman:podman buildah:buildah containerd:containerd docker-registry:docker-registry; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair##*:}")
done
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing test prerequisites: ${need[*]}; run as root or install them: apt-get install ${need[*]}" >&2
  exit 1
fi
echo "installing test prerequisites: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${need[@]}" >/dev/null
