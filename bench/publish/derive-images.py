#!/usr/bin/env python3
"""Images derived from the benchmark set, for bench/publish-bench.sh, as one OCI layout.

    derive-images.py SRC_LAYOUT OUT_LAYOUT

  onbase1..3  img1's layers + one tiny new layer: "a new image on a known base"
  img1r       img1 with its base and runtime layers rebuilt: every mtime moved by an hour and one
              file changed in each (what a nightly rebuild of a base image looks like): new layer
              digests, so the registry stores the layers again, while file-level dedup in the
              CernVM-FS repository stores only the changed files.
  busy        img1 with its app1 layer (a 160 MiB file) rebuilt the same way: a publication with
              real work to do, during which the benchmark measures request serving.

Blobs of the source layout are symlinked, new ones written. Deterministic (fixed mtimes, gzip
header mtime 0). Prints a JSON summary.
"""
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile

src, out = sys.argv[1], sys.argv[2]
os.makedirs(os.path.join(out, "blobs", "sha256"), exist_ok=True)


def blob_path(layout, digest):
    return os.path.join(layout, "blobs", "sha256", digest.split(":", 1)[1])


def put(data):
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    path = blob_path(out, digest)
    if not os.path.exists(path):
        with open(path + ".tmp", "wb") as f:
            f.write(data)
        os.replace(path + ".tmp", path)
    return digest


def link(digest):
    path = blob_path(out, digest)
    if not os.path.lexists(path):
        os.symlink(os.path.abspath(blob_path(src, digest)), path)


def load(digest):
    with open(blob_path(src, digest), "rb") as f:
        return f.read()


def gz(data):
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, compresslevel=6) as f:
        f.write(data)
    return buffer.getvalue()


def tiny_layer(n):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        content = f"derived image {n}\n".encode()
        info = tarfile.TarInfo("etc/derived")
        info.size, info.mtime, info.mode = len(content), 1_700_000_100 + n, 0o644
        tar.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def rebuilt(layer_gz, tag):
    """Same files, every mtime +3600, the first regular file changed."""
    source = tarfile.open(fileobj=io.BytesIO(gzip.decompress(layer_gz)), mode="r:")
    buffer = io.BytesIO()
    changed = False
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for member in source:
            member.mtime += 3600
            data = source.extractfile(member).read() if member.isreg() else None
            if member.isreg() and not changed:
                data += f"rebuilt {tag}\n".encode()
                member.size = len(data)
                changed = True
            tar.addfile(member, io.BytesIO(data) if data is not None else None)
    return buffer.getvalue()


index = json.load(open(os.path.join(src, "index.json")))
by_tag = {m["annotations"]["org.opencontainers.image.ref.name"]: m for m in index["manifests"]}
img1 = json.loads(load(by_tag["img1"]["digest"]))
config = json.loads(load(img1["config"]["digest"]))
entries = []


def write_image(tag, layers, diff_ids):
    cfg = dict(config)
    cfg["rootfs"] = {"type": "layers", "diff_ids": diff_ids}
    cfg_bytes = json.dumps(cfg, sort_keys=True).encode()
    manifest = dict(img1)
    manifest["config"] = {"mediaType": img1["config"]["mediaType"], "digest": put(cfg_bytes), "size": len(cfg_bytes)}
    manifest["layers"] = layers
    data = json.dumps(manifest, sort_keys=True).encode()
    entries.append({"mediaType": img1.get("mediaType", "application/vnd.oci.image.manifest.v1+json"), "digest": put(data), "size": len(data),
                    "annotations": {"org.opencontainers.image.ref.name": tag}})


for layer in img1["layers"]:
    link(layer["digest"])
for n in (1, 2, 3):
    raw = tiny_layer(n)
    data = gz(raw)
    layers = img1["layers"] + [{"mediaType": img1["layers"][0]["mediaType"], "digest": put(data), "size": len(data)}]
    write_image(f"onbase{n}", layers, config["rootfs"]["diff_ids"] + ["sha256:" + hashlib.sha256(raw).hexdigest()])

layers, diff_ids, rebuilt_bytes = [], [], 0
for i, layer in enumerate(img1["layers"]):
    if i in (0, 2):   # base, runtime
        raw = rebuilt(load(layer["digest"]), i)
        data = gz(raw)
        rebuilt_bytes += len(data)
        layers.append({"mediaType": layer["mediaType"], "digest": put(data), "size": len(data)})
        diff_ids.append("sha256:" + hashlib.sha256(raw).hexdigest())
    else:
        layers.append(layer)
        diff_ids.append(config["rootfs"]["diff_ids"][i])
write_image("img1r", layers, diff_ids)

layers, diff_ids = [], []
for i, layer in enumerate(img1["layers"]):
    if i == 3:   # app1
        raw = rebuilt(load(layer["digest"]), i)
        data = gz(raw)
        layers.append({"mediaType": layer["mediaType"], "digest": put(data), "size": len(data)})
        diff_ids.append("sha256:" + hashlib.sha256(raw).hexdigest())
    else:
        layers.append(layer)
        diff_ids.append(config["rootfs"]["diff_ids"][i])
write_image("busy", layers, diff_ids)

with open(os.path.join(out, "oci-layout"), "w") as f:
    json.dump({"imageLayoutVersion": "1.0.0"}, f)
with open(os.path.join(out, "index.json"), "w") as f:
    json.dump({"schemaVersion": 2, "manifests": entries}, f)
json.dump({"images": [e["annotations"]["org.opencontainers.image.ref.name"] for e in entries], "rebuilt_layer_bytes": rebuilt_bytes}, sys.stdout)
