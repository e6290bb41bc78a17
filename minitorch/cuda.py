"""``minitorch.cuda``: is a GPU usable, wait for it, and reach the CUDA kernels.

``is_available()`` is True on a machine with an NVIDIA GPU, cupy and numba-cuda
(``pip install -e ".[gpu]"``), and also under Numba's CUDA simulator
(``NUMBA_ENABLE_CUDASIM=1`` set before numba is first imported), where the same
kernels run on the CPU, thread by thread, so that the whole GPU path can be
tested without a GPU.
"""
import functools
import types
import time

from . import amp as _amp
from . import device_checks


@functools.lru_cache(maxsize=None)
def _state():
    """(available, simulated, reason): computed once; importing numba.cuda is slow."""
    try:
        from kernels import _numba
    except ImportError as e:
        return False, False, f"numba-cuda is not installed ({e}); pip install -e '.[gpu]'"
    if _numba.SIMULATOR:
        return True, True, "the CUDA simulator (NUMBA_ENABLE_CUDASIM=1)"
    try:
        import cupy  # noqa: F401
    except ImportError:
        return False, False, "cupy is not installed; pip install -e '.[gpu]' (or '.[gpu-cu13]')"
    if not _numba.cuda.is_available():
        return False, False, "no NVIDIA GPU was found (numba.cuda.is_available() is False)"
    return True, False, "an NVIDIA GPU"


def is_available():
    """True when tensors can be put on ``"cuda"`` (a real GPU, or the CUDA simulator)."""
    return _state()[0]


def simulated():
    """True when ``"cuda"`` means Numba's CUDA simulator (numpy arrays, simulated kernels)."""
    return _state()[1]


def require():
    """Raise a RuntimeError that says why, unless the ``cuda`` device is usable."""
    available, _, reason = _state()
    if not available:
        raise RuntimeError(
            f"device 'cuda' is not available: {reason}. On a machine without a GPU the same "
            f"kernels run under Numba's CUDA simulator: set NUMBA_ENABLE_CUDASIM=1 before "
            f"importing minitorch."
        )


def synchronize(device=None):
    """Wait until every kernel queued on the GPU has finished (a no-op in the simulator), then raise
    the error of any value check that failed on the device meanwhile (``minitorch.device_checks``);
    minitorch uses one GPU, so ``device`` (PyTorch's) is accepted and the one GPU is waited for."""
    require()
    if not simulated():
        import cupy

        cupy.cuda.get_current_stream().synchronize()
        device_checks.flush()  # value checks queued on the device (minitorch/device_checks.py) fail here


def kernels():
    """The kernel package, for ops that run on ``cuda``: ``kernels().matmul.matmul(a, b)``."""
    require()
    import kernels as package
    from kernels import attention, matmul, softmax  # noqa: F401  (load the submodules)

    return package


# ------------------------------------------------------------------------------------------
# PyTorch's torch.cuda switches. minitorch uses one GPU (cuda:0) and lets cupy manage its
# memory, so these answer for that one device; none of them changes how anything is computed.
def device_count():
    """How many GPUs minitorch can use: 1 when ``is_available()`` (it uses only cuda:0), else 0."""
    return int(is_available())


def current_device():
    """The index of the GPU in use: always 0 (minitorch uses one GPU)."""
    return 0


def set_device(device):
    """Accepted for PyTorch code: minitorch uses one GPU, so only 0 / "cuda" / "cuda:0" are valid."""
    from .device import check_device

    check_device(device)


def get_device_name(device=None):
    """The GPU's name from the driver, or "CUDA simulator" under Numba's CUDA simulator."""
    require()
    if simulated():
        return "CUDA simulator"
    import cupy

    return cupy.cuda.runtime.getDeviceProperties(0)["name"].decode()


def manual_seed(seed):
    """Seed the random numbers of cuda tensors: minitorch draws every random number on the CPU
    from one generator, so this seeds that one (``minitorch.manual_seed``)."""
    from .random import manual_seed as seed_all

    seed_all(seed)


manual_seed_all = manual_seed


def empty_cache():
    """Give cached, unused GPU memory back to the driver (cupy's memory pool); a no-op without a GPU."""
    if is_available() and not simulated():
        import cupy

        cupy.get_default_memory_pool().free_all_blocks()


def memory_allocated(device=None):
    """Bytes of GPU memory held by arrays now (cupy's memory pool); 0 without a real GPU."""
    if not is_available() or simulated():
        return 0
    import cupy

    return cupy.get_default_memory_pool().used_bytes()


def max_memory_allocated(device=None):
    """Bytes the memory pool holds (used or cached): cupy keeps no peak, so this is its upper
    bound since the last ``empty_cache()``; 0 without a real GPU."""
    if not is_available() or simulated():
        return 0
    import cupy

    return cupy.get_default_memory_pool().total_bytes()


def memory_reserved(device=None):
    """Bytes the memory pool holds, used or cached (cupy's ``total_bytes``); 0 without a real GPU."""
    return max_memory_allocated(device)


def reset_peak_memory_stats(device=None):
    """PyTorch's reset of its peak counters; cupy keeps no peak (see ``max_memory_allocated``), so this
    does nothing. Call ``empty_cache()`` to lower the bound that ``max_memory_allocated`` reports."""


class device:
    """``with minitorch.cuda.device(0):`` PyTorch's switch of the current GPU for a block; minitorch
    uses one GPU, so only 0 / "cuda" / "cuda:0" are valid and nothing changes."""

    def __init__(self, device):
        set_device(device)
        self.idx = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class Event:
    """A point in time on the GPU's queue, for timing: ``start.record(); ...; end.record();
    end.synchronize(); start.elapsed_time(end)`` (milliseconds). minitorch has one queue, so
    ``record`` waits for it (``synchronize()``) and notes the host clock; the other arguments are
    PyTorch's and accepted."""

    def __init__(self, enable_timing=False, blocking=False, interprocess=False, external=False):
        self.enable_timing = enable_timing
        self.time = None

    def record(self, stream=None):
        """Note the time once every queued kernel has finished."""
        synchronize()
        self.time = time.perf_counter()

    def synchronize(self):
        """Wait for the recorded point: already done by ``record``."""

    def query(self):
        """True: the recorded work has finished (``record`` waited for it)."""
        return True

    def elapsed_time(self, end_event):
        """Milliseconds from this event to ``end_event``; both must be recorded, with ``enable_timing=True``."""
        if not (self.enable_timing and end_event.enable_timing):
            raise RuntimeError("Event.elapsed_time: both events must be created with enable_timing=True.")
        if self.time is None or end_event.time is None:
            raise RuntimeError("Event.elapsed_time: record() both events first.")
        return (end_event.time - self.time) * 1000.0


def is_bf16_supported(including_emulation=True):
    """False: numpy and cupy have no bfloat16, so minitorch computes in float16/32/64 only."""
    return False


#: ``minitorch.cuda.amp.autocast`` and ``.GradScaler``: PyTorch's older spelling of ``minitorch.amp``.
amp = types.SimpleNamespace(autocast=_amp.cuda_autocast, GradScaler=_amp.CudaGradScaler)
