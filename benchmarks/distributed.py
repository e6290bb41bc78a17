"""Data-parallel training on MPI: step time and scaling efficiency on 1 and 2 ranks, the allreduce's
cost per megabyte, and a model of 8, 64 and 512 ranks beside published figures.

    python -m benchmarks.distributed                 # writes benchmarks/results/distributed.{json,md,png}
    python -m benchmarks.distributed --quick         # a smaller CNN, fewer steps and message sizes
    python -m benchmarks.distributed --out-dir DIR

It needs the ``distributed`` extra (``pip install -e ".[distributed]"``: mpi4py and mpiexec) and
starts its measurements with the launcher, ``python -m minitorch.distributed.run -n P``, once for
P = 1 and once for P = 2 (each rank on one BLAS thread).

What each launch measures (``worker``):

- **Training steps** of the SimpleCNN of the ``cnn`` example (the seed's sizes: 225k parameters,
  0.9 MB of float32 gradients; batch 32 per rank; Adam), wrapped in ``DistributedDataParallel``
  when P > 1. Forward, backward (which includes DDP's gradient allreduce) and the optimiser step
  are timed separately; a rank's figure is the median over steps, the run's the slowest rank's.
  With the batch per rank fixed (weak scaling), the **scaling efficiency** at P ranks is
  ``t(1) / t(P)``: 1 when P ranks do P times the work in the same time.
- **Allreduce** of float32 tensors from 4 KiB to 16 MiB (``dist.all_reduce``, the path DDP takes),
  median seconds per call, beside mpi4py's blocking ``Allreduce`` of the same bytes (the
  reference: MPI without minitorch's tensors, work handles and timeout polling). A weighted least-squares fit of ``t(n) = a + b n`` (weights 1/t, so
  the small messages count as much as the large ones) gives the latency ``alpha`` and bandwidth
  ``beta`` of the ring allreduce's cost (lesson 12), read at P = 2::

      T_ring(p, n) = 2 (p - 1) alpha + 2 (p - 1) / p * n / beta     ->     a = 2 alpha,  b = 1 / beta

The model of P = 8, 64 and 512 ranks (and of P = 2, beside the measurement): the compute of one
step is the measured 1-rank step ``t_c`` (weak scaling keeps it), its backward part ``t_b``, and
the gradient ``G`` bytes; then

    no overlap:    T(p) = t_c + T_ring(p, G)                       efficiency = t_c / T(p)
    with overlap:  T(p) = t_c + max(0, T_ring(p, G) - t_b)         (buckets allreduced during backward)

once with this machine's measured alpha and beta (shared-memory MPI, as if every link were that
fast) and once for an assumed cluster network (``NETWORK``). Published figures for comparison
(``PUBLISHED``) are quoted with their source; each is turned into the communication/compute
ratio it implies without overlap, ``1 / efficiency - 1``, to set beside the model's.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks import harness  # noqa: E402  (first: it pins the threads)

import numpy as np  # noqa: E402

MODELLED_RANKS = (2, 8, 64, 512)  # 2: the model beside the measurement
KIB, MIB = 1024, 1024 * 1024
CONFIGS = {
    "full": {"batch": 32, "channels": [32, 64], "hidden": 128, "warmup": 3, "steps": 30, "rounds": 7,
             "sizes": [4 * KIB, 64 * KIB, 256 * KIB, MIB, 4 * MIB, 16 * MIB]},
    "quick": {"batch": 16, "channels": [8, 16], "hidden": 32, "warmup": 1, "steps": 4, "rounds": 3,
              "sizes": [4 * KIB, 256 * KIB, 4 * MIB]},
}
# An assumed cluster: 25 Gbit/s links (as in Horovod's 512-GPU benchmark below) and 10 us per message.
NETWORK = {"name": "assumed 25 Gbit/s network, 10 us latency", "alpha_s": 10e-6, "beta_bytes_per_s": 25e9 / 8}
PUBLISHED = [
    {"system": "PyTorch DDP (v1.5), Li et al., 'PyTorch Distributed: Experiences on Accelerating Data "
               "Parallel Training', VLDB 2020, arXiv:2006.15704",
     "ranks": 256, "efficiency": None,
     "claim": "abstract: 'when configured appropriately, the PyTorch distributed data parallel module attains "
              "near-linear scalability using 256 GPUs' (the per-model numbers are in the paper's "
              "plots and are not quoted here)"},
    {"system": "Horovod (data-parallel on MPI), its README and docs/benchmarks, github.com/horovod/horovod",
     "ranks": 512, "efficiency": 0.90, "model": "ResNet-101 and Inception V3",
     "claim": "128 servers x 4 Pascal GPUs, RoCE 25 Gbit/s: 90% scaling efficiency for Inception V3 and ResNet-101"},
    {"system": "Horovod (same benchmark)", "ranks": 512, "efficiency": 0.68, "model": "VGG-16",
     "claim": "same setting: 68% scaling efficiency for VGG-16"},
]


# ---------------------------------------------------------------------- one rank (under the launcher)
def _slowest(values):
    """The elementwise maximum over the ranks of a list of numbers (the slowest rank decides)."""
    import minitorch
    import minitorch.distributed as dist

    t = minitorch.tensor(values, dtype=minitorch.float64)
    dist.all_reduce(t, op=dist.ReduceOp.MAX)
    return t.tolist()


def time_steps(config, world):
    """Median seconds of forward, backward and optimiser step of the CNN (DDP when world > 1), slowest rank."""
    import minitorch
    import minitorch.nn.functional as F
    from minitorch.examples.cnn import SimpleCNN
    from minitorch.nn.parallel import DistributedDataParallel

    minitorch.manual_seed(0)
    net = SimpleCNN(tuple(config["channels"]), config["hidden"])
    model = DistributedDataParallel(net) if world > 1 else net
    optimizer = minitorch.optim.Adam(model.parameters(), lr=1e-3)
    X = minitorch.randn(config["batch"], 1, 28, 28)
    y = minitorch.randint(0, 10, (config["batch"],))
    parts = []
    for i in range(config["warmup"] + config["steps"]):
        t0 = time.perf_counter()
        optimizer.zero_grad()
        loss = F.cross_entropy(model(X), y)
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        optimizer.step()
        t3 = time.perf_counter()
        if i >= config["warmup"]:
            parts.append((t1 - t0, t2 - t1, t3 - t2))
    forward, backward, step = _slowest(np.median(np.array(parts), axis=0).tolist())
    gradient_bytes = sum(p.numel() * p.element_size() for p in net.parameters())
    return {"forward_s": forward, "backward_s": backward, "optimizer_s": step,
            "step_s": forward + backward + step, "parameters": sum(p.numel() for p in net.parameters()),
            "gradient_bytes": gradient_bytes}


def time_allreduce(nbytes, rounds):
    """Median seconds of one ``all_reduce`` of ``nbytes`` of float32, and of mpi4py's own blocking
    ``Allreduce`` of the same numpy array (the reference), in alternating rounds (slowest rank)."""
    import minitorch
    import minitorch.distributed as dist
    from mpi4py import MPI

    t = minitorch.zeros(nbytes // 4)
    array = np.zeros(nbytes // 4, dtype=np.float32)
    cases = {"seconds": lambda: dist.all_reduce(t),
             "mpi4py_seconds": lambda: MPI.COMM_WORLD.Allreduce(MPI.IN_PLACE, array)}
    calls = int(min(100, max(3, 4 * MIB // nbytes)))
    samples = {name: [] for name in cases}
    for _ in range(rounds + 1):  # the first round warms up
        for name, call in cases.items():
            dist.barrier()
            start = time.perf_counter()
            for _ in range(calls):
                call()
            samples[name].append((time.perf_counter() - start) / calls)
    medians = _slowest([float(np.median(samples[name][1:])) for name in cases])
    return {"bytes": nbytes, **dict(zip(cases, medians)), "calls": calls}


def worker(path, config):
    """What each rank runs: the step and allreduce timings; rank 0 writes them to ``path`` (JSON)."""
    import minitorch.distributed as dist

    dist.init_process_group("mpi")
    world = dist.get_world_size()
    result = {"world": world, "step": time_steps(config, world),
              "allreduce": [time_allreduce(n, config["rounds"]) for n in config["sizes"]] if world > 1 else []}
    if dist.get_rank() == 0:
        with open(path, "w") as f:
            json.dump(result, f)
    dist.destroy_process_group()


# ---------------------------------------------------------------------- the model
def fit_alpha_beta(sizes, seconds, p=2):
    """(alpha seconds, beta bytes/s) of ``T_ring(p, n)`` from allreduce times of ``sizes`` bytes at ``p`` ranks.

    Weighted least squares of ``t = a + b n`` with weights 1/t (relative errors), then
    ``a = 2 (p - 1) alpha`` and ``b = 2 (p - 1) / (p beta)``.
    """
    n, t = np.asarray(sizes, dtype=float), np.asarray(seconds, dtype=float)
    if len(n) < 2:
        raise ValueError(f"fit_alpha_beta: needs at least two message sizes, got {len(n)}.")
    design = np.stack([np.ones_like(n), n], axis=1) / t[:, None]
    (a, b), *_ = np.linalg.lstsq(design, np.ones_like(t), rcond=None)
    return max(a, 0.0) / (2 * (p - 1)), 2 * (p - 1) / (p * b)


def ring_seconds(p, nbytes, alpha, beta):
    """The ring allreduce's time: ``2 (p - 1) alpha + 2 (p - 1) / p * nbytes / beta``."""
    return 2 * (p - 1) * alpha + 2 * (p - 1) / p * nbytes / beta


