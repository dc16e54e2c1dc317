#!/usr/bin/env python3
"""Turns the benchmark results into BENCHMARKS.md's tables and its plot.

Reads criterion's estimates and the extra results the benches write
(`<target>/criterion/authorized-extra/*.json`), prints the Markdown tables
and writes `benchmarks.png` next to this script.

    python3 tests/benches/plot/plot.py [CRITERION_DIR]

CRITERION_DIR defaults to `$CARGO_TARGET_DIR/criterion`, else
`target/criterion` in the repository. Needs matplotlib (`pip install
matplotlib`); nothing in the build or CI does.
"""

import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]


def criterion_dir():
    if len(sys.argv) > 1:
        return Path(sys.argv[1])
    target = os.environ.get("CARGO_TARGET_DIR")
    return (Path(target) if target else REPO / "target") / "criterion"


CRIT = criterion_dir()


def estimate(*path):
    """Criterion's estimate (ns) of one benchmark: the slope where it has
    one (linear sampling), else the mean; with its 95% interval."""
    file = CRIT.joinpath(*map(str, path), "new", "estimates.json")
    if not file.exists():
        return None
    data = json.loads(file.read_text())
    est = data.get("slope") or data["mean"]
    ci = est["confidence_interval"]
    return est["point_estimate"], ci["lower_bound"], ci["upper_bound"]


def extra(name):
    file = CRIT / "authorized-extra" / f"{name}.json"
    return json.loads(file.read_text()) if file.exists() else {}


def fmt_ns(value):
    return f"{value:.1f} ns" if value < 1000 else f"{value / 1000:.2f} µs"


def fmt_ms(ns):
    return f"{ns / 1e6:.1f} ms"


TASKS = [1, 2, 8, 64, 1024]
IN_FLIGHT = [1, 64]
STAMPEDE = [100, 1000, 10000, 100000]
ENDPOINTS = [10, 100, 1000, 10000]


def mib(kib):
    return f"{kib / 1024:.1f} MiB" if kib else "—"


