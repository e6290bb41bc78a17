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
  (see ``_simulate``). A kernel that asks for more than 48 KiB of dynamic shared memory is
  opted in to it first (``_opt_in``); ``shared_view`` carves that memory into arrays.

Under the simulator it also makes ``cuda.shared.array`` atomic, working around a race in
numba-cuda's simulator (``_share_simulated_arrays_safely``).
"""
import functools
import math
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
#: How far a block's *dynamic* shared memory may grow once its kernel opts in (``launch``) on
#: every GPU from sm_80 on (163 KiB on an A100, 227 KiB on an H100, 99 KiB on sm_86 and sm_89):
#: what kernels are tiled for where no GPU says its own (``shared_limit``).
OPT_IN_SHARED_BYTES = 99 * 1024
#: The dynamic shared buffer's alignment in bytes: 16, so that NVVM may read it 128 bits at a
#: time (``LDS.128``). The simulator refuses any alignment: None there.
SHARED_ALIGNMENT = None if SIMULATOR else 16


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


def launch(kernel, grid, block, *args, shared_bytes=0):
    """``kernel[grid, block, stream, shared_bytes](*args)`` on cupy's current stream (or the
    default one), with ``shared_bytes`` of dynamic shared memory (opted in past 48 KiB)."""
    if SIMULATOR:
        _simulate(kernel[grid, block, 0, shared_bytes], *args)
        return
    stream = 0  # numba's default stream: the legacy default stream, cupy's null stream too
    if any(is_cupy(a) for a in args):
        pointer = sys.modules["cupy"].cuda.get_current_stream().ptr
        stream = _cupy_stream(pointer) if pointer else 0
    if shared_bytes > MAX_SHARED_BYTES:
        _opt_in(kernel, args, shared_bytes)
    kernel[grid, block, stream, shared_bytes](*args)


def shared_limit():
    """The most shared memory a block may have, opted in: the current GPU's
    (MAX_SHARED_MEMORY_PER_BLOCK_OPTIN); OPT_IN_SHARED_BYTES under the simulator."""
    if SIMULATOR:
        return OPT_IN_SHARED_BYTES
    return cuda.get_current_device().MAX_SHARED_MEMORY_PER_BLOCK_OPTIN   # read once, kept


#: {(dispatcher, device id, argument key): dynamic shared bytes its compiled kernel may use}
_OPTED_IN = {}


def _argument_key(arg):
    """All that numba types a launch argument from, cheaply: its class, and for an array its
    dtype, shape and strides (from which numba finds the layout)."""
    if not hasattr(arg, "strides"):
        return type(arg)
    return type(arg), arg.dtype.str, arg.shape, arg.strides


def _opt_in(dispatcher, args, shared_bytes):
    """Let the kernel that ``args`` launch use ``shared_bytes`` of dynamic shared memory.

    Past 48 KiB a kernel must opt in, once per compiled kernel and device
    (``_allow_dynamic_shared``). Remembered by a key of the arguments (``_argument_key``), so
    that later launches of the same shapes skip numba's typing of every argument and the
    look-up of the compiled kernel.
    """
    key = (dispatcher, cuda.get_current_device().id, tuple(map(_argument_key, args)))
    if _OPTED_IN.get(key, 0) >= shared_bytes:
        return
    compiled = dispatcher.compile(tuple(dispatcher.typeof_pyval(a) for a in args))
    _allow_dynamic_shared(compiled._codelibrary.get_cufunc(), shared_bytes)
    _OPTED_IN[key] = shared_bytes


def _allow_dynamic_shared(function, shared_bytes):
    """Set a compiled kernel's CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES
    (cudaFuncAttributeMaxDynamicSharedMemorySize) on the handle and with the driver call that
    numba's own ``set_shared_memory_carveout`` uses."""
    from numba.cuda.cudadrv.driver import binding, driver
    attribute = binding.CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES
    driver.cuKernelSetAttribute(attribute, shared_bytes, function.handle, function.device.id)


def shared_view(dtype, offset, shape):
    """A device function ``view(smem)``: the C-contiguous ``shape`` array of ``dtype`` from
    element ``offset`` of a kernel's dynamic shared buffer ``smem`` (``cuda.shared.array(0,
    dtype, alignment=SHARED_ALIGNMENT)``), its shape and strides compile-time constants.

    numba gives dynamic shared memory as one 1-D array of run-time length, and its reshape of
    a slice is a library call; this view indexes as a static ``cuda.shared.array(shape, ...)``
    does. Under the simulator, a numpy view of the buffer.
    """
    count = math.prod(shape)
    if SIMULATOR:
        return lambda smem: smem[offset:offset + count].reshape(shape)
    from numba.cuda import types
    from numba.cuda.extending import intrinsic
    view_type = types.Array(dtype, len(shape), "C")

    def codegen(context, builder, signature, args):
        base = context.make_array(signature.args[0])(context, builder, args[0])
        view = context.make_array(view_type)(context, builder)
        itemsize = context.get_abi_sizeof(context.get_data_type(dtype))
        strides = [itemsize * math.prod(shape[axis + 1:]) for axis in range(len(shape))]
        constant = functools.partial(context.get_constant, types.intp)
        context.populate_array(view, data=builder.gep(base.data, [constant(offset)]),
                               shape=[constant(n) for n in shape],
                               strides=[constant(n) for n in strides],
                               itemsize=constant(itemsize), meminfo=None)
        return view._getvalue()

    @intrinsic
    def view(typingctx, smem):
        return view_type(smem), codegen
    return view


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
