#!/usr/bin/env python3
"""Turns a publish-bench run (results.tsv, layers.tsv) into the markdown tables of docs/benchmarks.md.

    summarize.py RUN_DIR IMAGE_SET_SUMMARY_JSON COMMAND
"""
import collections
import json
import os
import statistics
import sys

run, set_summary, command = sys.argv[1], sys.argv[2], sys.argv[3]
MiB = 1024 * 1024
values = collections.defaultdict(dict)          # (config, metric) -> item -> value
configs = []
with open(os.path.join(run, "results.tsv")) as f:
    for line in f:
        config, metric, item, value = line.rstrip("\n").split("\t")
        values[(config, metric)][item] = value
        if config not in ("machine", "gzip") and config not in configs:
            configs.append(config)
layers = {}
with open(os.path.join(run, "layers.tsv")) as f:
    for line in f:
        name, hexd, size, tar, files = line.split("\t")
        layers[name] = dict(size=int(size), tar=int(tar), files=int(files))
images = json.load(open(set_summary))["images"]
gzip_s = {k: float(v) for k, v in values[("gzip", "layer_s")].items()}
derived = {}
derive_log = os.path.join(run, "derived-summary.json")
if os.path.exists(derive_log) and os.path.getsize(derive_log):
    derived = json.load(open(derive_log))


def num(config, metric, item, default=None):
    v = values[(config, metric)].get(item)
    return default if v in (None, "") else float(v)


def fmt(x, digits=2):
    return "–" if x is None else f"{x:,.{digits}f}"


machine = dict(l.rstrip("\n").split("=", 1) for l in open(os.path.join(run, "machine.txt")) if "=" in l)
out = []
p = out.append
p(f"Run {machine.get('date')}: {machine.get('nproc')} cores ({machine.get('cpu')}), kernel {machine.get('kernel')}, "
  f"Strata {machine.get('strata_commit')} (Release, .NET {machine.get('dotnet')}), {machine.get('gzip')}, image set scale {machine.get('scale')}. "
  f"1-minute load at start {values[('machine', 'load_start')].get('1')}, at the end {values[('machine', 'load_end')].get('1')}.")
p("")
p("```sh")
p(command)
p("```")
p("")

# ---- ingest throughput beside gzip -dc
p("**Ingest throughput** (each image of the set published in turn; only layers the repository lacks are ingested; "
  "MB/s of uncompressed tar; `gzip -dc` of the same layer blobs in the same run, best of its repetitions):")
p("")
header = "| image | new layers | tar MiB | gzip -dc s | gzip MB/s |" + "".join(f" {c} ingest s | {c} MB/s | {c} / gzip |" for c in configs)
p(header)
p("|" + "---|" * (5 + 3 * len(configs)))
seen = set()
totals = collections.defaultdict(float)
for tag in sorted(images):
    new = [l for l in images[tag]["layers"] if l not in seen]
    seen.update(new)
    tar = sum(layers[l]["tar"] for l in new) / MiB
    gz = sum(gzip_s[l] for l in new)
    totals["tar"] += tar
    totals["gzip"] += gz
    row = f"| {tag} | {', '.join(new)} | {tar:,.0f} | {gz:.2f} | {tar / gz:,.0f} |"
    for c in configs:
        ingest = num(c, "ingestMs", tag)
        ingest = ingest / 1000 if ingest is not None else None
        totals[c] += ingest or 0
        row += f" {fmt(ingest)} | {fmt(tar / ingest if ingest else None, 0)} | {fmt((tar / ingest) / (tar / gz) if ingest else None)} |"
    p(row)
row = f"| **set** | | **{totals['tar']:,.0f}** | **{totals['gzip']:.2f}** | **{totals['tar'] / totals['gzip']:,.0f}** |"
for c in configs:
    t = totals[c]
    row += f" **{fmt(t)}** | **{fmt(totals['tar'] / t if t else None, 0)}** | **{fmt(totals['gzip'] / t if t else None)}** |"
p(row)
busy_tar = layers["app1"]["tar"] / MiB if "app1" in layers else None
if busy_tar and all(num(c, "ingestMs", "busy") for c in configs):
    row = f"| busy (app1 rebuilt) | app1' | {busy_tar:,.0f} | {gzip_s['app1']:.2f} | {busy_tar / gzip_s['app1']:,.0f} |"
    for c in configs:
        t = num(c, "ingestMs", "busy") / 1000
        row += f" {fmt(t)} | {fmt(busy_tar / t, 0)} | {fmt(gzip_s['app1'] / t)} |"
    p(row)
p("")

