#!/usr/bin/env python3
"""Summary of one registry-bench.sh run: a console table and a markdown block.

    summarize.py RUN_DIR COMMAND

Reads RUN_DIR/machine.txt and RUN_DIR/results.tsv (registry, metric, repetition, value), prints
the table, and writes RUN_DIR/benchmarks-block.md for docs/benchmarks.md. Ratios are always
Strata / distribution; whether higher or lower is better is said in the goal column.
"""
import statistics
import sys
from collections import defaultdict

run, command = sys.argv[1], sys.argv[2]
machine = dict(line.rstrip("\n").split("=", 1) for line in open(f"{run}/machine.txt") if "=" in line)
values = defaultdict(list)  # (registry, metric) -> [values in repetition order]
for line in open(f"{run}/results.tsv"):
    reg, metric, _rep, value = line.rstrip("\n").split("\t")
    values[(reg, metric)].append(float(value))


def agg(reg, metric, how):
    v = values.get((reg, metric))
    if not v:
        return None
    return {"median": statistics.median, "max": max, "min": min, "sum": sum}[how](v)


def spread(reg, metric):
    v = values.get((reg, metric), [])
    return f"{min(v):g}–{max(v):g}" if len(v) > 1 else ""


def cpu_total(reg):
    push, pull = values.get((reg, "push_cpu_s"), []), values.get((reg, "pull_cpu_s"), [])
    return statistics.median([a + b for a, b in zip(push, pull)]) if push else None


# Counted on whichever registry ran (REGISTRIES may leave distribution out).
rounds = len(values.get(("dist", "push_s")) or values.get(("strata", "push_s"), []))
gets = len(values.get(("dist", "large_get_mbs")) or values.get(("strata", "large_get_mbs"), []))
conc_rounds = len(values.get(("dist", "conc_mbs")) or values.get(("strata", "conc_mbs"), []))
params = dict(kv.split("=", 1) for kv in machine.get("params", "").split())

# (label, dist, strata, goal text, goal test on ratio or on strata's value, format)
rows = []


def row(label, d, s, goal="", test=None, fmt="{:.2f}", on="ratio"):
    ratio = s / d if d and s is not None else None
    verdict = ""
    # Without a distribution run (REGISTRIES without dist) there is no ratio to judge.
    if test is not None and s is not None and (on != "ratio" or ratio is not None):
        ok = test(ratio if on == "ratio" else s)
        verdict = "met" if ok else "**missed**"
    rows.append((label, fmt.format(d) if d is not None else "–", fmt.format(s) if s is not None else "–",
                 f"{ratio:.2f}" if ratio is not None else "–", goal, verdict))


m = lambda reg, metric, how="median": agg(reg, metric, how)
row("start to ready (GET /v2/ answers), s (median)", m("dist", "ready_s"), m("strata", "ready_s"))
row("RSS when ready, MB (median)", m("dist", "ready_rss_mb"), m("strata", "ready_rss_mb"), fmt="{:.0f}")
row("first push into a fresh process (tiny image), s (median)", m("dist", "cold_push_tiny_s"), m("strata", "cold_push_tiny_s"))
row("CPU s from start to warm (start-up + tiny push and pull)", m("dist", "startup_warmup_cpu_s"), m("strata", "startup_warmup_cpu_s"))
row(f"push of the image set, wall s (median of {rounds})", m("dist", "push_s"), m("strata", "push_s"),
    "≤ 1.00 (no slower)", lambda r: r <= 1.0)
row(f"pull of the image set, wall s (median of {rounds})", m("dist", "pull_s"), m("strata", "pull_s"),
    "≤ 1.00 (no slower)", lambda r: r <= 1.0)
row("registry CPU s, push + pull (median)", cpu_total("dist"), cpu_total("strata"), "≤ 0.80", lambda r: r <= 0.8)
row("registry CPU s, whole process life (start, warm-up, push, pull)", m("dist", "life_cpu_s"), m("strata", "life_cpu_s"))
row("  of which push", m("dist", "push_cpu_s"), m("strata", "push_cpu_s"))
row("  of which pull", m("dist", "pull_cpu_s"), m("strata", "pull_cpu_s"))
row("peak RSS during push + pull, MB (max)", m("dist", "pushpull_hwm_mb", "max"), m("strata", "pushpull_hwm_mb", "max"), fmt="{:.0f}")
row(f"{params.get('large_mb', '?')} MiB blob GET, MB/s (best of {gets})", m("dist", "large_get_mbs", "max"),
    m("strata", "large_get_mbs", "max"), "≥ 1.20", lambda r: r >= 1.2, fmt="{:.0f}")
row("  registry CPU s per GiB served", m("dist", "large_get_cpu_s_per_gib"), m("strata", "large_get_cpu_s_per_gib"))
row(f"{params.get('large_mb', '?')} MiB blob PUT (POST + one PUT), MB/s", m("dist", "large_put_mbs"), m("strata", "large_put_mbs"), fmt="{:.0f}")
row("  registry CPU s for the PUT", m("dist", "large_put_cpu_s"), m("strata", "large_put_cpu_s"))
row("peak RSS during the large upload, MB", m("dist", "large_put_hwm_mb"), m("strata", "large_put_hwm_mb"),
    "Strata < 200 MB", lambda v: v < 200, fmt="{:.0f}", on="value")