def tables():
    out = []
    out.append("### Cache-hit token acquisition (ns per call)\n")
    out.append("| tasks | ours `Client::token()` | ours, with a token store | `RwLock<Option<Token>>` | `Mutex<Option<Token>>` | ours / RwLock |")
    out.append("|---:|---:|---:|---:|---:|---:|")
    for n in TASKS:
        row = [estimate("token_cache", k, n) for k in ("ours", "ours_store", "rwlock", "mutex")]
        if None in row:
            continue
        ratio = row[0][0] / row[2][0]
        out.append(f"| {n:,} | {row[0][0]:.1f} | {row[1][0]:.1f} | {row[2][0]:.1f} | {row[3][0]:.1f} | {ratio:.2f} |")

    out.append("\n### The token on the request path (ns per request through a middleware stack)\n")
    out.append("| tasks | ours | `RwLock<Option<Token>>` | `RwLock`, with a copy for a replay | no token (bare stack) | ours − bare | RwLock − bare | RwLock with a copy − bare |")
    out.append("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in TASKS:
        row = [estimate("request_path", k, n) for k in ("ours", "rwlock", "rwlock_replay", "bare")]
        if None in row:
            continue
        o, r, rr, b = (v[0] for v in row)
        out.append(f"| {n:,} | {o:.1f} | {r:.1f} | {rr:.1f} | {b:.1f} | {o - b:.1f} | {r - b:.1f} | {rr - b:.1f} |")

    out.append("\n### Authorized GET on loopback vs raw reqwest\n")
    out.append("| in flight | ours (req/s) | raw reqwest (req/s) | throughput ratio, separate runs | throughput ratio, paired rounds: median (quartiles) | CPU cost ratio raw/ours, paired rounds: median (quartiles) |")
    out.append("|---:|---:|---:|---:|---:|---:|")
    paired = extra("e2e")
    for n in IN_FLIGHT:
        ours, raw = estimate("e2e", "ours", n), estimate("e2e", "raw", n)
        if ours is None or raw is None:
            continue
        p = paired.get(str(n))
        pair = f"{p['median']:.3f} ({p['p25']:.3f}–{p['p75']:.3f})" if p else "—"
        cpu = f"{p['cpu_median']:.3f} ({p['cpu_p25']:.3f}–{p['cpu_p75']:.3f})" if p and "cpu_median" in p else "—"
        label = "1 (sequential)" if n == 1 else str(n)
        out.append(f"| {label} | {1e9 / ours[0]:,.0f} | {1e9 / raw[0]:,.0f} | {raw[0] / ours[0]:.3f} | {pair} | {cpu} |")

    one = extra("e2e_one_core")
    if one:
        out.append("\nPinned to one core (`taskset -c 0`), paired rounds:\n")
        out.append("| in flight | throughput ratio: median (quartiles) | CPU cost ratio raw/ours: median (quartiles) |")
        out.append("|---:|---:|---:|")
        for n in IN_FLIGHT:
            p = one.get(str(n))
            if not p:
                continue
            label = "1 (sequential)" if n == 1 else str(n)
            out.append(f"| {label} | {p['median']:.3f} ({p['p25']:.3f}–{p['p75']:.3f}) | {p['cpu_median']:.3f} ({p['cpu_p25']:.3f}–{p['cpu_p75']:.3f}) |")

    out.append("\n### Cold-start stampede\n")
    out.append("| N concurrent first calls | ours: token requests | ours: all done | ours: peak memory | naive: token requests | naive: all done | naive: peak memory |")
    out.append("|---:|---:|---:|---:|---:|---:|---:|")
    counts = extra("stampede")
    for n in STAMPEDE:
        ours, naive = estimate("stampede", "ours", n), estimate("stampede", "naive", n)
        if ours is None:
            continue

        def seen(client):
            c = counts.get(client, {}).get(str(n))
            if not c:
                return "—"
            return f"{c['min']:,}" if c["min"] == c["max"] else f"{c['min']:,}–{c['max']:,}"

        def peak(client):
            return mib(counts.get(client, {}).get(str(n), {}).get("peak_kib"))

        naive_ms = fmt_ms(naive[0]) if naive else "not run"
        out.append(f"| {n:,} | {seen('ours')} | {fmt_ms(ours[0])} | {peak('ours')} | {seen('naive')} | {naive_ms} | {peak('naive')} |")

    out.append("\n### Code generation\n")
    out.append("| endpoints | spec lines | generated lines | generation time | peak memory |")
    out.append("|---:|---:|---:|---:|---:|")
    lines = extra("codegen")
    for n in ENDPOINTS:
        est = estimate("codegen", n)
        info = lines.get(str(n), {})
        if est is None:
            continue
        out.append(f"| {n:,} | {info.get('spec_lines', 0):,} | {info.get('lines', 0):,} | {fmt_ms(est[0])} | {mib(info.get('peak_kib'))} |")
    build = extra("codegen_build")
    if build:
        out.append(
            f"\nBuilding the generated crate for {build['endpoints']} endpoints "
            f"({build['lines']:,} lines), dependencies already built: "
            f"{build['debug']:.1f} s debug, {build['release']:.1f} s release."
        )
    return "\n".join(out)


def plot(path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 2, figsize=(12, 8.5))
    colors = {"ours": "#1f77b4", "rwlock": "#ff7f0e", "mutex": "#7f7f7f", "raw": "#ff7f0e", "naive": "#d62728"}

    # Cache hit: a curve over the number of tasks.
    ax = axes[0][0]
    labels = {
        "ours": "ours (Client::token)",
        "rwlock": "RwLock<Option<Token>>",
        "mutex": "Mutex<Option<Token>>",
    }
    for kind, label in labels.items():
        points = [(n, estimate("token_cache", kind, n)) for n in TASKS]
        points = [(n, v[0]) for n, v in points if v]
        if points:
            ax.plot([n for n, _ in points], [v for _, v in points], marker="o", color=colors[kind], label=label)
    ax.axhline(25, color="black", linestyle="--", linewidth=1)
    ax.text(1, 26, "target: 25 ns", ha="left", va="bottom", fontsize=9)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(TASKS, [f"{t:,}" for t in TASKS])
    ax.set_xlabel("tasks calling at once (2 worker threads)")
    ax.set_ylabel("ns per call (wall time / calls)")
    ax.set_title("Cache-hit token acquisition")
    ax.legend(fontsize=8, loc="center right")

    # Throughput ratio: paired rounds on both cores, and pinned to one.
    ax = axes[0][1]
    runs = [(extra("e2e"), "2 cores"), (extra("e2e_one_core"), "1 core")]
    groups = [(p.get(str(n)), f"{'sequential' if n == 1 else f'{n} in flight'}\n{cores}") for p, cores in runs for n in IN_FLIGHT]
    groups = [(p, label) for p, label in groups if p]
    width = 0.36
    low_lim, high_lim = 0.9, 1.1
    for i, (key, label, color) in enumerate(
        (("", "throughput (wall time)", colors["ours"]), ("cpu_", "CPU cost, client + server", "#9ecae1"))
    ):
        xs = [x + (i - 0.5) * width for x in range(len(groups))]
        medians = [p[f"{key}median"] for p, _ in groups]
        lows = [m - p[f"{key}p25"] for m, (p, _) in zip(medians, groups)]
        highs = [p[f"{key}p75"] - m for m, (p, _) in zip(medians, groups)]
        ax.bar(xs, [m - low_lim for m in medians], width, bottom=low_lim, yerr=[lows, highs], capsize=4, color=color, label=f"paired rounds, {label}: median, quartiles")
        for x, m in zip(xs, medians):
            ax.text(x, low_lim + 0.004, f"{m:.3f}", ha="center", va="bottom", fontsize=8, rotation=90, color="white" if i == 0 else "black")
    ax.axhline(0.99, color="black", linestyle="--", linewidth=1)
    ax.text(-0.55, 0.991, "target: 0.99", ha="left", va="bottom", fontsize=9)
    ax.axhline(1.0, color="grey", linewidth=0.8)
    ax.set_ylim(low_lim, high_lim)
    ax.set_xlim(-0.6, len(groups) - 0.4)
    ax.set_xticks(range(len(groups)), [label for _, label in groups], fontsize=8)
    ax.set_ylabel("ours relative to raw reqwest (1 = same)")
    ax.set_title("Authorized GET on loopback vs raw reqwest (whiskers cut at 0.9 / 1.1)", fontsize=10)
    ax.legend(fontsize=8, loc="upper left")

    # Stampede: time to all done, and token requests as labels.
    counts = extra("stampede")
    ax = axes[1][0]
    for kind, label in (("ours", "ours"), ("naive", "naive (a token per call)")):
        points = [(n, estimate("stampede", kind, n)) for n in STAMPEDE]
        points = [(n, v[0] / 1e6) for n, v in points if v]
        if not points:
            continue
        ax.plot([n for n, _ in points], [v for _, v in points], marker="o", color=colors[kind], label=label)
        for n, v in points:
            c = counts.get(kind, {}).get(str(n), {}).get("max")
            if c is not None:
                ax.annotate(f"{c:,} token req.", (n, v), textcoords="offset points", xytext=(4, -12 if kind == "ours" else 6), fontsize=7, color=colors[kind])
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(STAMPEDE, [f"{n:,}" for n in STAMPEDE])
    ax.set_xlabel("N concurrent first calls on a cold client")
    ax.set_ylabel("ms until all N calls are done")
    ax.set_title("Cold-start stampede (token endpoint: 5 ms)")
    ax.legend(fontsize=9, loc="upper left")

    # Codegen: time and peak memory.
    ax = axes[1][1]
    lines = extra("codegen")
    points = [(n, estimate("codegen", n)) for n in ENDPOINTS]
    points = [(n, v[0] / 1e6) for n, v in points if v]
    if points:
        ax.plot([n for n, _ in points], [v for _, v in points], marker="o", color=colors["ours"], label="generation time (ms)")
    peaks = [(n, lines.get(str(n), {}).get("peak_kib")) for n in ENDPOINTS]
    peaks = [(n, k / 1024) for n, k in peaks if k]
    if peaks:
        ax.plot([n for n, _ in peaks], [v for _, v in peaks], marker="s", color=colors["naive"], label="peak memory (MiB)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(ENDPOINTS, [f"{n:,}" for n in ENDPOINTS])
    ax.set_xlabel("endpoints in the spec")
    ax.set_title("Code generation")
    ax.legend(fontsize=9, loc="upper left")

    fig.suptitle("authorized benchmarks (cargo bench -p authorized-tests)", fontsize=13)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


if __name__ == "__main__":
    print(tables())
    out = HERE / "benchmarks.png"
    plot(out)
    print(f"\nwrote {out}", file=sys.stderr)
