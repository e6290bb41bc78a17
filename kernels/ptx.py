"""Rung 2 of the verification ladder: compile every kernel to PTX, with no GPU, and read the result.

``numba.cuda.compile_ptx`` runs numba's typing and lowering and NVIDIA's NVVM, exactly as a
launch on a GPU would, and so catches what the simulator never sees (a float64 that creeps
into a float32 kernel, an unsupported call, a shared array too big). PTX is NVIDIA's virtual
assembly; reading it tells whether the kernel kept its local arrays in registers: an array
that NVVM could not map to registers (indexed by a value known only at run time, say) shows
up as ``.local`` memory, an off-chip, cached but slow, per-thread stack. If ``ptxas`` (the PTX
to machine-code assembler, shipped with ``numba-cuda[cu12]``) is found, its report adds the
real register count and any *spills* (registers that did not fit, parked in local memory).

    python -m kernels.ptx                # JSON report: every kernel, f32 and f64, sm_80 and sm_90
    python -m kernels.ptx --ptx-dir DIR  # also write each kernel's PTX to DIR

It needs the real numba.cuda, so NUMBA_ENABLE_CUDASIM must not be set; no GPU is needed.
"""
import argparse
import concurrent.futures
import functools
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numba
import numpy as np

from kernels import attention, matmul, softmax
from kernels._numba import SIMULATOR, cuda, numba_type

CCS = ((8, 0), (9, 0))
DTYPES = ("float32", "float64")
#: Kernels that must keep every local array in registers (the hot loops of the production path).
NO_LOCAL_MEMORY = ("matmul_register_large", "matmul_register_small", "attention_forward_d64",
                   "attention_forward_d128", "attention_forward_d64_causal_masked")


def kernels(dtype):
    """{name: (dispatcher, argument types)} for every kernel in kernels/, built for ``dtype``."""
    t = numba_type(dtype)
    a2, a3, a4 = t[:, :], t[:, :, :], t[:, :, :, :]
    mask = numba.uint8[:, :, :, :]
    found = {
        "matmul_naive": (matmul.naive_kernel(np.dtype(dtype)), (a3, a3, a3)),
        "matmul_tiled": (matmul.tiled_kernel(np.dtype(dtype)), (a3, a3, a3)),
        "matmul_register_large": (matmul.register_kernel(np.dtype(dtype), matmul.LARGE),
                                  (a3, a3, a3)),
        "matmul_register_small": (matmul.register_kernel(np.dtype(dtype), matmul.SMALL),
                                  (a3, a3, a3)),
        "softmax_forward": (softmax.forward_kernel(np.dtype(dtype)), (a2, a2)),
        "softmax_backward": (softmax.backward_kernel(np.dtype(dtype)), (a2, a2, a2)),
    }
    forward_args = (a4, a4, a4, mask, t, a4, a3)
    backward_args = (a4, a4, a4, mask, a4, a3, a3, t, a4, a4, a4)
    for d, causal, masked in ((64, False, False), (128, False, False), (64, True, True)):
        suffix = f"d{d}" + ("_causal_masked" if causal else "")
        fwd = attention.forward_kernel(np.dtype(dtype), d, causal, masked,
                                       attention.forward_tiling(dtype, d))
        bwd = attention.backward_kernel(np.dtype(dtype), d, causal, masked,
                                        attention.backward_tiling(dtype, d))
        found[f"attention_forward_{suffix}"] = (fwd, forward_args)
        found[f"attention_backward_{suffix}"] = (bwd, backward_args)
    return found


def compile_kernel(dispatcher, argtypes, cc):
    """PTX for one kernel, with the options (launch bounds) it was declared with."""
    bounds = dispatcher.targetoptions.get("launch_bounds")
    ptx, _ = cuda.compile_ptx(dispatcher.py_func, argtypes, cc=cc, launch_bounds=bounds)
    return ptx


def _compile_task(task):
    dtype, name, cc = task
    dispatcher, argtypes = kernels(dtype)[name]
    return f"{name}[{dtype},sm_{cc[0]}{cc[1]}]", compile_kernel(dispatcher, argtypes, cc)