def modelled_efficiency(p, compute_s, backward_s, nbytes, alpha, beta):
    """Weak-scaling efficiency at ``p`` ranks without and with overlap of the allreduce and backward."""
    comm = ring_seconds(p, nbytes, alpha, beta)
    return {"ranks": p, "allreduce_s": comm, "no_overlap": compute_s / (compute_s + comm),
            "overlap": compute_s / (compute_s + max(0.0, comm - backward_s)),
            "comm_over_compute": comm / compute_s}


def model(one, alpha, beta):
    """The modelled rows for ``MODELLED_RANKS``, from the 1-rank step ``one`` and the link (alpha, beta)."""
    return [modelled_efficiency(p, one["step_s"], one["backward_s"], one["gradient_bytes"], alpha, beta)
            for p in MODELLED_RANKS]


# ---------------------------------------------------------------------- the parent process
def launch(ranks, config, log=print):
    """Run ``worker`` on ``ranks`` ranks through the launcher; return rank 0's result."""
    from minitorch.distributed.run import find_mpiexec

    if find_mpiexec() is None:
        raise RuntimeError('benchmarks.distributed: mpiexec was not found; pip install -e ".[distributed]".')
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "result.json")
        command = [sys.executable, "-m", "minitorch.distributed.run", "-n", str(ranks), "-m", "benchmarks.distributed",
                   "--worker", path, "--config", json.dumps(config)]
        log(f"  {ranks} rank(s): {' '.join(command[1:6])} ...")
        proc = subprocess.run(command, cwd=harness.ROOT, capture_output=True, text=True, timeout=1200)
        if proc.returncode != 0:
            raise RuntimeError(f"benchmarks.distributed: the {ranks}-rank run failed:\n{proc.stderr[-3000:]}")
        with open(path) as f:
            return json.load(f)


