"""What every CPU benchmark shares: pinned threads, timing, memory probes, machine facts, JSON.

Import this module before numpy, torch or tinygrad: it pins every BLAS and
thread pool to one thread (``OMP_NUM_THREADS`` and friends, tinygrad's
``NUM_CPU_THREADS``), so that every framework computes on one core and the
comparison is about the frameworks, not about who grabs more cores.

Timing protocol (DESIGN.md): warm-up calls are discarded, the frameworks are
timed in alternating rounds (so a burst of load from elsewhere hits all of them
alike), and the median over rounds is reported. Each round of a case lasts a
fixed time rather than a fixed number of calls, so a slow framework is called
fewer times and costs that come in bursts (Python's garbage collector) average
out within a round.
"""
import os

THREADS = 1
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUM_CPU_THREADS"):
    os.environ[_var] = str(THREADS)

import ctypes  # noqa: E402
import gc  # noqa: E402
import importlib.metadata  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS = os.path.join(ROOT, "benchmarks", "results")


def import_torch():
    """PyTorch pinned to one thread, or None when it is not installed (its columns are then left out)."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(THREADS)
    return torch


# ---------------------------------------------------------------- timing

def seconds_per_call(fn, number, clock=time.perf_counter):
    """Seconds per call of ``fn``: the time of ``number`` calls, divided by ``number``."""
    start = clock()
    for _ in range(number):
        fn()
    return (clock() - start) / number


def _both_clocks(fn, number):
    """(wall seconds, CPU seconds of this process) per call of ``fn``."""
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(number):
        fn()
    return (time.perf_counter() - wall) / number, (time.process_time() - cpu) / number


def calls_for(fn, target_s, max_calls=10_000):
    """How many calls of ``fn`` (already warm) fill about ``target_s`` seconds; at least one."""
    once = seconds_per_call(fn, 1)
    if once < 1e-3:  # too short for one call to say much: time a few more
        once = seconds_per_call(fn, max(1, int(1e-3 / max(once, 1e-7))))
    return max(1, min(max_calls, round(target_s / once)))


def compare(cases, rounds, target_s=None, number=None):
    """Time each case in alternating rounds; return ``{name: (wall, cpu)}``, median seconds per call.

    ``cases`` maps a name (a framework) to a callable. Each callable is called
    once to warm up (not timed). Each round then times every case in turn, with
    ``number`` calls each, or, with ``target_s``, as many calls as fill about
    ``target_s`` seconds for that case (so a slow framework is not called as
    often as a fast one). The median of the rounds is reported, for wall time
    and for the process's CPU time (CPU_TIME_NOTE).
    """
    for fn in cases.values():
        fn()
    numbers = {name: number or calls_for(fn, target_s) for name, fn in cases.items()}
    samples = {name: [] for name in cases}
    for _ in range(rounds):
        for name, fn in cases.items():
            samples[name].append(_both_clocks(fn, numbers[name]))
    return {name: (statistics.median(w for w, _ in s), statistics.median(c for _, c in s))
            for name, s in samples.items()}


CPU_TIME_NOTE = (
    "Beside wall time, every timing also records the process's CPU time (time.process_time, all "
    "threads). On a machine shared with other work, wall time includes waiting for a core and CPU "
    "time does not, so *_cpu_us and cpu_ratio are steadier there; wall time is what a user waits. "
    "CPU time over-counts a framework whose threads spin while they wait (tinygrad's CPU queue)."
)


def freeze_gc():
    """Collect, then move every object alive now out of the garbage collector's sight (gc.freeze).

    Python's cyclic collector walks all tracked objects; without this, a framework whose graphs
    are reference cycles (micrograd's closures) would pay for walking every object the other
    frameworks in this process left alive, which it would not in a process of its own.
    """
    gc.collect()
    gc.freeze()


# ---------------------------------------------------------------- memory

MEMORY_METHOD = {
    "peak_rss_mib": (
        "Growth of the process's resident memory from just before the framework builds the model "
        "to the peak during its training run (Linux: VmHWM, reset through /proc/self/clear_refs, "
        "after gc.collect() and malloc_trim so that memory freed earlier is not counted). It "
        "covers everything the framework keeps or allocates to train: weights, optimizer state, "
        "activations, gradients, allocator caches, and for tinygrad its compiled kernels and "
        "graph caches. Limits: page granularity (4 KiB), memory a framework allocated before the "
        "baseline (at import) is not counted, and other processes do not matter (it is this "
        "process only). None where /proc is not available."
    ),
    "step_traced_peak_kib": (
        "Peak bytes traced by tracemalloc during one training step, above what was allocated when "
        "the step started: the working set of one step (activations, gradients, temporaries). "
        "tracemalloc sees Python objects and numpy arrays (numpy reports its buffers to it), so "
        "it measures minitorch and micrograd completely; PyTorch's and tinygrad's tensor memory "
        "comes from their own allocators, which tracemalloc cannot see: None for them."
    ),
}


def _status_kib(field):
    """A memory field of /proc/self/status in KiB, or None off Linux."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _trim():
    """Collect garbage and hand freed heap memory back to the OS (glibc), so RSS shows what is live."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


class PeakRSS:
    """``with PeakRSS() as m: ...`` then ``m.mib``: the peak growth of resident memory inside the block
    (see ``MEMORY_METHOD``), or None where the OS does not tell."""

    def __enter__(self):
        _trim()
        self.start = _status_kib("VmRSS")
        try:
            with open("/proc/self/clear_refs", "w") as f:
                f.write("5")  # resets VmHWM, the peak, to the current RSS
        except OSError:
            self.start = None
        self.mib = None
        return self

    def __exit__(self, *exc):
        peak = _status_kib("VmHWM")
        if self.start is not None and peak is not None:
            self.mib = (peak - self.start) / 1024


def traced_peak_kib(fn):
    """Peak KiB that tracemalloc sees ``fn()`` allocate above what was allocated when it started."""
    import tracemalloc

    _trim()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return (peak - before) / 1024


# ---------------------------------------------------------------- report

def _version(package):
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def machine():
    """The machine and library versions a result came from, and how loaded the machine was."""
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    info = {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "blas_threads": THREADS,
    }
    for package in ("numpy", "minitorch", "torch", "micrograd", "tinygrad"):
        info[package] = _version(package)
    if hasattr(os, "getloadavg"):
        info["load_average_1min"] = round(os.getloadavg()[0], 2)
    return info


def command_line():
    """How this process was started, as a reader would type it: ``python -m benchmarks --quick``."""
    spec = getattr(sys.modules["__main__"], "__spec__", None)
    if spec is not None:
        start = ["python", "-m", spec.name.removesuffix(".__main__")]
    else:
        start = ["python", os.path.relpath(sys.argv[0], ROOT)]
    return " ".join(start + sys.argv[1:])


def report(kind, quick, **sections):
    """The common envelope of every results file."""
    return {
        "suite": kind,
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "command": command_line(),
        "quick": quick,
        "protocol": (
            f"BLAS and thread pools pinned to {THREADS} thread for every framework; warm-up calls "
            "discarded; gc.freeze() before timing; frameworks timed in alternating rounds of about "
            "equal duration each; medians over rounds; "
            "ratio = framework / PyTorch (below 1 is faster than PyTorch)."
        ),
        "clocks": CPU_TIME_NOTE,
        **sections,
    }


def write_json(data, name, out_dir=None):
    """Write ``data`` as ``<out_dir or benchmarks/results>/<name>.json``; return the path."""
    out_dir = out_dir or RESULTS
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, f"{name}.json")
    with open(path, "w") as f:
        json.dump(data, f, indent=2, default=_plain)
    return path


def read_json(name, out_dir=None):
    """The results file ``<name>.json``, or None when it has not been written yet."""
    path = os.path.join(out_dir or RESULTS, f"{name}.json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def _plain(value):
    """numpy scalars to Python numbers for json."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


# ---------------------------------------------------------------- rows

def timing_fields(times, base="pytorch", subject="minitorch"):
    """``compare``'s result as JSON fields: ``<name>_us`` (wall), ``<name>_cpu_us``, and ``ratio``,
    ``cpu_ratio`` of ``subject`` over ``base`` when both ran."""
    row = {}
    for name, (wall, cpu) in times.items():
        row[f"{name}_us"] = wall * 1e6
        row[f"{name}_cpu_us"] = cpu * 1e6
    if base in times and subject in times:
        row["ratio"] = times[subject][0] / times[base][0]
        row["cpu_ratio"] = times[subject][1] / times[base][1]
    return row


def timing_text(row, names=("minitorch", "pytorch")):
    """One line for the console: each framework's wall time, then the ratios."""
    text = "  ".join(f"{n} {row[f'{n}_us']:10.1f}us" for n in names if f"{n}_us" in row)
    if "ratio" in row:
        text += f"  ratio {row['ratio']:.2f} (CPU time {row['cpu_ratio']:.2f})"
    return text
