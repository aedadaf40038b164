#!/usr/bin/env bash
# make-images.sh LAYOUT [LARGE_MB]: builds the two images of the client benchmark into an OCI
# layout with umoci (as root), from this machine's own Debian files (nothing is downloaded):
#   python  a minimal Python image: Debian's python3.11 binary, the libraries ldd names, and the
#           whole standard library (/usr/lib/python3.11, ~1,400 files, ~54 MB), in one layer;
#   large   one LARGE_MB MiB file of random bytes (/data/large.bin), for sequential reads.
# Prints KEY=value lines: PYTHON_UNPACKED_BYTES PYTHON_FILES LARGE_BYTES.
set -euo pipefail
layout=$1 large_mb=${2:-256}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
umoci init --layout "$layout"

umoci new --image "$layout:python"
umoci unpack --image "$layout:python" "$work/python" >/dev/null
r=$work/python/rootfs
mkdir -p "$r/usr/bin" "$r/usr/lib" "$r/tmp" "$r/etc"
chmod 1777 "$r/tmp"
cp /usr/bin/python3.11 "$r/usr/bin/python3.11"
ln -s python3.11 "$r/usr/bin/python3"
for lib in $(ldd /usr/bin/python3.11 | grep -o '/lib[^ ]*'); do
  mkdir -p "$r$(dirname "$lib")"
  cp -L "$lib" "$r$lib"
done
cp -a /usr/lib/python3.11 "$r/usr/lib/python3.11"
# Byte-compile what is not yet compiled, as an image build would (so a run writes nothing).
chroot "$r" /usr/bin/python3 -m compileall -q /usr/lib/python3.11 >/dev/null 2>&1 || true
python_bytes=$(du -sb --apparent-size "$r" | cut -f1)
python_files=$(find "$r" -type f | wc -l)
umoci repack --image "$layout:python" "$work/python" >/dev/null
umoci config --image "$layout:python" --config.cmd /usr/bin/python3 >/dev/null

umoci new --image "$layout:large"
umoci unpack --image "$layout:large" "$work/large" >/dev/null
mkdir -p "$work/large/rootfs/data"
head -c $((large_mb * 1048576)) /dev/urandom >"$work/large/rootfs/data/large.bin"
umoci repack --image "$layout:large" "$work/large" >/dev/null
printf 'PYTHON_UNPACKED_BYTES=%s\nPYTHON_FILES=%s\nLARGE_BYTES=%s\n' "$python_bytes" "$python_files" $((large_mb * 1048576))
