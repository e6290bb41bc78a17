"""Rung 2 of the verification ladder: compile every kernel to PTX, with no GPU, and read the result.

``numba.cuda.compile_ptx`` runs numba's typing and lowering and NVIDIA's NVVM, exactly as a
launch on a GPU would, and so catches what the simulator never sees (a float64 that creeps
into a float32 kernel, an unsupported call, a shared array too big). PTX is NVIDIA's virtual
assembly; reading it tells whether the kernel kept its local arrays in registers: an array
that NVVM could not map to registers (indexed by a value known only at run time, say) shows
up as ``.local`` memory, an off-chip, cached but slow, per-thread stack. If ``ptxas`` (the PTX
to machine-code assembler, shipped with ``numba-cuda[cu12]``) is found, its report adds the
real register count, static shared memory and any *spills* (registers that did not fit, parked
in local memory), and from them the occupancy (``sass.occupancy``). If ``nvdisasm`` (the
``nvidia-cuda-nvdisasm`` wheel) is found too, rung 2.5: the machine code's innermost loops
(``sass.inner_loops``: instructions, FFMA share, 128-bit shared loads, global loads in flight)
and a static TFLOP/s estimate from the hottest one (``estimate.tflops``).

Each kernel is compiled for the array layouts a launch specialises on: "C" (contiguous cupy
arrays, the common case) and "A" (any strides: transposed or broadcast views).

    python -m kernels.ptx                # JSON: every kernel, f32/f64, sm_80/sm_90, layouts C/A
    python -m kernels.ptx --table --dtypes float32 --ccs 90 --layouts C   # one line a kernel
    python -m kernels.ptx --kernels matmul_register_large --ptx-dir DIR   # and its PTX in DIR

It needs the real numba.cuda, so NUMBA_ENABLE_CUDASIM must not be set; no GPU is needed.
Compiled PTX is cached on disk (``$MINITORCH_PTX_CACHE``, default ~/.cache/minitorch/ptx), keyed
by a hash of kernels/*.py and the compilers' versions (``source_hash``) and by the build (kernel,
dtype, cc, layout): the tests and lesson 10 share one NVVM compile per build per machine, and
editing any kernel source compiles afresh.
"""
import argparse
import concurrent.futures
import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import namedtuple

import numba
import numpy as np

from kernels import attention, matmul, softmax
from kernels import estimate as estimate_tools
from kernels import sass as sass_tools
from kernels._numba import SIMULATOR, cuda, numba_type

CCS = ((8, 0), (9, 0))
DTYPES = ("float32", "float64")
#: Array layouts a launch specialises on: "C" for contiguous cupy arrays (what real launches
#: mostly get; global loads become LDG), "A" for any strides (transposed views; generic LD).
LAYOUTS = ("C", "A")
#: Kernels that must keep every local array in registers (the hot loops of the production path).
NO_LOCAL_MEMORY = ("matmul_register_large", "matmul_register_small", "attention_forward_d64",
                   "attention_forward_d128", "attention_forward_d64_causal_masked")

#: One kernel to compile: its dispatcher, argument types, threads per block, for the
#: estimate's memory bound the global bytes it reads per flop (None: not modelled), and the
#: dynamic shared memory its launch asks for (bytes; ptxas reports static shared memory only).
Kernel = namedtuple("Kernel", "dispatcher argtypes threads bytes_per_flop dynamic_shared",
                    defaults=(0,))


def _threads(dispatcher, default):
    bounds = dispatcher.targetoptions.get("launch_bounds")
    return bounds[0] if bounds else default


