"""Charts and the README table, drawn from the JSON in benchmarks/results/ (no timing here).

    python -m benchmarks.charts     # ratios.png, scaling.png and summary.md from the latest results

- ratios.png: every framework's time per training step (and minitorch's per-op
  times) divided by PyTorch's, on a log scale: 1 is PyTorch's speed.
- scaling.png: step time against batch size and width, log-log, minitorch
  solid and PyTorch dashed, and their ratio against the work per step.
- summary.md: the tables for README's benchmark section, with the machine and
  the command that produced them.
"""
import argparse
import os
import sys

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks import harness  # noqa: E402

COLORS = {"minitorch": "tab:blue", "pytorch": "tab:gray", "micrograd": "tab:red", "tinygrad": "tab:green"}


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def ratio_rows(cpu, peers):
    """``(label, framework, ratio)`` for the bar chart: cpu.json's cases, then each peers task."""
    rows = []
    for r in (cpu or {}).get("results", []):
        if "ratio" in r:
            rows.append((f"{r['case']}", "minitorch", r["ratio"]))
    for task in (peers or {}).get("tasks", []):
        for name, r in task["frameworks"].items():
            if "step_ratio" in r and name != "pytorch":
                rows.append((f"{task['description'].split(',')[0]} step", name, r["step_ratio"]))
    return rows


