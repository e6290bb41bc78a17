"""``minitorch.backends`` and the top-level speed switches of PyTorch, accepted so that scripts run.

PyTorch's switches choose among GPU libraries (cuDNN, TF32 tensor cores, Apple's MPS) and
compilers. minitorch has none of those: numpy (or cupy) computes every op in its dtype, in full
float32/float64 precision, deterministically. Each switch below stores what you set, returns
it when read, and changes nothing else; its docstring says so.
"""
import os
import types

from . import checks


class _Flags:
    """Settable flags (``backends.cudnn.benchmark = True``) that minitorch records and ignores."""

    def __init__(self, doc, **flags):
        self.__doc__ = doc
        self.__dict__.update(flags)


#: ``backends.cuda.matmul.allow_tf32``: recorded, ignored; matmuls run in full float32 (cupy is
#: called with TF32 off), as PyTorch's default.
cuda = types.SimpleNamespace(
    matmul=_Flags("cuBLAS switches; minitorch's matmuls always run in full precision.",
                  allow_tf32=False, allow_fp16_reduced_precision_reduction=True,
                  allow_bf16_reduced_precision_reduction=True),
    is_built=lambda: True,
)

#: ``backends.cudnn.benchmark/deterministic/enabled/allow_tf32``: recorded, ignored; minitorch
#: does not use cuDNN (its convolutions are written here, and are deterministic).
cudnn = _Flags("cuDNN switches; minitorch does not use cuDNN.", benchmark=False, deterministic=False,
               enabled=True, allow_tf32=True)
cudnn.is_available = lambda: False
cudnn.version = lambda: None

#: ``backends.mps.is_available()``: False; minitorch has no Apple-GPU backend.
mps = types.SimpleNamespace(is_available=lambda: False, is_built=lambda: False)


class _Settings:
    matmul_precision = "highest"
    deterministic = False


def set_float32_matmul_precision(precision):
    """Accepted ("highest", "high", "medium") and recorded; float32 matmuls here always run in
    full float32 precision, which is PyTorch's "highest"."""
    _Settings.matmul_precision = checks.choice("set_float32_matmul_precision", "precision", precision,
                                               ["highest", "high", "medium"])


def get_float32_matmul_precision():
    """What ``set_float32_matmul_precision`` last recorded ("highest" by default)."""
    return _Settings.matmul_precision


def use_deterministic_algorithms(mode, *, warn_only=False):
    """Recorded; every minitorch op is deterministic already (no atomics race on the CPU, and the
    CUDA kernels add in a fixed order), so nothing changes."""
    _Settings.deterministic = bool(mode)


def are_deterministic_algorithms_enabled():
    """What ``use_deterministic_algorithms`` last recorded."""
    return _Settings.deterministic


def set_num_threads(num):
    """Accepted; minitorch runs numpy ops, whose BLAS reads its thread count (``OMP_NUM_THREADS``)
    when it starts, so this cannot change it. Set that variable before starting Python."""
    checks.integer("set_num_threads", "num", num, minimum=1)


def get_num_threads():
    """The BLAS thread count numpy was started with (``OMP_NUM_THREADS``), else the CPU count."""
    configured = os.environ.get("OMP_NUM_THREADS", "")
    return int(configured) if configured.isdigit() else os.cpu_count() or 1


def compile(model=None, *, fullgraph=False, dynamic=None, backend=None, mode=None, options=None, name=None,
            disable=False, recompile_limit=None, isolate_recompiles=False, shapes_spec=None):
    """Returns ``model`` (a module or function) unchanged: minitorch has no compiler, every op runs
    as written. Used as ``@minitorch.compile()`` (no model) it returns a decorator that does the same.
    Every other argument is PyTorch's compiler setting, accepted and ignored."""
    if model is None:
        return lambda fn: fn
    return model
