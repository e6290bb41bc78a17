"""The one module in minitorch that imports ``numba.cuda``; every kernel file gets ``cuda`` here.

Why one module: the import is slow and has a side condition. Numba reads
``NUMBA_ENABLE_CUDASIM`` once, at the first ``import numba``; with it set to 1, ``numba.cuda``
is a pure-Python *simulator* that runs kernels on numpy arrays, one OS thread per CUDA thread.
Setting the variable later changes nothing, so whoever wants the simulator (the test
configuration) sets it before anything imports numba. ``SIMULATOR`` tells which one we got.

Besides ``cuda`` and ``SIMULATOR`` this module holds what every host function needs:

- ``jit_kernel`` / ``jit_device``: ``cuda.jit`` with the options a real GPU build wants
  (an on-disk cache of compiled kernels, the block size as ``launch_bounds`` so that ptxas
  may budget registers for it; device functions inlined into the caller's numba IR, where
  their constant arguments fold and no GPU is needed to type them). The simulator accepts
  neither cache nor launch bounds, so its kernels get plain ``cuda.jit``.
- ``array_module``: numpy or cupy, whichever holds the data.
- ``launch``: starts a kernel. With cupy arrays it launches on cupy's current stream, so
  numba neither synchronises the host nor races cupy's work. Under the simulator it hands the
  kernel numpy arrays *as they are* (strides, zero-stride broadcasts and all), as a GPU
  kernel sees a cupy array, and shortens the GIL switch interval while the kernel runs
  (see ``_simulate``).

Under the simulator it also makes ``cuda.shared.array`` atomic, working around a race in
numba-cuda's simulator (``_share_simulated_arrays_safely``).
"""
import functools
import sys
import threading

import numba
import numpy as np
from numba import cuda

SIMULATOR = bool(numba.config.ENABLE_CUDASIM)

#: The largest grid size along y and z (x allows 2**31 - 1).
MAX_GRID_YZ = 65535

#: The largest static shared memory one block may declare: 48 KiB on every GPU numba supports.
MAX_SHARED_BYTES = 48 * 1024


def jit_kernel(threads=None):
    """``cuda.jit`` for a kernel launched with ``threads`` threads per block (or any, if None).

    ``launch_bounds=(threads, 1)`` tells ptxas the block size and that one resident block per
    SM is acceptable, so it may give a thread up to 255 registers rather than spill: with the
    block size alone it capped the attention kernel at 128 registers and spilled.
    """
    if SIMULATOR:
        return cuda.jit
    if threads is None:
        return cuda.jit(cache=True)
    return cuda.jit(cache=True, launch_bounds=(threads, 1))


def jit_device(fn):
    """``cuda.jit(device=True)``, inlined into its callers' numba IR.

    Inlined, its constant arguments (flags, tile sizes) fold into the caller. And it is typed
    with the caller: a separately compiled device function asks the current GPU for its
    compute capability, which fails where ``compile_ptx`` runs without one.
    """
    return cuda.jit(device=True, inline="always")(fn)


def is_cupy(array):
    """Whether ``array`` is a cupy array (tested without importing cupy)."""
    return type(array).__module__.split(".")[0] == "cupy"


def array_module(array):
    """The array library that holds ``array``: numpy, or cupy on a real GPU."""
    return sys.modules["cupy"] if is_cupy(array) else np


def check_arrays(*arrays):
    """Raise TypeError unless the arrays live where this build of numba can run kernels on them.

    Under the simulator that is numpy; on a real GPU it is cupy (numba would otherwise copy
    each numpy array to the device and back on every launch, and fail on read-only views).
    """
    want = "numpy" if SIMULATOR else "cupy"
    for array in arrays:
        got = "cupy" if is_cupy(array) else "numpy" if isinstance(array, np.ndarray) else None
        if got != want:
            where = ("under the CUDA simulator (NUMBA_ENABLE_CUDASIM=1)" if SIMULATOR
                     else "on a real GPU")
            raise TypeError(f"kernels take {want} arrays {where}; got {type(array).__name__}")


def float_dtype(*arrays):
    """The common dtype of ``arrays``; the kernels exist for float32 and float64 only."""
    dtype = np.result_type(*(a.dtype for a in arrays))
    if dtype not in (np.float32, np.float64):
        raise TypeError(f"kernels support float32 and float64, not {dtype}")
    return dtype


def numba_type(dtype):
    """numba's scalar type for a numpy dtype (numba.float32 for np.float32, ...)."""
    return numba.from_dtype(np.dtype(dtype))


@functools.lru_cache(maxsize=None)
def _cupy_stream(pointer):
    return cuda.external_stream(pointer)


def launch(kernel, grid, block, *args):
    """``kernel[grid, block, stream](*args)`` on cupy's current stream (or the default one)."""
    if SIMULATOR:
        _simulate(kernel[grid, block], *args)
        return
    stream = 0  # numba's default stream: the legacy default stream, cupy's null stream too
    if any(is_cupy(a) for a in args):
        pointer = sys.modules["cupy"].cuda.get_current_stream().ptr
        stream = _cupy_stream(pointer) if pointer else 0
    kernel[grid, block, stream](*args)


def _simulate(configured, *args):
    """A simulated launch: numpy arrays go in as they are, under a short GIL switch interval.

    Wrapping each numpy array as the simulator's device array hands the kernel the array
    itself, strides and all (the simulator's own conversion copies it in and out, rejects
    non-contiguous views and cannot write back into read-only broadcasts). The simulator's
    block manager busy-polls its threads at every syncthreads; with CPython's default 5 ms
    switch interval each hand-over can cost milliseconds, and at 0.1 ms the kernel tests run
    3 to 8 times faster. The interval is restored afterwards.
    """
    args = [cuda.devicearray.FakeCUDAArray(a) if isinstance(a, np.ndarray) else a for a in args]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-4)
    try:
        configured(*args)
    finally:
        sys.setswitchinterval(interval)


def _share_simulated_arrays_safely():
    """Make the simulator's ``cuda.shared.array`` atomic (a workaround for a race in numba-cuda).

    The simulator gives the threads of a block one array per source line: the first thread to
    reach ``cuda.shared.array(...)`` on a line allocates it, the others look it up. numba-cuda
    (0.30) does the look-up and the store without a lock, so when the interpreter switches
    threads between the two, two threads of one block get *different* "shared" arrays and the
    kernel computes garbage, rarely and only under load. Here the look-up and the store happen
    under one lock; the key is numba's own (the caller's file and line).
    """
    from numba.cuda.simulator import kernelapi

    unlocked, lock = kernelapi.FakeCUDAShared.array, threading.Lock()

    def array(self, shape, dtype, alignment=None):
        if shape == 0 or alignment is not None:  # dynamic shared memory is one buffer: no race
            return unlocked(self, shape, dtype, alignment)
        caller = sys._getframe(1)
        key = (caller.f_code.co_filename, caller.f_lineno)
        with lock:
            if key not in self._allocations:
                self._allocations[key] = np.empty(shape, numba.np.numpy_support.as_dtype(dtype)
                                                  if isinstance(dtype, numba.types.Type) else dtype)
            return self._allocations[key]

    kernelapi.FakeCUDAShared.array = array


if SIMULATOR:
    _share_simulated_arrays_safely()


def cdiv(a, b):
    """``ceil(a / b)`` for positive integers: how many tiles of size b cover a."""
    return -(-a // b)
