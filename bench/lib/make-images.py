#!/usr/bin/env python3
"""Deterministic benchmark image set, written as one OCI image layout.

    make-images.py OUT_DIR [--scale S]

Writes OUT_DIR (an OCI layout: oci-layout, index.json, blobs/sha256/...) holding four images,
tagged img1..img4, with gzip layers built from seeded pseudo-random content:

  layer     content                                                 used by
  base      ~3000 small files (text, binary-like, random) + 8 libs  img1 img2 img3 img4
  certs     ~150 small text files                                  img1 img2 img3 img4
  runtime   ~2500 small text files + binaries + one random file     img1 img2 img3
  tools     ~800 small files + binaries + one random file           img2 img4
  app1      one large random file (a "model") + small files         img1
  app2      binary-like and random files + small files              img2
  app3      ten random 10 MB files (a "dataset") + text              img3
  app4      ~1500 small text files                                  img4
  docs4     text documentation                                      img4
  etcN      a handful of tiny config files, one per image           imgN

Same scale => byte-identical output (fixed seeds, mtimes, owners, gzip header). --scale shrinks
every size (not file counts below 1) for quick runs. Prints a JSON summary on stdout.
"""
import argparse
import hashlib
import json
import os
import random
import sys
import tarfile
import zlib
from multiprocessing import Pool

MTIME = 1_700_000_000
MiB = 1024 * 1024
SCHEMA = "strata-bench-images-v1"

# kind -> fraction of small files: text (compresses ~3-4x), bin (~2x), rand (incompressible)
LAYERS = {
    "base": dict(small=(3000, 0.70, 0.20, 0.10), libs=[("bin", s * MiB) for s in (1, 2, 3, 3, 4, 4, 5, 6)]),
    "certs": dict(small=(150, 1.0, 0.0, 0.0), libs=[]),
    "runtime": dict(small=(2500, 0.90, 0.05, 0.05), libs=[("bin", s * MiB) for s in (4, 6, 8, 10, 12)] + [("rand", 20 * MiB)]),
    "tools": dict(small=(800, 0.5, 0.4, 0.1), libs=[("bin", 10 * MiB)] * 3 + [("rand", 15 * MiB)]),
    "app1": dict(small=(200, 1.0, 0.0, 0.0), libs=[("rand", 160 * MiB)]),
    "app2": dict(small=(400, 0.8, 0.2, 0.0), libs=[("bin", 20 * MiB)] * 3 + [("rand", 30 * MiB)]),
    "app3": dict(small=(50, 1.0, 0.0, 0.0), libs=[("rand", 10 * MiB)] * 10 + [("text", 20 * MiB)]),
    "app4": dict(small=(1500, 1.0, 0.0, 0.0), libs=[]),
    "docs4": dict(small=(0, 1.0, 0.0, 0.0), libs=[("text", 30 * MiB)]),
    "etc1": dict(small=(5, 1.0, 0.0, 0.0), libs=[]),
    "etc2": dict(small=(5, 1.0, 0.0, 0.0), libs=[]),
    "etc3": dict(small=(5, 1.0, 0.0, 0.0), libs=[]),
    "etc4": dict(small=(5, 1.0, 0.0, 0.0), libs=[]),
}
IMAGES = {
    "img1": ["base", "certs", "runtime", "app1", "etc1"],
    "img2": ["base", "certs", "runtime", "tools", "app2", "etc2"],
    "img3": ["base", "certs", "runtime", "app3", "etc3"],
    "img4": ["base", "certs", "tools", "app4", "docs4", "etc4"],
}


def seeded(*parts):
    return random.Random(hashlib.sha256("/".join(map(str, parts)).encode()).digest())


_VOCAB = None


def vocab():
    global _VOCAB
    if _VOCAB is None:
        rng = seeded("vocab")
        letters = "etaoinshrdlcumwfgypbvkjxqz"
        weights = [12, 9, 8, 8, 7, 7, 6, 6, 6, 4, 4, 3, 3, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1]
        _VOCAB = ["".join(rng.choices(letters, weights, k=rng.randint(2, 11))) for _ in range(4000)]
        _VOCAB += ["{", "}", "(", ")", "=", "return", "def", "import", "\n", "\n    ", "#", "0", "1", "None"]
    return _VOCAB


def text_bytes(rng, n):
    words = vocab()
    out = []
    have = 0
    while have < n:
        chunk = " ".join(rng.choices(words, k=4096)).encode()
        out.append(chunk)
        have += len(chunk)
    return b"".join(out)[:n]


def bin_bytes(rng, n):
    """Binary-like: random 2 KiB runs between structured runs (repeated records), ~2x compressible."""
    record = rng.randbytes(64)
    out = []
    have = 0
    while have < n:
        out.append(rng.randbytes(2048))
        run = bytearray(record * 32)
        for _ in range(8):  # small perturbations so it is not trivially compressible
            run[rng.randrange(len(run))] = rng.randrange(256)
        out.append(bytes(run))
        have += 2048 + len(run)
    return b"".join(out)[:n]


def content(kind, rng, n):
    if kind == "text":
        return text_bytes(rng, n)
    if kind == "bin":
        return bin_bytes(rng, n)
    return rng.randbytes(n)


