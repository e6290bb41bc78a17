"""Where minitorch's time goes, in the cases where it is more than 1.5x behind PyTorch.

    python -m benchmarks.profiling           # reads cpu, peers and scaling.json, writes profile.json
    python -m benchmarks.profiling --all     # profile every case, whatever its ratio

Each such case's minitorch step runs under cProfile (stdlib), and its time is
split two ways:

- by op: the cumulative time of each ``Op``'s forward and backward (the
  numpy work of the op plus the few lines of Python around it), beside the
  time PyTorch's profiler gives its own ops for the same step;
- by kind, after the file the time was spent in: numpy (C functions and
  methods, numpy's Python helpers), numba's compiled ufuncs (erf), the ops
  (minitorch/functions: forward, backward and their helpers, where array
  arithmetic runs as operators), the optimizer's update (array arithmetic
  written inline in minitorch/optim), minitorch's Python bookkeeping
  (everything else in minitorch: Tensor wrappers, ``Op.apply``, the
  backward walk, modules), and other Python (builtins such as isinstance, the
  benchmark's own lines). cProfile cannot see numpy operators (``a + b`` is no
  function call): their time counts in the function where they are written,
  which is why the ops and the optimizer are buckets of their own. cProfile
  also makes every Python call slower, so the bookkeeping share is an upper
  bound.
"""
import argparse
import cProfile
import os
import pstats
import sys
import time

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks import cpu, harness, peers, scaling  # noqa: E402  (harness first: it pins the threads)

import numba  # noqa: E402
import numpy as np  # noqa: E402

import minitorch  # noqa: E402
from minitorch.autograd.function import Op  # noqa: E402

THRESHOLD = 1.5
MINITORCH_DIR = os.path.dirname(minitorch.__file__)
FUNCTIONS_DIR = os.path.join(MINITORCH_DIR, "functions")
OPTIM_DIR = os.path.join(MINITORCH_DIR, "optim")
NUMPY_DIR = os.path.dirname(np.__file__)
NUMBA_DIR = os.path.dirname(numba.__file__)