def kernels(dtype, layout="A"):
    """{name: Kernel} for every kernel in kernels/, built for ``dtype`` and array ``layout``."""
    t = numba_type(dtype)
    a2, a3, a4 = (numba.types.Array(t, ndim, layout) for ndim in (2, 3, 4))
    mask = numba.types.Array(numba.uint8, 4, layout)
    itemsize = np.dtype(dtype).itemsize
    found = {}
    for name, dispatcher in (("matmul_naive", matmul.naive_kernel(np.dtype(dtype))),
                             ("matmul_tiled", matmul.tiled_kernel(np.dtype(dtype)))):
        found[name] = Kernel(dispatcher, (a3, a3, a3),
                             _threads(dispatcher, matmul.TEACHING_TILE ** 2), None)
    for size, tiling in (("large", matmul.LARGE), ("small", matmul.SMALL)):
        if tiling != matmul.choose_tiling(1 << 16, 1 << 16, 1, False, dtype) and size == "large":
            continue                              # float64 never launches with LARGE
        found[f"matmul_register_{size}"] = Kernel(
            matmul.register_kernel(np.dtype(dtype), tiling), (a3, a3, a3), matmul.threads(tiling),
            (1 / tiling.bm + 1 / tiling.bn) * itemsize / 2)
    for name, dispatcher, args in (
            ("softmax_forward", softmax.forward_kernel(np.dtype(dtype)), (a2, a2)),
            ("softmax_backward", softmax.backward_kernel(np.dtype(dtype)), (a2, a2, a2))):
        found[name] = Kernel(dispatcher, args, _threads(dispatcher, None), None)
    forward_args = (a4, a4, a4, mask, t, a4, a3)
    backward_args = (a4, a4, a4, mask, a4, a3, a3, t, a4, a4, a4)
    for d, causal, masked in ((64, False, False), (128, False, False), (64, True, True)):
        suffix = f"d{d}" + ("_causal_masked" if causal else "")
        fwd = attention.forward_kernel(np.dtype(dtype), d, causal, masked,
                                       attention.forward_tiling(dtype, d))
        tiling = attention.backward_tiling(dtype, d)
        bwd = attention.backward_kernel(np.dtype(dtype), d, causal, masked, tiling)
        found[f"attention_forward_{suffix}"] = Kernel(fwd, forward_args, _threads(fwd, None), None)
        found[f"attention_backward_{suffix}"] = Kernel(
            bwd, backward_args, _threads(bwd, None), None,
            attention.backward_shared_bytes(tiling, d, itemsize))
    return found


def key(name, dtype, cc, layout):
    """The report's key of one compiled kernel: "name[dtype,sm_XY,layout]"."""
    return f"{name}[{dtype},sm_{cc[0]}{cc[1]},{layout}]"


def parse_key(text):
    """(name, dtype, (major, minor), layout) of a report key."""
    name, dtype, sm, layout = re.fullmatch(r"(\w+)\[(\w+),sm_(\d\d),(\w)\]", text).groups()
    return name, dtype, (int(sm[0]), int(sm[1])), layout


def compile_kernel(dispatcher, argtypes, cc):
    """PTX for one kernel, with the options (launch bounds) it was declared with."""
    bounds = dispatcher.targetoptions.get("launch_bounds")
    ptx, _ = cuda.compile_ptx(dispatcher.py_func, argtypes, cc=cc, launch_bounds=bounds)
    return ptx


def _compile_task(task):
    name, dtype, cc, layout = task
    kernel = kernels(dtype, layout)[name]
    return key(name, dtype, cc, layout), compile_kernel(kernel.dispatcher, kernel.argtypes, cc)


def cache_dir():
    """Where compiled PTX is kept between runs: ``$MINITORCH_PTX_CACHE``, else ~/.cache/minitorch/ptx."""
    return os.environ.get("MINITORCH_PTX_CACHE") or os.path.join(
        os.path.expanduser("~"), ".cache", "minitorch", "ptx")


def _version(distribution):
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


@functools.lru_cache(maxsize=None)
def source_hash(folder=os.path.dirname(os.path.abspath(__file__))):
    """What the PTX depends on, hashed: the sources ``kernels/*.py`` and the versions of numba,
    numba-cuda, NVIDIA's compiler wheel and ptxas. Any change gives a new cache folder."""
    digest = hashlib.sha256()
    for name in sorted(os.listdir(folder)):
        if name.endswith(".py"):
            with open(os.path.join(folder, name), "rb") as f:
                digest.update(name.encode() + b"\0" + f.read() + b"\0")
    ptxas = ptxas_path()
    ptxas_version = subprocess.run([ptxas, "--version"], capture_output=True, text=True).stdout \
        if ptxas else "no ptxas"
    versions = (numba.__version__, _version("numba-cuda"), _version("nvidia-cuda-nvcc-cu12"), ptxas_version)
    digest.update(repr(versions).encode())
    return digest.hexdigest()[:20]


def cache_file(task, digest):
    """The cache file of one build ``(name, dtype, cc, layout)`` under the sources' ``digest``."""
    return os.path.join(cache_dir(), digest, re.sub(r"[^\w]+", "_", key(*task)).strip("_") + ".ptx")


def _read_cached(path):
    try:
        with open(path) as f:
            return f.read()
    except FileNotFoundError:
        return None