row("peak RSS during the large downloads, MB", m("dist", "large_get_hwm_mb"), m("strata", "large_get_hwm_mb"),
    "Strata < 200 MB", lambda v: v < 200, fmt="{:.0f}", on="value")
row(f"manifest GETs/s by tag, 1 connection ({params.get('wrk_seconds', '?')} s)", m("dist", "manifest_rps"),
    m("strata", "manifest_rps"), "≥ 3.00", lambda r: r >= 3.0, fmt="{:.0f}")
row("  latency p50, µs", m("dist", "manifest_p50_us"), m("strata", "manifest_p50_us"), fmt="{:.0f}")
row("  latency p99, µs", m("dist", "manifest_p99_us"), m("strata", "manifest_p99_us"), fmt="{:.0f}")
row("  registry CPU µs per GET", m("dist", "manifest_cpu_us_per_req"), m("strata", "manifest_cpu_us_per_req"), fmt="{:.0f}")
row("  non-2xx + socket errors", m("dist", "manifest_errors", "sum"), m("strata", "manifest_errors", "sum"),
    "0", lambda v: v == 0, fmt="{:.0f}", on="value")
clients, cmb = params.get("conc_clients", "?"), params.get("conc_mb", "?")
row(f"{clients} clients × {cmb} MiB blob, aggregate MB/s (median of {conc_rounds})", m("dist", "conc_mbs"),
    m("strata", "conc_mbs"), fmt="{:.0f}")
row("  registry CPU s per GiB served", m("dist", "conc_cpu_s_per_gib"), m("strata", "conc_cpu_s_per_gib"))
row("  peak RSS, MB", m("dist", "conc_hwm_mb"), m("strata", "conc_hwm_mb"), fmt="{:.0f}")
row(f"  failed or short downloads (of {conc_rounds} × {clients})", m("dist", "conc_errors", "sum"),
    m("strata", "conc_errors", "sum"), "0", lambda v: v == 0, fmt="{:.0f}", on="value")
row("RSS at the end, idle, MB", m("dist", "idle_rss_end_mb"), m("strata", "idle_rss_end_mb"), fmt="{:.0f}")

header = ("measure", "distribution", "Strata", "Strata/dist", "goal", "")

# Console table
widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
for r in [header] + rows:
    print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())

loads = [(k[1][5:], v[0]) for k, v in values.items() if k[0] == "machine" and k[1].startswith("load_")]
if loads:
    print("1-minute load average at each phase: " + ", ".join(f"{n} {v:g}" for n, v in loads))

# Raw per-round figures, so the spread is visible
raw_metrics = [("cold_push_tiny_s", "first tiny push s"), ("push_s", "push s"), ("pull_s", "pull s"), ("push_cpu_s", "push CPU s"), ("pull_cpu_s", "pull CPU s"), ("life_cpu_s", "process-life CPU s"),
               ("pushpull_hwm_mb", "peak RSS MB"), ("large_get_mbs", "large GET MB/s"), ("conc_mbs", "concurrent MB/s")]
raw_lines = []
for metric, label in raw_metrics:
    for reg in ("dist", "strata"):
        v = values.get((reg, metric))
        if v:
            raw_lines.append(f"| {label} | {'distribution' if reg == 'dist' else 'Strata'} | {' / '.join(f'{x:g}' for x in v)} |")

md = []
md.append(f"Run {machine.get('date')}: {machine.get('nproc')} cores ({machine.get('cpu')}), "
          f"{int(machine.get('mem_total_mb', 0)) // 1024} GiB RAM, kernel {machine.get('kernel')}, data on {machine.get('fs')}; "
          f"Strata {machine.get('strata_commit')} (Release, .NET {machine.get('dotnet')}), distribution {machine.get('distribution')}, "
          f"skopeo {machine.get('skopeo')}, curl {machine.get('curl')}, wrk {machine.get('wrk')}."
          + (f" Strata environment: `{machine['strata_env']}`." if machine.get("strata_env") else "")
          + (f" Strata arguments: `{machine['strata_args']}`." if machine.get("strata_args") else ""))
md.append("")
md.append("```sh")
md.append(command)
md.append("```")
md.append("")
md.append(f"Image set: {len(machine.get('images', '').split())} images, "
          f"{int(machine.get('set_unique_bytes', 0)) / 2**20:.0f} MiB of unique compressed blobs, "
          f"{int(machine.get('set_pushed_bytes', 0)) / 2**20:.0f} MiB counting each image's blobs.")
md.append("")
if loads:
    md.append("1-minute load average when each phase started (other work on the machine distorts wall "
              "times and throughput more than CPU seconds): " + ", ".join(f"{n} {v:g}" for n, v in loads) + ".")
    md.append("")