def _op_methods():
    """``{(file, first line, name): op class name}`` for every Op's forward and backward."""
    methods, stack = {}, list(Op.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        for name in ("forward", "backward"):
            fn = cls.__dict__.get(name)
            fn = getattr(fn, "__func__", fn)
            code = getattr(fn, "__code__", None)
            if code is not None:
                methods[(code.co_filename, code.co_firstlineno, name)] = cls.__name__
    return methods


def profile_minitorch(step, number):
    """Run ``step`` ``number`` times under cProfile; return the split by op and by kind (ms per step)."""
    step()  # warm-up
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    for _ in range(number):
        step()
    profiler.disable()
    wall = (time.perf_counter() - start) / number
    stats = pstats.Stats(profiler).stats
    methods = _op_methods()
    ops, kinds = {}, {"numpy C calls": 0.0, "numpy Python helpers": 0.0, "numba ufuncs (erf)": 0.0,
                      "ops (minitorch/functions)": 0.0,
                      "optimizer update": 0.0, "minitorch bookkeeping": 0.0, "other Python": 0.0}
    for key, (_, calls, own, cumulative, _) in stats.items():
        filename, _, funcname = key
        op = methods.get(key)
        if op is not None:
            entry = ops.setdefault(op, {"forward_ms": 0.0, "backward_ms": 0.0, "calls": 0})
            entry[f"{funcname}_ms"] += cumulative / number * 1e3
            entry["calls"] += calls // number if funcname == "forward" else 0
        if filename == "~":  # a C function or method
            kinds["numpy C calls" if "numpy" in funcname else "other Python"] += own
        elif filename.startswith(NUMPY_DIR):
            kinds["numpy Python helpers"] += own
        elif filename.startswith(NUMBA_DIR):
            kinds["numba ufuncs (erf)"] += own  # the compiled loop runs inside numba's __call__
        elif filename.startswith(FUNCTIONS_DIR):
            kinds["ops (minitorch/functions)"] += own  # forward, backward and their helpers
        elif filename.startswith(OPTIM_DIR):
            kinds["optimizer update"] += own  # its array arithmetic runs inline, as operators
        elif filename.startswith(MINITORCH_DIR):
            kinds["minitorch bookkeeping"] += own
        else:
            kinds["other Python"] += own
    total = sum(kinds.values())
    top = sorted(ops.items(), key=lambda kv: -(kv[1]["forward_ms"] + kv[1]["backward_ms"]))
    python = kinds["minitorch bookkeeping"] + kinds["other Python"]
    return {
        "wall_ms_per_step_profiled": wall * 1e3,
        "by_kind_ms": {k: v / number * 1e3 for k, v in kinds.items()},
        "python_overhead_share": python / total if total else None,
        "by_op_ms": [{"op": name, **{k: round(v, 3) if isinstance(v, float) else v for k, v in entry.items()}}
                     for name, entry in top[:12]],
    }


def profile_torch(step, number):
    """PyTorch's own profiler on the same step: the top ops by self CPU time (ms per step)."""
    torch = harness.import_torch()
    step()
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as prof:
        for _ in range(number):
            step()
    events = sorted(prof.key_averages(), key=lambda e: -e.self_cpu_time_total)
    return [{"op": e.key, "self_ms": e.self_cpu_time_total / number / 1e3, "calls": e.count // number}
            for e in events[:12]]


def _behind(wall_ratio, cpu_ratio, threshold):
    """The larger of the two ratios when it passes the threshold, else None."""
    worst = max((r for r in (wall_ratio, cpu_ratio) if r is not None), default=None)
    return worst if worst is not None and worst > threshold else None


def cases(cpu_report, peers_report, scaling_report, threshold, quick=False):
    """``(name, ratio, minitorch step, torch step or None)`` for each case where minitorch is behind
    PyTorch by more than ``threshold``, in wall time or in CPU time (of the scaling grid, the worst
    point only)."""
    found = []
    for group, builder in (("op overhead", cpu.op_cases), ("training step", lambda: cpu.model_cases(quick))):
        rows = {r["case"]: r for r in (cpu_report or {}).get("results", []) if r["group"] == group}
        behind = {name: _behind(r.get("ratio"), r.get("cpu_ratio"), threshold) for name, r in rows.items()}
        if not any(behind.values()):
            continue
        for name, fns in builder().items():
            if behind.get(name):
                found.append((name, behind[name], fns["minitorch"], fns.get("pytorch")))
    for task_report in (peers_report or {}).get("tasks", []):
        row = task_report["frameworks"]["minitorch"]
        ratio = _behind(row.get("step_ratio"), row.get("step_cpu_ratio"), threshold)
        if ratio is None:
            continue
        task = peers.TASKS[task_report["task"]](quick)
        state = task.initial_state()
        batch_np = task.batches()[0]
        steps = []
        for runner_cls in (peers.MinitorchRunner, peers.TorchRunner):
            runner = runner_cls(task, state)
            batch = runner.prepare(*batch_np)
            steps.append(lambda r=runner, b=batch: r.step(b))
        found.append((f"{task.description} step", ratio, *steps))
    points = [(p, _behind(p.get("ratio"), p.get("cpu_ratio"), threshold))
              for p in (scaling_report or {}).get("points", [])]
    points = [(p, r) for p, r in points if r]
    if points:  # the worst point of the scaling grid stands for the rest
        point, ratio = max(points, key=lambda pr: pr[1])
        batch, width = point["batch"], point["width"]
        rng = np.random.default_rng(0)
        x, y = rng.standard_normal((batch, width), dtype=np.float32), rng.integers(0, 10, batch)
        m_step, m_model = scaling.make_step(minitorch, batch, width, x, y)
        torch = harness.import_torch()
        t_step = scaling.make_step(torch, batch, width, x, y)[0] if torch is not None else None
        found.append((f"scaling MLP width {width}, batch {batch} step", ratio, m_step, t_step))
    return found


def run(threshold=THRESHOLD, quick=False, out_dir=None, log=print, budget_s=0.5):
    """Profile the cases behind by more than ``threshold``, each for about ``budget_s`` seconds."""
    cpu_report, peers_report, scaling_report = (harness.read_json(n, out_dir) for n in ("cpu", "peers", "scaling"))
    profiles = []
    for name, ratio, m_step, t_step in cases(cpu_report, peers_report, scaling_report, threshold, quick):
        start = time.perf_counter()
        m_step()
        number = max(3, min(2000, int(budget_s / max(time.perf_counter() - start, 1e-6))))
        entry = {"case": name, "ratio": ratio, "steps_profiled": number,
                 "minitorch": profile_minitorch(m_step, number)}
        if t_step is not None:
            entry["pytorch_top_ops"] = profile_torch(t_step, number)
        profiles.append(entry)
        m = entry["minitorch"]
        log(f"  {name}: x{ratio:.2f}; Python bookkeeping {100 * m['python_overhead_share']:.0f}% of the profiled time; "
            "top ops " + ", ".join(f"{o['op']} {o['forward_ms'] + o['backward_ms']:.2f}ms" for o in m["by_op_ms"][:4]))
    return harness.report("profile", quick, threshold=threshold, method=__doc__.split("\n\n", 1)[1].strip(),
                          profiles=profiles)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--all", action="store_true", help="profile every case, whatever its ratio")
    parser.add_argument("--out-dir", default=None, help="results folder (default: benchmarks/results)")
    args = parser.parse_args(argv)
    print(f"profile: minitorch where it is more than {THRESHOLD}x behind PyTorch")
    report = run(0.0 if args.all else THRESHOLD, out_dir=args.out_dir)
    path = harness.write_json(report, "profile", args.out_dir)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