# ---- the same in CPU seconds (robust to other work on a shared machine)
gzip_cpu = {k: float(v) for k, v in values[("gzip", "layer_cpu_s")].items()}
if gzip_cpu and any(values[(c, "publish_cpu_s")] for c in configs):
    p("**The same in CPU seconds** (the server process's user + system time from the end of the push to the "
      "publication's success, beside `gzip -dc`'s user + system time; other work on the machine moves these far less than wall times):")
    p("")
    p("| image | gzip -dc CPU s |" + "".join(f" {c} CPU s | {c}: gzip CPU / publish CPU |" for c in configs))
    p("|---|---|" + "---|---|" * len(configs))
    seen = set()
    cpu_totals = collections.defaultdict(float)
    for tag in sorted(images):
        new = [l for l in images[tag]["layers"] if l not in seen]
        seen.update(new)
        gz = sum(gzip_cpu[l] for l in new)
        cpu_totals["gzip"] += gz
        row = f"| {tag} | {gz:.2f} |"
        for c in configs:
            cpu = num(c, "publish_cpu_s", tag)
            cpu_totals[c] += cpu or 0
            row += f" {fmt(cpu)} | {fmt(gz / cpu if cpu else None)} |"
        p(row)
    row = f"| **set** | **{cpu_totals['gzip']:.2f}** |"
    for c in configs:
        row += f" **{fmt(cpu_totals[c])}** | **{fmt(cpu_totals['gzip'] / cpu_totals[c] if cpu_totals[c] else None)}** |"
    p(row)
    p("")

# ---- latency
p("**Publication latency** (from the end of the push, `skopeo copy` returning, to the publication job "
  "reported succeeded, polled every 20 ms; the new revision is served from that moment):")
p("")
p("| case | goal |" + "".join(f" {c} (median; max) |" for c in configs))
p("|---|---|" + "---|" * len(configs))
for label, prefix, goal in (("re-tag (all layers and the flat image known)", "retag", "< 2 s"),
                            ("new image on a known base (one new tiny layer)", "onbase", "< 2 s")):
    row = f"| {label} | {goal} |"
    for c in configs:
        xs = [float(v) for k, v in values[(c, "latency_s")].items() if k.startswith(prefix) and k[len(prefix):].isdigit()]
        row += f" {fmt(statistics.median(xs)) if xs else '–'} s; {fmt(max(xs)) if xs else '–'} s |"
    p(row)
for tag in sorted(images):
    row = f"| {tag} (first publication of its new layers) | |"
    for c in configs:
        row += f" {fmt(num(c, 'latency_s', tag))} s (ingest {fmt((num(c, 'ingestMs', tag) or 0) / 1000)}, flatten {fmt((num(c, 'flattenMs', tag) or 0) / 1000)}, commit {fmt((num(c, 'commitMs', tag) or 0) / 1000)}) |"
    p(row)
p("")

# ---- storage and dedup
p("**Storage and file-level dedup** (after the set, the re-tags, the images on a known base and the rebuilt image):")
p("")
p("| measure |" + "".join(f" {c} |" for c in configs))
p("|---|" + "---|" * len(configs))
def line(label, f):
    p(f"| {label} |" + "".join(f" {f(c)} |" for c in configs))
line("registry blobs (compressed layers, configs, manifests), MiB", lambda c: fmt(num(c, "registry_blob_bytes", "1", 0) / MiB, 0))
line("repository `data/` (every object, catalogs included), MiB", lambda c: fmt(num(c, "repo_data_bytes", "1", 0) / MiB, 0))
line("  repository / registry", lambda c: fmt(num(c, "repo_data_bytes", "1", 0) / max(1, num(c, "registry_blob_bytes", "1", 1))))
line("file objects (whole files) + chunks", lambda c: f"{int(num(c, 'objects_file', '1', 0)):,} + {int(num(c, 'objects_chunk', '1', 0)):,}")
line("catalogs; certificate/history/meta", lambda c: f"{int(num(c, 'objects_catalog', '1', 0)):,}; {int(num(c, 'objects_other', '1', 0)):,}")
total_files = sum(layers[l]["files"] for t in images for l in images[t]["layers"])
unique_layer_files = sum(layers[l]["files"] for l in layers)
line(f"regular files in the set's images (counting each image's layers): {total_files:,}; in its unique layers: {unique_layer_files:,}",
     lambda c: f"{int(num(c, 'objects_file', '1', 0)):,} unique whole-file objects")
if derived:
    line(f"rebuilt image (base + runtime layers rebuilt: {derived.get('rebuilt_layer_bytes', 0) / MiB:,.1f} MiB of new compressed layers in the registry): bytes added to `data/`, MiB",
         lambda c: fmt(num(c, "rebuilt_repo_bytes", "1", 0) / MiB, 2))
p("")

# ---- request serving
p(f"**Request serving while publishing** (`wrk -t1 -c1` manifest GETs by tag, idle vs while the busy image is ingested):")
p("")
p("| measure |" + "".join(f" {c} |" for c in configs))
p("|---|" + "---|" * len(configs))
line("idle: req/s; p99 ms", lambda c: f"{fmt(num(c, 'wrk_rps', 'idle'), 0)}; {fmt(num(c, 'wrk_p99_ms', 'idle'))}")
line("during a publication: req/s; p99 ms", lambda c: f"{fmt(num(c, 'wrk_rps', 'during'), 0)}; {fmt(num(c, 'wrk_p99_ms', 'during'))}")
print("\n".join(out))