def ratio_chart(cpu, peers, path):
    """Horizontal bars of time / PyTorch's time, log scale."""
    rows = ratio_rows(cpu, peers)
    if not rows:
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(9, 0.38 * len(rows) + 1.6))
    ys = range(len(rows))[::-1]
    # each bar runs from 1 (PyTorch's speed) to the ratio: leftwards when faster, rightwards when slower
    ax.barh(list(ys), [r[2] - 1 for r in rows], left=1, color=[COLORS[r[1]] for r in rows])
    ax.set_xscale("log")
    ax.axvline(1.0, color="black", lw=1)
    ax.set_yticks(list(ys))
    ax.set_yticklabels([f"{label} ({name})" for label, name, _ in rows], fontsize=8)
    for y, (_, _, ratio) in zip(ys, rows):
        ax.text(max(ratio, 1.0), y, f" {ratio:.2f}x", va="center", fontsize=7)
    ax.set_xlabel("time / PyTorch's time (log scale; below 1 is faster than PyTorch)")
    machine = (cpu or peers)["machine"]
    ax.set_title(f"CPU, 1 thread each: {machine['cpu']}", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def scaling_chart(scaling, path):
    """Left: step time vs batch, one colour per width. Middle: vs width, one colour per batch.
    Right: ratio minitorch / PyTorch of CPU time (the steadier clock on a shared machine) vs the
    step's FLOPs. Log-log."""
    if not scaling or not scaling.get("points"):
        return None
    plt = _pyplot()
    points = scaling["points"]
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.6))
    cmap = plt.get_cmap("viridis")
    for ax, along, across in ((axes[0], "batch", "width"), (axes[1], "width", "batch")):
        groups = sorted({p[across] for p in points})
        for i, g in enumerate(groups):
            line = sorted((p for p in points if p[across] == g), key=lambda p: p[along])
            color = cmap(i / max(1, len(groups) - 1))
            xs = [p[along] for p in line]
            ax.plot(xs, [p["minitorch_us"] for p in line], "-o", color=color, ms=3, label=f"{across} {g}")
            if all("pytorch_us" in p for p in line):
                ax.plot(xs, [p["pytorch_us"] for p in line], "--", color=color, lw=1)
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel(along)
        ax.set_ylabel("time per training step (us)")
        ax.legend(fontsize=7, title="solid minitorch, dashed PyTorch", title_fontsize=7)
        ax.grid(True, which="both", alpha=0.3)
    ax = axes[2]
    with_ratio = [p for p in points if "ratio" in p]
    widths = sorted({p["width"] for p in with_ratio})
    for i, w in enumerate(widths):
        line = sorted((p for p in with_ratio if p["width"] == w), key=lambda p: p["flops"])
        ax.plot([p["flops"] for p in line], [p["cpu_ratio"] for p in line], "-o", ms=3,
                color=cmap(i / max(1, len(widths) - 1)), label=f"width {w}")
    ax.axhline(1.0, color="black", lw=1)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("FLOPs per training step")
    ax.set_ylabel("minitorch / PyTorch (CPU time)")
    ax.legend(fontsize=7)
    ax.grid(True, which="both", alpha=0.3)
    fig.suptitle(f"Training step of an MLP w-w-w-10, 1 thread: {scaling['machine']['cpu']}", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _us(x):
    if x is None:
        return "n/a"
    return f"{x / 1000:.2f} ms" if x >= 1000 else f"{x:.1f} us"


def _num(x, fmt="{:.2f}"):
    return "n/a" if x is None else fmt.format(x)


def summary_markdown(cpu, peers, scaling, charts=()):
    """The benchmark section's tables, as markdown."""
    ref = cpu or peers or scaling
    if ref is None:
        return ""
    m = ref["machine"]
    lines = [
        f"Measured {ref['date']} on {m['cpu']} ({m['cores']} cores; load average {m.get('load_average_1min')} "
        f"while it ran), Python {m['python']}, numpy {m['numpy']}, torch {m['torch']}, "
        f"micrograd {m['micrograd']}, tinygrad {m['tinygrad']}; every framework on 1 thread.",
        "",
    ]
    commands = sorted({r["command"] for r in (cpu, peers, scaling) if r})
    lines.append("Command: " + "; ".join(f"`{c}`" for c in commands))
    lines.append("")
    if peers:
        lines += ["| task | framework | step | x PyTorch (wall / CPU time) | epoch (wall / CPU time) | first step | "
                  "peak RSS | test accuracy |",
                  "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for task in peers["tasks"]:
            for i, (name, r) in enumerate(task["frameworks"].items()):
                label = f"{task['description']} ({task['steps']} steps)" if i == 0 else ""
                if "skipped" in r:
                    lines.append(f"| {label} | {name} | not run: {r['skipped']} | | | | | |")
                    continue
                ratio = (f"{_num(r['step_ratio'])} / {_num(r['step_cpu_ratio'])}" if "step_ratio" in r else "n/a")
                lines.append(
                    f"| {label} | {name} | {_us(r.get('step_us'))} | {ratio} | "
                    f"{_num(r['epoch_s'], '{:.3f}')} / {_num(r.get('epoch_cpu_s'), '{:.3f} s')} | "
                    f"{_num(r['first_step_s'], '{:.3f} s')} | "
                    f"{_num(r['peak_rss_mib'], '{:.1f} MiB')} | {_num(r['test_accuracy'], '{:.3f}')} |")
        lines.append("")
    if cpu:
        lines += ["| minitorch vs PyTorch | minitorch | PyTorch | ratio (wall) | ratio (CPU time) |",
                  "| --- | ---: | ---: | ---: | ---: |"]
        for r in cpu["results"]:
            lines.append(f"| {r['case']} | {_us(r['minitorch_us'])} | {_us(r.get('pytorch_us'))} | "
                         f"{_num(r.get('ratio'))} | {_num(r.get('cpu_ratio'))} |")
        lines.append("")
    if scaling and scaling.get("points"):
        batches, widths = scaling["batches"], scaling["widths"]
        by = {(p["batch"], p["width"]): p for p in scaling["points"]}
        lines += ["Scaling, minitorch / PyTorch per training step, wall (CPU time) "
                  "(rows: width, columns: batch):", "",
                  "| width | " + " | ".join(f"batch {b}" for b in batches) + " |",
                  "| --- | " + " | ".join("---:" for _ in batches) + " |"]
        for w in widths:
            cells = (by.get((b, w), {}) for b in batches)
            lines.append(f"| {w} | " + " | ".join(f"{_num(p.get('ratio'))} ({_num(p.get('cpu_ratio'))})"
                                                   for p in cells) + " |")
        lines.append("")
    if charts:
        lines.append("Charts: " + ", ".join(f"`{os.path.relpath(c, harness.ROOT)}`" for c in charts if c))
    return "\n".join(lines) + "\n"


def draw(out_dir=None):
    """Draw everything the results folder has data for; return the paths written."""
    out_dir = out_dir or harness.RESULTS
    cpu, peers, scaling = (harness.read_json(n, out_dir) for n in ("cpu", "peers", "scaling"))
    charts = [ratio_chart(cpu, peers, os.path.join(out_dir, "ratios.png")),
              scaling_chart(scaling, os.path.join(out_dir, "scaling.png"))]
    charts = [c for c in charts if c]
    summary = os.path.join(out_dir, "summary.md")
    with open(summary, "w") as f:
        f.write(summary_markdown(cpu, peers, scaling, charts))
    return charts + [summary]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out-dir", default=None, help="results folder (default: benchmarks/results)")
    args = parser.parse_args(argv)
    for path in draw(args.out_dir):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
