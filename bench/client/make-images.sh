#!/usr/bin/env bash
# make-images.sh LAYOUT [LARGE_MB]: builds the two images of the client benchmark into an OCI
# layout with umoci (as root), from this machine's own Debian files (nothing is downloaded):
#   python  a minimal Python image: Debian's python3.11 binary, the libraries ldd names, and the
#           whole standard library (/usr/lib/python3.11, ~1,400 files, ~54 MB), in one layer;
#   slim    a python:3.11-slim-sized image: the files of every Debian package this machine has that
#           debian:bookworm-slim is made of (Priority required or Essential, as debootstrap
#           --variant=minbase installs them, without docs, man pages and locales, as -slim drops
#           them), plus Python 3.11 with pip, setuptools and wheel and the libraries they load, the
#           standard library byte-compiled (~125 MB unpacked, in one layer);
#   large   one LARGE_MB MiB file of random bytes (/data/large.bin), for sequential reads.
# Prints KEY=value lines: PYTHON_UNPACKED_BYTES PYTHON_FILES SLIM_UNPACKED_BYTES SLIM_FILES LARGE_BYTES.
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

umoci new --image "$layout:slim"
umoci unpack --image "$layout:slim" "$work/slim" >/dev/null
r=$work/slim/rootfs
# Debian 12 is usr-merged: /bin, /lib, /lib64, /sbin are links into /usr, as in the real image.
mkdir -p "$r/usr/bin" "$r/usr/lib" "$r/usr/lib64" "$r/usr/sbin" "$r/tmp" "$r/root"
for d in bin lib lib64 sbin; do ln -sfn "usr/$d" "$r/$d"; done
chmod 1777 "$r/tmp"
base=$(dpkg-query -W -f '${Package} ${Priority} ${Essential}\n' | awk '$2 == "required" || $3 == "yes" { print $1 }')
python="python3.11 python3.11-minimal libpython3.11-minimal libpython3.11-stdlib libpython3.11 python3 python3-minimal
  libpython3-stdlib python3-pip python3-setuptools python3-wheel python3-pkg-resources python3-distutils python3-lib2to3
  libssl3 libsqlite3-0 libffi8 libexpat1 libncursesw6 libreadline8 readline-common ca-certificates netbase tzdata
  media-types"
# With their dependencies, as debootstrap resolves them (libc6 and friends are Priority optional).
# shellcheck disable=SC2086
apt-cache depends --recurse --installed --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
  --no-enhances $base $python 2>/dev/null | grep -E '^[a-z0-9]' | sed 's/:amd64$//' | sort -u \
  | { xargs dpkg-query -W -f '${Package} ${db:Status-Status}\n' 2>/dev/null || true; } | awk '$2 == "installed" { print $1 }' >"$work/slim.packages"
for p in $python; do grep -qx "$p" "$work/slim.packages" || { echo "make-images: $p is not installed here" >&2; exit 1; }; done
# Files only (directories are created on the way), docs/man/locales left out as the -slim images
# do; paths under /bin, /lib, /lib64, /sbin are stored under /usr, where the usr-merge links lead.
# shellcheck disable=SC2046
dpkg -L $(cat "$work/slim.packages") | sort -u | grep -Ev '^/usr/share/(doc|man|info|locale|lintian|linda|bug)/' \
  | grep -Ev '^/(bin|lib|lib64|sbin|lib32|libx32)$' \
  | while read -r f; do if [[ -L $f || -f $f ]]; then printf '%s\n' "${f#/}"; fi; done >"$work/slim.files"
tar -C / -cf - --no-recursion --transform 's,^\(bin\|lib\|lib64\|sbin\)/,usr/\1/,' -T "$work/slim.files" | tar -C "$r" -xf -
cp /etc/passwd /etc/group "$r/etc/" 2>/dev/null || true
chroot "$r" /usr/bin/python3 -m compileall -q /usr/lib/python3.11 /usr/lib/python3/dist-packages >/dev/null 2>&1 || true
chroot "$r" /usr/bin/python3 -c 'import ssl, sqlite3, json, pip' || { echo "make-images: python in the slim image does not run" >&2; exit 1; }
slim_bytes=$(du -sb --apparent-size "$r" | cut -f1)
slim_files=$(find "$r" -type f | wc -l)
umoci repack --image "$layout:slim" "$work/slim" >/dev/null
umoci config --image "$layout:slim" --config.cmd /usr/bin/python3 >/dev/null

umoci new --image "$layout:large"
umoci unpack --image "$layout:large" "$work/large" >/dev/null
mkdir -p "$work/large/rootfs/data"
head -c $((large_mb * 1048576)) /dev/urandom >"$work/large/rootfs/data/large.bin"
umoci repack --image "$layout:large" "$work/large" >/dev/null
printf 'PYTHON_UNPACKED_BYTES=%s\nPYTHON_FILES=%s\nSLIM_UNPACKED_BYTES=%s\nSLIM_FILES=%s\nLARGE_BYTES=%s\n' \
  "$python_bytes" "$python_files" "$slim_bytes" "$slim_files" $((large_mb * 1048576))
