#!/usr/bin/env bash
# make-shell-image.sh LAYOUT TAG: builds a two-layer OCI image with umoci (as root) that can run a
# program under chroot: dash as /bin/sh with the host's libc and loader, plus the cases a mount must
# show like `umoci unpack` does: a hard link pair, a symlink, a user xattr, a setuid file, a
# directory with its own owner, and a file deleted by the second layer (a whiteout).
set -euo pipefail
layout=$1 tag=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
umoci init --layout "$layout"
umoci new --image "$layout:$tag"

umoci unpack --image "$layout:$tag" "$work/one" >/dev/null
r=$work/one/rootfs
mkdir -p "$r/bin" "$r/etc" "$r/home/user" "$r/usr/share/doc"
cp /bin/dash "$r/bin/dash"
ln -s dash "$r/bin/sh"
# The loader and libraries dash needs, at the paths the binary asks for.
for lib in $(ldd /bin/dash | grep -o '/lib[^ ]*'); do
  mkdir -p "$r$(dirname "$lib")"
  cp -L "$lib" "$r$lib"
done
echo "hello from a published image" >"$r/etc/message"
ln "$r/etc/message" "$r/etc/message.hardlink"
python3 -c 'import os, sys; os.setxattr(sys.argv[1], "user.origin", b"strata-client-test")' "$r/etc/message"
echo "deleted by layer two" >"$r/etc/removed"
cp /bin/dash "$r/bin/setuid-dash" && chmod 4755 "$r/bin/setuid-dash"
echo "profile" >"$r/home/user/.profile"
chown -R 1000:1000 "$r/home/user" && chmod 0700 "$r/home/user"
head -c 3000000 /dev/urandom >"$r/usr/share/doc/random.bin"
umoci repack --image "$layout:$tag" "$work/one" >/dev/null

umoci unpack --image "$layout:$tag" "$work/two" >/dev/null
r=$work/two/rootfs
rm "$r/etc/removed"
echo "added by layer two" >"$r/etc/layer-two"
umoci repack --image "$layout:$tag" "$work/two" >/dev/null
umoci config --image "$layout:$tag" --config.cmd /bin/sh >/dev/null
