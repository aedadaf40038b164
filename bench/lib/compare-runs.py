#!/usr/bin/env python3
"""Key Strata/distribution ratios of several registry-bench.sh runs, one row per run (markdown).

    compare-runs.py RUN_DIR...

For comparing runs made with different STRATA_ENV settings, or the same settings at different
times (to see how much the machine's load moved the figures).
"""
import statistics
import sys
from collections import defaultdict


def load(run):
    machine = dict(line.rstrip("\n").split("=", 1) for line in open(f"{run}/machine.txt") if "=" in line)
    values = defaultdict(list)
    for line in open(f"{run}/results.tsv"):
        reg, metric, _rep, value = line.rstrip("\n").split("\t")
        values[(reg, metric)].append(float(value))
    return machine, values


def ratio(values, metric, how=statistics.median):
    d, s = values.get(("dist", metric)), values.get(("strata", metric))
    return how(s) / how(d) if d and s and how(d) else None


def cpu_ratio(values):
    def total(reg):
        return statistics.median([a + b for a, b in zip(values[(reg, "push_cpu_s")], values[(reg, "pull_cpu_s")])])
    return total("strata") / total("dist"), total("dist"), total("strata")


print("| run | Strata environment, arguments | load (1 min) | push time | pull time | push+pull CPU (dist → Strata, s) | process-life CPU | 1 GiB GET (MB/s; CPU/GiB) | 1 GiB PUT | manifest GETs/s | 32-client MB/s |")
print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
fmt = lambda r: f"{r:.2f}" if r is not None else "–"
for run in sys.argv[1:]:
    machine, values = load(run)
    loads = [v[0] for (reg, m), v in values.items() if reg == "machine" and m.startswith("load_")]
    c, d, s = cpu_ratio(values)
    print(f"| {machine.get('date')} ({machine.get('strata_commit', '').split(' ')[0]}) | {('`' + machine['strata_env'] + '`') if machine.get('strata_env') else 'default'}, {('`' + machine['strata_args'] + '`') if machine.get('strata_args') else 'no arguments'} "
          f"| {min(loads):g}–{max(loads):g} | {fmt(ratio(values, 'push_s'))} | {fmt(ratio(values, 'pull_s'))} "
          f"| {c:.2f} ({d:.2f} → {s:.2f}) | {fmt(ratio(values, 'life_cpu_s'))} | {fmt(ratio(values, 'large_get_mbs', max))}; {fmt(ratio(values, 'large_get_cpu_s_per_gib'))} "
          f"| {fmt(ratio(values, 'large_put_mbs'))} | {fmt(ratio(values, 'manifest_rps'))} | {fmt(ratio(values, 'conc_mbs'))} |")