def run(quick=False, config=None, log=print):
    """Measure on 1 and 2 ranks, fit the allreduce, model 8-512 ranks; return the report."""
    config = config or CONFIGS["quick" if quick else "full"]
    runs = {p: launch(p, config, log) for p in (1, 2)}
    one, two = runs[1]["step"], runs[2]["step"]
    allreduce = runs[2]["allreduce"]
    alpha, beta = fit_alpha_beta([r["bytes"] for r in allreduce], [r["seconds"] for r in allreduce])
    for r in allreduce:
        r["seconds_per_mib"] = r["seconds"] / (r["bytes"] / MIB)
        r["fit_seconds"] = ring_seconds(2, r["bytes"], alpha, beta)
    measured = {"ranks_1": one, "ranks_2": two, "efficiency_2": one["step_s"] / two["step_s"],
                "speedup_2": 2 * one["step_s"] / two["step_s"],
                "ddp_overhead_s": two["step_s"] - one["step_s"]}
    log(f"  step: 1 rank {one['step_s'] * 1e3:.1f} ms, 2 ranks {two['step_s'] * 1e3:.1f} ms: "
        f"efficiency {measured['efficiency_2']:.2f}; alpha {alpha * 1e6:.1f} us, beta {beta / 1e9:.2f} GB/s")
    published = [dict(entry, implied_comm_over_compute=None if entry["efficiency"] is None
                      else 1 / entry["efficiency"] - 1) for entry in PUBLISHED]
    return harness.report(
        "distributed", quick,
        setup=(f"SimpleCNN (cnn example) channels {config['channels']}, hidden {config['hidden']}, batch "
               f"{config['batch']} per rank, Adam, random 28x28 inputs; DistributedDataParallel (25 MB buckets) "
               f"when P > 1; every rank on 1 BLAS thread, all ranks on this machine (shared-memory MPI)"),
        config=config, measured=measured,
        allreduce={"points": allreduce, "alpha_s": alpha, "beta_bytes_per_s": beta,
                   "fit": "weighted least squares of t = a + b n (weights 1/t); a = 2 alpha, b = 1 / beta at p = 2"},
        model={"formula": "T_ring(p, n) = 2 (p-1) alpha + 2 (p-1)/p n / beta; no overlap: t_c / (t_c + T_ring); "
                          "overlap: t_c / (t_c + max(0, T_ring - t_backward)); t_c, t_backward: the 1-rank step",
               "this_machine": model(one, alpha, beta),
               "network": dict(NETWORK, rows=model(one, NETWORK["alpha_s"], NETWORK["beta_bytes_per_s"]))},
        published=published,
    )


