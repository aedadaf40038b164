#!/usr/bin/env python3
"""Prints every entry below a directory as JSON lines (the ground truth side of the umoci test)."""
import hashlib, json, os, stat, sys

root = sys.argv[1]
for directory, dirs, files in os.walk(root):
    for name in sorted(dirs + files):
        path = os.path.join(directory, name)
        st = os.lstat(path)
        mode = st.st_mode
        kind = ("dir" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else "symlink" if stat.S_ISLNK(mode)
                else "char" if stat.S_ISCHR(mode) else "block" if stat.S_ISBLK(mode) else "fifo" if stat.S_ISFIFO(mode) else "other")
        sha = None
        if kind == "file":
            with open(path, "rb") as f:
                sha = hashlib.sha256(f.read()).hexdigest()
        xattrs = {}
        if kind != "symlink":
            for key in sorted(os.listxattr(path, follow_symlinks=False)):
                xattrs[key] = os.getxattr(path, key, follow_symlinks=False).hex()
        print(json.dumps({
            "path": "/" + os.path.relpath(path, root), "type": kind, "perm": stat.S_IMODE(mode), "uid": st.st_uid, "gid": st.st_gid,
            "size": st.st_size if kind in ("file", "symlink") else 0, "target": os.readlink(path) if kind == "symlink" else None,
            "sha256": sha, "ino": st.st_ino, "nlink": st.st_nlink, "rdev": st.st_rdev if kind in ("char", "block") else 0,
            "xattrs": ";".join(k + "=" + v for k, v in xattrs.items()), "mtime": int(st.st_mtime)}))