def _write_cached(path, ptx):
    """Write atomically (a temporary file renamed): runs in parallel never see half a file."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=os.path.dirname(path), suffix=".tmp", delete=False) as f:
        f.write(ptx)
    os.replace(f.name, path)


def compile_all(ccs=CCS, dtypes=DTYPES, layouts=LAYOUTS, names=None, workers=None):
    """{key: ptx} for every kernel (or those in ``names``), dtype, compute capability and layout.

    Builds already in the on-disk cache (``cache_dir()``, one folder per ``source_hash()``) are
    read from it, so that the tests and the lessons compile each build once per machine; the
    others compile in ``workers`` processes (default: one per CPU): NVVM takes seconds per kernel
    (the production matmul, fully unrolled, over ten), and there are up to 96 of them.
    """
    if SIMULATOR:
        raise RuntimeError("kernels.ptx needs the real numba.cuda: unset NUMBA_ENABLE_CUDASIM")
    tasks = [(name, dtype, cc, layout) for dtype in dtypes for layout in layouts
             for name in kernels(dtype, layout) if names is None or name in names for cc in ccs]
    digest = source_hash()
    ptxs = {key(*task): _read_cached(cache_file(task, digest)) for task in tasks}
    missing = [task for task in tasks if ptxs[key(*task)] is None]
    if missing:
        with concurrent.futures.ProcessPoolExecutor(min(workers or os.cpu_count(), len(missing))) as pool:
            for task, (name_key, ptx) in zip(missing, pool.map(_compile_task, missing)):
                _write_cached(cache_file(task, digest), ptx)
                ptxs[name_key] = ptx
    return ptxs


def local_memory_lines(ptx):
    """The PTX lines that declare or touch local memory (``.local``, ``ld.local``, ``st.local``)."""
    return [line.strip() for line in ptx.splitlines() if ".local" in line]


def count(ptx, opcode):
    """How many instructions of ``opcode`` (e.g. "fma.rn.f32") the PTX holds."""
    return len(re.findall(rf"^\s*{re.escape(opcode)}\s", ptx, flags=re.M))


def _tool(name, packages):
    """NVIDIA's ``name`` tool from one of the wheels' ``packages``, else from PATH; or None."""
    for package in packages:
        spec = importlib.util.find_spec(package)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            candidate = os.path.join(folder, "bin", name)
            if os.path.exists(candidate):
                return candidate
    return shutil.which(name)


@functools.lru_cache(maxsize=None)
def ptxas_path():
    """ptxas from the nvidia-cuda-nvcc wheel (same CUDA as NVVM), else from PATH; or None."""
    return _tool("ptxas", ["nvidia.cuda_nvcc"])


@functools.lru_cache(maxsize=None)
def nvdisasm_path():
    """nvdisasm from NVIDIA's nvidia-cuda-nvdisasm wheel (CUDA 12 or 13), else PATH; or None."""
    return _tool("nvdisasm", ["nvidia.cuda_nvdisasm", "nvidia.cu13", "nvidia.cuda_nvcc"])


def _assemble(ptx, cc, disassemble):
    """(ptxas -v's report, nvdisasm's SASS or None) for one kernel's PTX."""
    with tempfile.TemporaryDirectory() as tmp:
        source, cubin = os.path.join(tmp, "kernel.ptx"), os.path.join(tmp, "kernel.cubin")
        with open(source, "w") as f:
            f.write(ptx)
        info = subprocess.run([ptxas_path(), f"-arch=sm_{cc[0]}{cc[1]}", "-v", source, "-o", cubin],
                              capture_output=True, text=True, check=True).stderr
        if not (disassemble and nvdisasm_path()):
            return info, None
        return info, subprocess.run([nvdisasm_path(), "-c", cubin], capture_output=True,
                                    text=True, check=True).stdout


def _ptxas_facts(info):
    number = lambda pattern: int(re.search(pattern, info).group(1))  # noqa: E731
    shared = re.search(r"(\d+) bytes smem", info)
    return {"registers": number(r"Used (\d+) registers"),
            "spill_stores": number(r"(\d+) bytes spill stores"),
            "spill_loads": number(r"(\d+) bytes spill loads"),
            "stack_bytes": number(r"(\d+) bytes stack frame"),
            "shared_bytes": int(shared.group(1)) if shared else 0}


def ptxas_report(ptx, cc):
    """ptxas -v's verdict on one kernel: registers, spill bytes, stack, static shared memory
    (bytes); None without ptxas."""
    if ptxas_path() is None:
        return None
    return _ptxas_facts(_assemble(ptx, cc, disassemble=False)[0])


def sass(ptx, cc):
    """The kernel's machine code as nvdisasm prints it; None without ptxas or nvdisasm."""
    if ptxas_path() is None or nvdisasm_path() is None:
        return None
    return _assemble(ptx, cc, disassemble=True)[1]


