#!/usr/bin/env python3
"""Summary of one scaleout-bench.sh run: a console table and RUN/benchmarks-block.md.

    summarize.py RUN_DIR COMMAND

Medians over rounds; ratios are Strata / distribution (and two replicas / one).
"""
import statistics
import sys
from collections import defaultdict

run, command = sys.argv[1], sys.argv[2]
machine = dict(line.rstrip("\n").split("=", 1) for line in open(f"{run}/machine.txt") if "=" in line)
values = defaultdict(list)
for line in open(f"{run}/results.tsv"):
    config, metric, _rep, value = line.rstrip("\n").split("\t")
    values[(config, metric)].append(float(value))


def med(config, metric):
    v = values.get((config, metric))
    return statistics.median(v) if v else None


def total(config, metric):
    v = values.get((config, metric))
    return sum(v) if v else None


def fmt(x, f="{:.2f}"):
    return "–" if x is None else f.format(x)


def ratio(a, b):
    return None if a is None or not b else a / b


def spread(config, metric):
    v = values.get((config, metric), [])
    return f" ({min(v):g}–{max(v):g})" if len(v) > 1 else ""


rows = []


def row(label, d, s, goal="", ok=None, f="{:.2f}", sd="", ss=""):
    r = ratio(s, d)
    verdict = "" if ok is None or r is None else ("met" if ok(r) else "**missed**")
    rows.append((label, fmt(d, f) + sd, fmt(s, f) + ss, fmt(r), goal, verdict))


cpu = lambda c: (med(c, "push_cpu_s") or 0) + (med(c, "pull_cpu_s") or 0) if med(c, "push_cpu_s") is not None else None
row("push of the image set, s", med("dist", "push_s"), med("strata", "push_s"), "≤ 1.00 (no slower)", lambda r: r <= 1.0,
    sd=spread("dist", "push_s"), ss=spread("strata", "push_s"))
row("pull of the image set, s", med("dist", "pull_s"), med("strata", "pull_s"), "≤ 1.00 (no slower)", lambda r: r <= 1.0,
    sd=spread("dist", "pull_s"), ss=spread("strata", "pull_s"))
row("registry CPU, push + pull, s", cpu("dist"), cpu("strata"), "≤ 0.80", lambda r: r <= 0.8)
row("  of which push, s", med("dist", "push_cpu_s"), med("strata", "push_cpu_s"))
row("  of which pull, s", med("dist", "pull_cpu_s"), med("strata", "pull_cpu_s"))
row("S3 server CPU during push, s", med("dist", "push_s3_cpu_s"), med("strata", "push_s3_cpu_s"))
row("S3 server CPU during pull, s", med("dist", "pull_s3_cpu_s"), med("strata", "pull_s3_cpu_s"))
row("objects in the bucket after the push", med("dist", "s3_objects"), med("strata", "s3_objects"), f="{:.0f}")
row("bytes in the bucket after the push, MiB", med("dist", "s3_mb"), med("strata", "s3_mb"), f="{:.1f}")
row("peak RSS during push + pull, MB", med("dist", "pushpull_hwm_mb"), med("strata", "pushpull_hwm_mb"), f="{:.0f}")
row("start to ready, s", med("dist", "ready_s"), med("strata", "ready_s"))
row("pull, Strata redirecting blob GETs to S3, s", med("dist", "pull_s"), med("strata", "pull_redirect_s"), "≤ 1.00 (no slower)", lambda r: r <= 1.0,
    sd=spread("dist", "pull_s"), ss=spread("strata", "pull_redirect_s"))
row("  registry CPU of that pull, s", med("dist", "pull_cpu_s"), med("strata", "pull_redirect_cpu_s"))
row("  S3 server CPU of that pull, s", med("dist", "pull_s3_cpu_s"), med("strata", "pull_redirect_s3_cpu_s"))

fan = []
for config, label in (("dist", "distribution, 1 process"), ("strata1", "Strata, 1 replica"), ("strata2", "Strata, 2 replicas"),
                      ("strata1r", "Strata, 1 replica, blob GETs redirected to S3")):
    fan.append((label, fmt(med(config, "conc_mbs"), "{:.0f}") + spread(config, "conc_mbs"),
                fmt(total(config, "conc_errors"), "{:.0f}"), fmt(med(config, "conc_cpu_s_per_gib")),
                fmt(med(config, "manifest_rps"), "{:.0f}"), fmt(total(config, "manifest_errors"), "{:.0f}")))
scale_blob = ratio(med("strata2", "conc_mbs"), med("strata1", "conc_mbs"))
scale_manifest = ratio(med("strata2", "manifest_rps"), med("strata1", "manifest_rps"))

params = dict(kv.split("=", 1) for kv in machine.get("params", "").split())
lines = [
    f"Command: `{command}` ({machine.get('params', '')}), {machine.get('date', '')}, Strata {machine.get('strata_commit', '')}, "
    f"distribution {machine.get('distribution', '')}, {machine.get('s3_server', '')}, PostgreSQL {machine.get('postgres', '')}, "
    f"{machine.get('nproc', '')} CPUs ({machine.get('cpu', '')}), {machine.get('mem_total_mb', '')} MB. "
    f"Image set: {int(machine.get('set_unique_bytes', 0)) / 1048576:.0f} MiB unique, {int(machine.get('set_pushed_bytes', 0)) / 1048576:.0f} MiB pushed per round. "
    f"1-minute load at the start of each phase: " + ", ".join(f"{k[5:]} {v[0]:g}" for (c, k), v in sorted(values.items()) if c == "machine") + ".",
    "",
    "| push/pull on S3 (median of rounds; range) | distribution | Strata | Strata / distribution | goal | |",
    "|---|---|---|---|---|---|",
]
lines += [f"| {a} | {b} | {c} | {d} | {e} | {f} |" for a, b, c, d, e, f in rows]
lines += [
    "",
    f"| {params.get('conc_clients', '32')} clients at once | blob MB/s aggregate (median; range) | failed downloads | server CPU s per GiB served | manifest GETs/s | manifest errors |",
    "|---|---|---|---|---|---|",
]
lines += [f"| {a} | {b} | {c} | {d} | {e} | {f} |" for a, b, c, d, e, f in fan]
lines += ["", f"Two replicas / one: blob throughput {fmt(scale_blob)}×, manifest GETs {fmt(scale_manifest)}×."]
block = "\n".join(lines) + "\n"
open(f"{run}/benchmarks-block.md", "w").write(block)
print(block)