class HashingGzipSink:
    """File-like sink for tarfile's stream mode: hashes the tar, gzips it to a file, hashes that."""

    def __init__(self, path):
        self.file = open(path, "wb")
        self.diff = hashlib.sha256()
        self.blob = hashlib.sha256()
        self.size = 0
        self.tar_size = 0
        # wbits=31: gzip wrapper with mtime 0 and no file name, so the output is reproducible.
        self.z = zlib.compressobj(6, zlib.DEFLATED, 31)

    def _emit(self, data):
        if data:
            self.file.write(data)
            self.blob.update(data)
            self.size += len(data)

    def write(self, data):
        self.diff.update(data)
        self.tar_size += len(data)
        self._emit(self.z.compress(data))
        return len(data)

    def close(self):
        self._emit(self.z.flush())
        self.file.close()


def add_dir(tar, name):
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE
    info.mode = 0o755
    info.mtime = MTIME
    tar.addfile(info)


def add_file(tar, name, data, mode=0o644):
    import io

    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = mode
    info.mtime = MTIME
    info.uname = info.gname = "root"
    tar.addfile(info, io.BytesIO(data))


def build_layer(args):
    name, scale, tmp_dir = args
    spec = LAYERS[name]
    rng = seeded("layer", name)
    path = os.path.join(tmp_dir, f"layer-{name}.tar.gz")
    sink = HashingGzipSink(path)
    files = 0
    with tarfile.open(fileobj=sink, mode="w|", format=tarfile.PAX_FORMAT) as tar:
        root = f"opt/{name}"
        dirs = [f"{root}/d{i:02d}" for i in range(max(1, spec["small"][0] // 120))]
        for d in ["opt", root] + dirs:
            add_dir(tar, d)
        count, f_text, f_bin, _ = spec["small"]
        for i in range(count):
            roll = rng.random()
            kind = "text" if roll < f_text else "bin" if roll < f_text + f_bin else "rand"
            size = max(16, int(min(rng.lognormvariate(8.3, 1.1), 256 * 1024) * scale))
            ext = {"text": "py", "bin": "so", "rand": "dat"}[kind]
            add_file(tar, f"{dirs[i % len(dirs)]}/f{i:05d}.{ext}", content(kind, rng, size))
            files += 1
        if spec["libs"]:
            add_dir(tar, f"{root}/lib")
        for j, (kind, size) in enumerate(spec["libs"]):
            add_file(tar, f"{root}/lib/big{j:02d}.{kind}", content(kind, rng, max(1024, int(size * scale))), 0o755)
            files += 1
    sink.close()
    return dict(name=name, path=path, digest="sha256:" + sink.blob.hexdigest(), size=sink.size,
                diff_id="sha256:" + sink.diff.hexdigest(), tar_size=sink.tar_size, files=files)


def write_blob(out, data):
    digest = hashlib.sha256(data).hexdigest()
    with open(os.path.join(out, "blobs", "sha256", digest), "wb") as f:
        f.write(data)
    return "sha256:" + digest, len(data)


def canonical(obj):
    return json.dumps(obj, separators=(",", ":"), sort_keys=True).encode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    a = ap.parse_args()

    out = a.out
    os.makedirs(os.path.join(out, "blobs", "sha256"), exist_ok=True)
    tmp = os.path.join(out, "tmp")
    os.makedirs(tmp, exist_ok=True)

    # Largest layers first so the two workers finish together.
    order = sorted(LAYERS, key=lambda n: -sum(s for _, s in LAYERS[n]["libs"]) - LAYERS[n]["small"][0] * 8000)
    with Pool(a.jobs) as pool:
        built = {r["name"]: r for r in pool.imap_unordered(build_layer, [(n, a.scale, tmp) for n in order])}
    for r in built.values():
        os.replace(r["path"], os.path.join(out, "blobs", "sha256", r["digest"].split(":")[1]))
    os.rmdir(tmp)

    index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": []}
    summary = {"schema": SCHEMA, "scale": a.scale, "layers": {}, "images": {}}
    for n, r in sorted(built.items()):
        summary["layers"][n] = {k: r[k] for k in ("digest", "size", "tar_size", "files")}
    for tag, layers in IMAGES.items():
        config = {
            "architecture": "amd64",
            "os": "linux",
            "created": "2023-11-14T22:13:20Z",
            "config": {"Env": ["PATH=/usr/local/bin:/usr/bin:/bin"], "Cmd": ["/bin/sh"], "Labels": {"bench": tag}},
            "rootfs": {"type": "layers", "diff_ids": [built[n]["diff_id"] for n in layers]},
            "history": [{"created": "2023-11-14T22:13:20Z", "created_by": f"bench layer {n}"} for n in layers],
        }
        cdigest, csize = write_blob(out, canonical(config))
        manifest = {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cdigest, "size": csize},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                        "digest": built[n]["digest"], "size": built[n]["size"]} for n in layers],
        }
        mdigest, msize = write_blob(out, canonical(manifest))
        index["manifests"].append({"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": mdigest,
                                   "size": msize, "annotations": {"org.opencontainers.image.ref.name": tag}})
        summary["images"][tag] = {"manifest": mdigest, "layers": layers,
                                  "bytes": csize + msize + sum(built[n]["size"] for n in layers)}
    with open(os.path.join(out, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion":"1.0.0"}')
    with open(os.path.join(out, "index.json"), "wb") as f:
        f.write(canonical(index))
    summary["unique_blob_bytes"] = sum(r["size"] for r in built.values())
    summary["pushed_bytes"] = sum(i["bytes"] for i in summary["images"].values())
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1, sort_keys=True)
    json.dump(summary, sys.stdout, indent=1, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