def compile_all(ccs=CCS, dtypes=DTYPES, workers=None):
    """{"name[dtype,sm_XY]": ptx} for every kernel, dtype and compute capability.

    Compiles in ``workers`` processes (default: one per CPU): NVVM takes about a second per
    attention kernel, and there are 48 kernels.
    """
    if SIMULATOR:
        raise RuntimeError("kernels.ptx needs the real numba.cuda: unset NUMBA_ENABLE_CUDASIM")
    tasks = [(dtype, name, cc) for dtype in dtypes for name in kernels(dtype) for cc in ccs]
    with concurrent.futures.ProcessPoolExecutor(workers or os.cpu_count()) as pool:
        return dict(pool.map(_compile_task, tasks))


def local_memory_lines(ptx):
    """The PTX lines that declare or touch local memory (``.local``, ``ld.local``, ``st.local``)."""
    return [line.strip() for line in ptx.splitlines() if ".local" in line]


def count(ptx, opcode):
    """How many instructions of ``opcode`` (e.g. "fma.rn.f32") the PTX holds."""
    return len(re.findall(rf"^\s*{re.escape(opcode)}\s", ptx, flags=re.M))


@functools.lru_cache(maxsize=None)
def ptxas_path():
    """ptxas from the nvidia-cuda-nvcc wheel (same CUDA as NVVM), else from PATH; or None."""
    spec = importlib.util.find_spec("nvidia.cuda_nvcc")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        candidate = os.path.join(folder, "bin", "ptxas")
        if os.path.exists(candidate):
            return candidate
    return shutil.which("ptxas")


def ptxas_report(ptx, cc):
    """ptxas -v's verdict on one kernel: registers, spill bytes, stack; None without ptxas."""
    if ptxas_path() is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "kernel.ptx")
        with open(source, "w") as f:
            f.write(ptx)
        result = subprocess.run([ptxas_path(), f"-arch=sm_{cc[0]}{cc[1]}", "-v", source,
                                 "-o", os.path.join(tmp, "kernel.cubin")],
                                capture_output=True, text=True, check=True)
    info = result.stderr
    number = lambda pattern: int(re.search(pattern, info).group(1))  # noqa: E731
    return {"registers": number(r"Used (\d+) registers"),
            "spill_stores": number(r"(\d+) bytes spill stores"),
            "spill_loads": number(r"(\d+) bytes spill loads"),
            "stack_bytes": number(r"(\d+) bytes stack frame")}


def _facts(item):
    key, ptx = item
    dtype = "f32" if "float32" in key else "f64"
    cc = tuple(int(x) for x in re.search(r"sm_(\d)(\d)", key).groups())
    return key, {"entry": ".entry" in ptx,
                 "local_memory_lines": local_memory_lines(ptx),
                 "fma": count(ptx, f"fma.rn.{dtype}"),
                 "ptxas": ptxas_report(ptx, cc)}


def report(ptxs):
    """{"name[dtype,sm_XY]": facts}: local-memory lines, FMA count and ptxas verdict of each."""
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count()) as pool:   # ptxas: subprocesses
        return dict(pool.map(_facts, ptxs.items()))


def nvvm_problem():
    """Why PTX cannot be compiled here (a string), or None if it can."""
    try:
        cuda.compile_ptx(lambda x: None, (numba.float32[:],), cc=(8, 0))
    except Exception as error:  # NVVM missing shows up as several error types, all alike here
        return f"{type(error).__name__}: {error}"
    return None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ptx-dir", help="write each kernel's PTX here")
    args = parser.parse_args(argv)
    problem = nvvm_problem()
    if problem:
        print(f"NVVM unavailable (install numba-cuda[cu12]): {problem}", file=sys.stderr)
        return 3
    ptxs = compile_all()
    if args.ptx_dir:
        os.makedirs(args.ptx_dir, exist_ok=True)
        for key, ptx in ptxs.items():
            with open(os.path.join(args.ptx_dir, re.sub(r"[^\w]+", "_", key) + ".ptx"), "w") as f:
                f.write(ptx)
    json.dump({"ptxas": ptxas_path(), "kernels": report(ptxs)}, sys.stdout, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