def machine_code(ptx, cc, threads, bytes_per_flop=None, dynamic_shared=0):
    """From PTX, what the machine code says: ptxas's facts, occupancy on an SM of ``cc`` (with
    ``dynamic_shared`` bytes beside ptxas's static ones), the innermost loops
    (``sass.inner_loops``), the hot loop and its TFLOP/s estimate.

    Parts that need a missing tool are None: ptxas for all, nvdisasm for the loops.
    """
    if ptxas_path() is None:
        return {"ptxas": None, "occupancy": None, "loops": None, "hot_loop": None,
                "estimate": None}
    info, code = _assemble(ptx, cc, disassemble=True)
    facts = _ptxas_facts(info)
    facts["dynamic_shared_bytes"] = dynamic_shared
    occupancy = sass_tools.occupancy(facts["registers"], facts["shared_bytes"] + dynamic_shared,
                                     threads, cc)
    loops = sass_tools.inner_loops(code) if code is not None else None
    hot = sass_tools.hot_loop(loops) if loops else None
    estimate = (estimate_tools.tflops(hot, occupancy, cc, threads,
                                      bytes_per_flop=bytes_per_flop) if hot else None)
    return {"ptxas": facts, "occupancy": occupancy,
            "loops": [loop._asdict() for loop in loops if loop.instructions > 1]
            if loops is not None else None,
            "hot_loop": hot._asdict() if hot else None, "estimate": estimate}


def _facts(item):
    name_key, ptx = item
    name, dtype, cc, layout = parse_key(name_key)
    kernel = kernels(dtype, layout)[name]
    short = "f32" if dtype == "float32" else "f64"
    return name_key, {"entry": ".entry" in ptx,
                      "local_memory_lines": local_memory_lines(ptx),
                      "fma": count(ptx, f"fma.rn.{short}"),
                      **machine_code(ptx, cc, kernel.threads, kernel.bytes_per_flop,
                                     kernel.dynamic_shared)}


def report(ptxs):
    """{key: facts}: local-memory lines, FMA count, ptxas's verdict, occupancy, the SASS's
    innermost loops and the estimate (see ``machine_code``) of each kernel."""
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count()) as pool:   # ptxas: subprocesses
        return dict(pool.map(_facts, ptxs.items()))


def nvvm_problem():
    """Why PTX cannot be compiled here (a string), or None if it can."""
    try:
        cuda.compile_ptx(lambda x: None, (numba.float32[:],), cc=(8, 0))
    except Exception as error:  # NVVM missing shows up as several error types, all alike here
        return f"{type(error).__name__}: {error}"
    return None


def table(facts):
    """A line per kernel: registers, spills, shared memory, occupancy, hot loop, estimate."""
    lines = [f"{'kernel':<48} {'regs':>4} {'spill':>5} {'smem':>6} {'blk/SM':>6} {'warps':>5} "
             f"{'loop':>5} {'FFMA':>4} {'share':>5} {'LDS128':>6} {'inflt':>5} {'TFLOP/s':>7}"]
    for name, fact in facts.items():
        p, occ, hot, est = fact["ptxas"], fact["occupancy"], fact["hot_loop"], fact["estimate"]
        if p is None:
            lines.append(f"{name:<48} (no ptxas)")
            continue
        loop = (f"{hot['instructions']:>5} {hot['ffma']:>4} {hot['ffma_share']:>5.2f} "
                f"{hot['lds128']:>6} {hot['loads_in_flight']:>5}") if hot else f"{'-':>29}"
        shared = p["shared_bytes"] + p["dynamic_shared_bytes"]       # static + dynamic
        lines.append(f"{name:<48} {p['registers']:>4} {p['spill_stores'] + p['spill_loads']:>5} "
                     f"{shared:>6} {occ['blocks']:>6} {occ['warps']:>5} {loop} "
                     f"{est['tflops'] if est else '-':>7}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ptx-dir", help="write each kernel's PTX here")
    parser.add_argument("--kernels", nargs="+", help="only these kernels (default: all)")
    parser.add_argument("--dtypes", nargs="+", default=DTYPES, choices=DTYPES)
    parser.add_argument("--ccs", nargs="+", default=[f"{a}{b}" for a, b in CCS],
                        choices=[f"{a}{b}" for a, b in CCS], help="compute capabilities")
    parser.add_argument("--layouts", nargs="+", default=LAYOUTS, choices=LAYOUTS)
    parser.add_argument("--table", action="store_true", help="a table, not JSON")
    args = parser.parse_args(argv)
    problem = nvvm_problem()
    if problem:
        print(f"NVVM unavailable (install numba-cuda[cu12]): {problem}", file=sys.stderr)
        return 3
    ptxs = compile_all([(int(cc[0]), int(cc[1])) for cc in args.ccs], args.dtypes, args.layouts,
                       args.kernels)
    if args.ptx_dir:
        os.makedirs(args.ptx_dir, exist_ok=True)
        for name, ptx in ptxs.items():
            with open(os.path.join(args.ptx_dir, re.sub(r"[^\w]+", "_", name) + ".ptx"), "w") as f:
                f.write(ptx)
    facts = report(ptxs)
    if args.table:
        print(table(facts))
    else:
        json.dump({"ptxas": ptxas_path(), "nvdisasm": nvdisasm_path(), "kernels": facts},
                  sys.stdout, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