md.append("| " + " | ".join(header[:5]) + " | |")
md.append("|---|---:|---:|---:|---|---|")
for r in rows:
    md.append("| " + " | ".join(str(c) for c in r) + " |")
md.append("")
md.append("Every figure per repetition:")
md.append("")
md.append("| measure | registry | values |")
md.append("|---|---|---|")
md.extend(raw_lines)
open(f"{run}/benchmarks-block.md", "w").write("\n".join(md) + "\n")

# Access control (AUTH=1): the same Strata with access control on ("strata_auth") against the open
# one, same run. Throughput ratios are on/off (1.00 = no cost); the goal (issue 5) is that pulls lose
# no more than 5 %. CPU ratios are on/off too (lower is better), for the reader.
if values.get(("strata_auth", "pull_s")) or values.get(("strata_auth", "manifest_rps")):
    auth_rows = []

    def auth_row(label, off, on, goal=None, fmt="{:.2f}", inverse=False):
        ratio = None
        if off and on:
            ratio = off / on if inverse else on / off
        verdict = "" if goal is None or ratio is None else ("met" if ratio >= goal else "**missed**")
        auth_rows.append((label, fmt.format(off) if off is not None else "–", fmt.format(on) if on is not None else "–",
                          f"{ratio:.3f}" if ratio is not None else "–", f"≥ {goal:.2f}" if goal else "", verdict))

    arounds = len(values.get(("strata_auth", "pull_s"), []))
    auth_row(f"pull of the image set (skopeo), wall s (median of {arounds}); ratio = throughput on/off",
             m("strata", "pull_s"), m("strata_auth", "pull_s"), 0.95, inverse=True)
    auth_row(f"push of the image set (skopeo), wall s (median of {arounds}); ratio = throughput on/off",
             m("strata", "push_s"), m("strata_auth", "push_s"), inverse=True)
    auth_row(f"{params.get('large_mb', '?')} MiB blob GET, MB/s (best of {gets})", m("strata", "large_get_mbs", "max"),
             m("strata_auth", "large_get_mbs", "max"), 0.95, fmt="{:.0f}")
    auth_row(f"manifest GETs/s by tag, 1 connection ({params.get('wrk_seconds', '?')} s)", m("strata", "manifest_rps"),
             m("strata_auth", "manifest_rps"), 0.95, fmt="{:.0f}")
    auth_row(f"{clients} clients × {cmb} MiB blob, aggregate MB/s (median of {conc_rounds})", m("strata", "conc_mbs"),
             m("strata_auth", "conc_mbs"), 0.95, fmt="{:.0f}")
    auth_row("registry CPU s, pull of the image set (median); ratio on/off", m("strata", "pull_cpu_s"), m("strata_auth", "pull_cpu_s"))
    auth_row("registry CPU µs per manifest GET; ratio on/off", m("strata", "manifest_cpu_us_per_req"),
             m("strata_auth", "manifest_cpu_us_per_req"), fmt="{:.0f}")
    auth_row("registry CPU s per GiB, large blob GET; ratio on/off", m("strata", "large_get_cpu_s_per_gib"),
             m("strata_auth", "large_get_cpu_s_per_gib"))
    auth_row("registry CPU s per GiB, concurrent pulls; ratio on/off", m("strata", "conc_cpu_s_per_gib"),
             m("strata_auth", "conc_cpu_s_per_gib"))
    auth_row("manifest GET errors (non-2xx + socket)", m("strata", "manifest_errors", "sum"), m("strata_auth", "manifest_errors", "sum"), fmt="{:.0f}")
    auth_row("concurrent pull errors", m("strata", "conc_errors", "sum"), m("strata_auth", "conc_errors", "sum"), fmt="{:.0f}")

    auth_header = ("measure (Strata)", "auth off", "auth on", "on/off", "goal", "")
    print()
    print("Access control on vs off (same Strata build, same run):")
    widths = [max(len(str(r[i])) for r in auth_rows + [auth_header]) for i in range(len(auth_header))]
    for r in [auth_header] + auth_rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())
    for metric, label in [("pull_s", "pull s"), ("large_get_mbs", "large GET MB/s"), ("conc_mbs", "concurrent MB/s")]:
        for reg in ("strata", "strata_auth"):
            if values.get((reg, metric)):
                print(f"  {label} {reg}: {' / '.join(f'{x:g}' for x in values[(reg, metric)])}")

    md = ["", "Access control on (`strata_auth`: " + f"`{machine.get('strata_auth_args', '')}`" + ", private projects, a robot "
          "with pull and push, bearer tokens) against the open Strata, same build, same run:", "",
          "| " + " | ".join(auth_header[:5]) + " | |", "|---|---:|---:|---:|---|---|"]
    md += ["| " + " | ".join(str(c) for c in r) + " |" for r in auth_rows]
    with open(f"{run}/benchmarks-block.md", "a") as block:
        block.write("\n".join(md) + "\n")