def chart(report, path):
    """Left: allreduce seconds against bytes, with the fit. Right: efficiency against ranks."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    points = report["allreduce"]["points"]
    n = np.array([p["bytes"] for p in points])
    grid = np.geomspace(n.min(), n.max(), 50)
    left.loglog(n, [p["seconds"] for p in points], "o", label="dist.all_reduce, 2 ranks")
    left.loglog(n, [p["mpi4py_seconds"] for p in points], "x", label="mpi4py Allreduce (reference)")
    left.loglog(grid, ring_seconds(2, grid, report["allreduce"]["alpha_s"], report["allreduce"]["beta_bytes_per_s"]),
                "-", label="fit: 2 alpha + n / beta")
    left.set(xlabel="message (bytes)", ylabel="seconds per all_reduce", title="allreduce cost on this machine")
    left.legend()
    m = report["measured"]
    right.plot([1, 2], [1.0, m["efficiency_2"]], "ko-", label="measured (this machine)")
    for rows, style, name in ((report["model"]["this_machine"], "-", "this machine's alpha, beta"),
                              (report["model"]["network"]["rows"], "--", "25 Gbit/s network (assumed)")):
        for key, color in (("no_overlap", "tab:red"), ("overlap", "tab:blue")):
            right.plot([r["ranks"] for r in rows], [r[key] for r in rows], style, color=color,
                       label=f"model, {key.replace('_', ' ')}: {name}")
    for entry in report["published"]:
        if entry["efficiency"] is not None:
            right.plot(entry["ranks"], entry["efficiency"], "*", ms=12, label=f"Horovod {entry['model']}")
    right.set_xscale("log", base=2)
    right.set(xlabel="ranks", ylabel="scaling efficiency (weak scaling)", ylim=(0, 1.05),
              title="SimpleCNN data-parallel: measured, modelled, published")
    right.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def markdown(report, chart_path=None):
    """The summary: measured steps, the allreduce fit, the model's table, the published figures."""
    m, a, mach = report["measured"], report["allreduce"], report["machine"]
    one, two = m["ranks_1"], m["ranks_2"]
    lines = [
        "# Data-parallel training on MPI (`python -m benchmarks.distributed`)", "",
        f"Measured {report['date']} on {mach['cpu']} ({mach['cores']} cores, load average "
        f"{mach.get('load_average_1min')} while it ran); command `{report['command']}`.", "",
        f"Setup: {report['setup']}. {one['parameters']:,} parameters, {one['gradient_bytes'] / MIB:.2f} MiB of "
        f"gradients per step.", "",
        "| ranks | forward | backward (with DDP's allreduce) | optimizer | step | efficiency t(1)/t(P) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for p, row, eff in ((1, one, 1.0), (2, two, m["efficiency_2"])):
        lines.append(f"| {p} | {row['forward_s'] * 1e3:.1f} ms | {row['backward_s'] * 1e3:.1f} ms | "
                     f"{row['optimizer_s'] * 1e3:.1f} ms | {row['step_s'] * 1e3:.1f} ms | {eff:.2f} |")
    lines += ["", f"Allreduce on 2 ranks (float32, `dist.all_reduce`): alpha = {a['alpha_s'] * 1e6:.1f} us, "
              f"beta = {a['beta_bytes_per_s'] / 1e9:.2f} GB/s ({a['fit']}).", "",
              "| message | dist.all_reduce | per MiB | fit | mpi4py Allreduce (reference) |",
              "| ---: | ---: | ---: | ---: | ---: |"]
    for r in a["points"]:
        lines.append(f"| {r['bytes'] / KIB:,.0f} KiB | {r['seconds'] * 1e6:,.1f} us | "
                     f"{r['seconds_per_mib'] * 1e3:.3f} ms | {r['fit_seconds'] * 1e6:,.1f} us | "
                     f"{r['mpi4py_seconds'] * 1e6:,.1f} us |")
    lines += ["", f"Model ({report['model']['formula']}):", "",
              "| link | ranks | allreduce | comm / compute | efficiency, no overlap | with overlap |",
              "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, rows in (("this machine (measured alpha, beta)", report["model"]["this_machine"]),
                       (report["model"]["network"]["name"], report["model"]["network"]["rows"])):
        for r in rows:
            lines.append(f"| {name} | {r['ranks']} | {r['allreduce_s'] * 1e3:.2f} ms | {r['comm_over_compute']:.3f} | "
                         f"{r['no_overlap']:.2f} | {r['overlap']:.2f} |")
    lines += ["", "Published figures (quoted from their sources; 'implied' = 1/efficiency - 1, the "
              "communication/compute ratio that efficiency means without overlap):", "",
              "| system | ranks | efficiency | implied comm / compute | source says |", "| --- | ---: | ---: | ---: | --- |"]
    for e in report["published"]:
        eff = "near-linear" if e["efficiency"] is None else f"{e['efficiency']:.2f}"
        implied = "" if e["implied_comm_over_compute"] is None else f"{e['implied_comm_over_compute']:.2f}"
        lines.append(f"| {e['system']} | {e['ranks']} | {eff} | {implied} | {e['claim']} |")
    mine, net = report["model"]["this_machine"][-1], report["model"]["network"]["rows"][-1]
    lines += ["", f"Reading: on 2 ranks the step took {m['ddp_overhead_s'] * 1e3:+.1f} ms against 1 rank (the "
              f"allreduce inside backward, and two ranks sharing {mach['cores']} cores with whatever else ran: "
              f"see the load average). The model's efficiency is t_c / (t_c + T_ring): the ring's bandwidth "
              f"term hardly grows with the rank count, its latency term 2 (p-1) alpha does. At 512 ranks it "
              f"predicts {mine['no_overlap']:.2f} (no overlap) / {mine['overlap']:.2f} (overlap) with this "
              f"machine's alpha and beta, and {net['no_overlap']:.2f} / {net['overlap']:.2f} on the assumed "
              f"network, where Horovod measured 0.90 (ResNet-101) and 0.68 (VGG-16) on 512 GPUs. 'With "
              f"overlap' is the ideal bound (every byte sent while backward computes): minitorch's DDP "
              f"starts a bucket's allreduce from the gradient hooks of its parameters, which run as soon "
              f"as each gradient is complete, so the last layers' buckets travel while the first layers "
              f"still compute; the first layers' bucket cannot overlap, and on 2 shared cores the ranks "
              f"compete for the CPU, so the 2-rank step above still shows the allreduce's cost. On a machine whose cores are "
              f"busy, alpha and beta measure waiting for a core as much as MPI: compare mpi4py's own "
              f"Allreduce in the table (MPICH spins while it waits; minitorch's work handles poll and sleep "
              f"up to 1 ms between polls, so that a dead rank gives a timeout error instead of a hang).", ""]
    if chart_path:
        lines.append(f"Chart: `{os.path.relpath(chart_path, harness.ROOT)}`")
    return "\n".join(lines) + "\n"


def write(report, out_dir=None):
    """distributed.json, distributed.png and distributed.md in ``out_dir`` (default benchmarks/results)."""
    out_dir = out_dir or harness.RESULTS
    paths = [harness.write_json(report, "distributed", out_dir), chart(report, os.path.join(out_dir, "distributed.png"))]
    summary = os.path.join(out_dir, "distributed.md")
    with open(summary, "w") as f:
        f.write(markdown(report, paths[1]))
    return paths + [summary]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a smaller CNN, fewer steps and message sizes")
    parser.add_argument("--out-dir", default=None, help="results folder (default: benchmarks/results)")
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)  # set by launch(): be one rank
    parser.add_argument("--config", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, json.loads(args.config))
        return
    print("distributed: DDP step time on 1 and 2 ranks, allreduce cost, model of 8-512 ranks", flush=True)
    for path in write(run(args.quick), args.out_dir):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
