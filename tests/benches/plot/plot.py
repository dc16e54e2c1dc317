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


TASKS = [1, 2, 8, 64]
IN_FLIGHT = [1, 64]
STAMPEDE = [100, 1000, 10000]
ENDPOINTS = [10, 100, 1000]


def tables():
    out = []
    out.append("### Cache-hit token acquisition (ns per call)\n")
    out.append("| tasks | ours `Client::token()` | `RwLock<Option<Token>>` | `Mutex<Option<Token>>` | ours / RwLock |")
    out.append("|---:|---:|---:|---:|---:|")
    for n in TASKS:
        row = [estimate("token_cache", k, n) for k in ("ours", "rwlock", "mutex")]
        if None in row:
            continue
        ratio = row[0][0] / row[1][0]
        out.append(f"| {n} | {row[0][0]:.1f} | {row[1][0]:.1f} | {row[2][0]:.1f} | {ratio:.2f} |")

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

    out.append("\n### Cold-start stampede\n")
    out.append("| N concurrent first calls | ours: token requests | ours: all done | naive: token requests | naive: all done |")
    out.append("|---:|---:|---:|---:|---:|")
    counts = extra("stampede")
    for n in STAMPEDE:
        ours, naive = estimate("stampede", "ours", n), estimate("stampede", "naive", n)
        if ours is None or naive is None:
            continue
        def seen(client):
            c = counts.get(client, {}).get(str(n))
            if not c:
                return "—"
            return f"{c['min']:,}" if c["min"] == c["max"] else f"{c['min']:,}–{c['max']:,}"
        out.append(f"| {n:,} | {seen('ours')} | {fmt_ms(ours[0])} | {seen('naive')} | {fmt_ms(naive[0])} |")

    out.append("\n### Code generation\n")
    out.append("| endpoints | spec lines | generated lines | generation time |")
    out.append("|---:|---:|---:|---:|")
    lines = extra("codegen")
    for n in ENDPOINTS:
        est = estimate("codegen", n)
        info = lines.get(str(n), {})
        if est is None:
            continue
        out.append(f"| {n:,} | {info.get('spec_lines', 0):,} | {info.get('lines', 0):,} | {fmt_ms(est[0])} |")
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

    # Cache hit.
    ax = axes[0][0]
    width = 0.27
    for i, kind in enumerate(("ours", "rwlock", "mutex")):
        values = [estimate("token_cache", kind, n) for n in TASKS]
        xs = [t + (i - 1) * width for t in range(len(TASKS))]
        label = {"ours": "ours (Client::token)", "rwlock": "RwLock<Option<Token>>", "mutex": "Mutex<Option<Token>>"}[kind]
        ax.bar(xs, [v[0] if v else 0 for v in values], width, label=label, color=colors[kind])
    ax.axhline(100, color="black", linestyle="--", linewidth=1)
    ax.text(len(TASKS) - 0.5, 102, "target: 100 ns", ha="right", va="bottom", fontsize=9)
    ax.set_xticks(range(len(TASKS)), [str(t) for t in TASKS])
    ax.set_xlabel("tasks calling at once (2 worker threads)")
    ax.set_ylabel("ns per call (wall time / calls)")
    ax.set_title("Cache-hit token acquisition")
    ax.set_ylim(0, ax.get_ylim()[1] * 1.3)
    ax.legend(fontsize=9, loc="upper left")

    # Throughput ratio.
    ax = axes[0][1]
    paired = extra("e2e")
    width = 0.36
    top = 1.03
    for i, (key, label, color) in enumerate(
        (("", "throughput (wall time)", colors["ours"]), ("cpu_", "CPU cost, client + server", "#9ecae1"))
    ):
        xs, medians, lows, highs = [], [], [], []
        for x, n in enumerate(IN_FLIGHT):
            p = paired.get(str(n), {})
            if f"{key}median" not in p:
                continue
            xs.append(x + (i - 0.5) * width)
            medians.append(p[f"{key}median"])
            lows.append(p[f"{key}median"] - p[f"{key}p25"])
            highs.append(p[f"{key}p75"] - p[f"{key}median"])
            top = max(top, p[f"{key}p75"] + 0.01)
        ax.bar(xs, medians, width, yerr=[lows, highs], capsize=5, color=color, label=f"paired rounds, {label}: median, quartiles")
        for x, m, h in zip(xs, medians, highs):
            ax.text(x, m + h + 0.003, f"{m:.3f}", ha="center", va="bottom", fontsize=10)
    separate = []
    for x, n in enumerate(IN_FLIGHT):
        ours, raw = estimate("e2e", "ours", n), estimate("e2e", "raw", n)
        if ours and raw:
            separate.append((x - 0.5 * width, raw[0] / ours[0]))
    if separate:
        ax.scatter([x for x, _ in separate], [r for _, r in separate], color="black", zorder=3, marker="D", label="throughput, separate criterion runs")
        top = max(top, max(r for _, r in separate) + 0.02)
    ax.axhline(0.97, color="black", linestyle="--", linewidth=1)
    ax.text(-0.58, 0.971, "target: 0.97", ha="left", va="bottom", fontsize=9)
    ax.axhline(1.0, color="grey", linewidth=0.8)
    ax.set_ylim(0.9, top + 0.04)
    ax.set_xlim(-0.6, 1.6)
    ax.set_xticks(range(len(IN_FLIGHT)), ["sequential" if n == 1 else f"{n} in flight" for n in IN_FLIGHT])
    ax.set_ylabel("ours relative to raw reqwest (1 = same)")
    ax.set_title("Authorized GET on loopback vs raw reqwest")
    ax.legend(fontsize=8, loc="upper left")

    # Stampede: token requests.
    counts = extra("stampede")
    ax = axes[1][0]
    width = 0.38
    for i, kind in enumerate(("ours", "naive")):
        values = [counts.get(kind, {}).get(str(n), {}).get("max", 0) for n in STAMPEDE]
        xs = [x + (i - 0.5) * width for x in range(len(STAMPEDE))]
        bars = ax.bar(xs, values, width, color=colors[kind], label="ours" if kind == "ours" else "naive (a token per call)")
        for bar, v in zip(bars, values):
            ax.text(bar.get_x() + bar.get_width() / 2, v * 1.15, f"{v:,}", ha="center", va="bottom", fontsize=9)
    ax.set_yscale("log")
    ax.set_ylim(0.5, 10 ** 5.3)
    ax.set_xticks(range(len(STAMPEDE)), [f"N = {n:,}" for n in STAMPEDE])
    ax.set_ylabel("token requests (most seen in a run)")
    ax.set_title("Cold-start stampede: token requests")
    ax.legend(fontsize=9, loc="upper left")

    # Stampede: time.
    ax = axes[1][1]
    for i, kind in enumerate(("ours", "naive")):
        values = [estimate("stampede", kind, n) for n in STAMPEDE]
        xs = [x + (i - 0.5) * width for x in range(len(STAMPEDE))]
        ms = [v[0] / 1e6 if v else 0 for v in values]
        bars = ax.bar(xs, ms, width, color=colors[kind], label="ours" if kind == "ours" else "naive (a token per call)")
        for bar, v in zip(bars, ms):
            ax.text(bar.get_x() + bar.get_width() / 2, v * 1.1, f"{v:.1f}", ha="center", va="bottom", fontsize=9)
    ax.set_yscale("log")
    ax.set_xticks(range(len(STAMPEDE)), [f"N = {n:,}" for n in STAMPEDE])
    ax.set_ylim(top=ax.get_ylim()[1] * 2)
    ax.set_ylabel("ms until all N calls are done")
    ax.set_title("Cold-start stampede: time (token endpoint: 5 ms)")
    ax.legend(fontsize=9, loc="upper left")

    fig.suptitle("authorized benchmarks (cargo bench -p authorized-tests)", fontsize=13)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


if __name__ == "__main__":
    print(tables())
    out = HERE / "benchmarks.png"
    plot(out)
    print(f"\nwrote {out}", file=sys.stderr)
