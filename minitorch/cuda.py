"""``minitorch.cuda``: is a GPU usable, wait for it, and reach the CUDA kernels.

``is_available()`` is True on a machine with an NVIDIA GPU, cupy and numba-cuda
(``pip install -e ".[gpu]"``), and also under Numba's CUDA simulator
(``NUMBA_ENABLE_CUDASIM=1`` set before numba is first imported), where the same
kernels run on the CPU, thread by thread, so that the whole GPU path can be
tested without a GPU.
"""
import functools


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


def synchronize():
    """Wait until every kernel queued on the GPU has finished (a no-op in the simulator)."""
    require()
    if not simulated():
        import cupy

        cupy.cuda.get_current_stream().synchronize()


def kernels():
    """The kernel package, for ops that run on ``cuda``: ``kernels().matmul.matmul(a, b)``."""
    require()
    import kernels as package
    from kernels import attention, matmul, softmax  # noqa: F401  (load the submodules)

    return package
