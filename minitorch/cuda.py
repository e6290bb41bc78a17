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


max_memory_reserved = max_memory_allocated


def memory_stats(device=None):
    """PyTorch's memory statistics, the keys programs read: ``allocated_bytes.all.current`` and
    ``.peak``, ``reserved_bytes.all.current`` and ``.peak`` (from cupy's pool; 0 without a real GPU)."""
    used, held = memory_allocated(device), memory_reserved(device)
    return {"allocated_bytes.all.current": used, "allocated_bytes.all.peak": held,
            "reserved_bytes.all.current": held, "reserved_bytes.all.peak": held}


def mem_get_info(device=None):
    """(free, total) bytes of the GPU's memory, from the driver."""
    require()
    if simulated():
        raise RuntimeError("mem_get_info: the CUDA simulator has no device memory to report; run on a GPU.")
    import cupy

    return cupy.cuda.runtime.memGetInfo()


def get_device_properties(device=None):
    """The GPU's properties under PyTorch's names: ``name``, ``total_memory`` (bytes), ``major``,
    ``minor`` (the compute capability) and ``multi_processor_count``; under the simulator, a
    simulated device's (capability 5.2, as numba's simulator reports)."""
    set_device(0 if device is None else device)
    require()
    if simulated():
        return types.SimpleNamespace(name="CUDA simulator", total_memory=0, major=5, minor=2,
                                     multi_processor_count=1)
    import cupy

    props = cupy.cuda.runtime.getDeviceProperties(0)
    return types.SimpleNamespace(name=props["name"].decode(), total_memory=props["totalGlobalMem"],
                                 major=props["major"], minor=props["minor"],
                                 multi_processor_count=props["multiProcessorCount"])


def get_device_capability(device=None):
    """(major, minor): the GPU's compute capability (``get_device_properties``)."""
    props = get_device_properties(device)
    return props.major, props.minor


def is_initialized():
    """True once the ``cuda`` device is usable (minitorch initialises it on first use)."""
    return is_available()


def init():
    """Initialise the ``cuda`` device now (a RuntimeError saying why if it is not usable)."""
    require()


class _Stream:
    """The one queue minitorch launches on: ``synchronize()`` waits for it, as PyTorch's streams'."""

    def synchronize(self):
        """Wait for every kernel queued on the GPU (``minitorch.cuda.synchronize``)."""
        synchronize()

    def wait_stream(self, stream):
        """Nothing to wait for: there is one queue."""

    def query(self):
        """True once the queued work has finished (it waits for it)."""
        synchronize()
        return True


def current_stream(device=None):
    """The queue kernels run on (minitorch has one: PyTorch's default stream)."""
    return _Stream()


default_stream = current_stream


def seed():
    """Seed minitorch's one generator (the CPU's, which also draws for cuda tensors) from the OS."""
    from .random import seed as reseed

    return reseed()


seed_all = seed


def initial_seed():
    """The seed of minitorch's one generator (``minitorch.initial_seed``)."""
    from .random import initial_seed as first

    return first()


def get_rng_state(device="cuda"):
    """The state of minitorch's one generator (``minitorch.get_rng_state``): cuda tensors draw from it too."""
    from .random import get_rng_state as state

    return state()


def set_rng_state(new_state, device="cuda"):
    """Restore the generator's state (``minitorch.set_rng_state``)."""
    from .random import set_rng_state as restore

    restore(new_state)


get_rng_state_all = get_rng_state


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
