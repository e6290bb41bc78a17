"""Making tensors: ``tensor``, ``zeros``, ``ones``, ``full``, ``arange``, ``eye``, ``rand``, ``randn``, ...

Default dtypes follow PyTorch: Python floats give float32, Python ints int64,
bools bool; a numpy array keeps its dtype (so float64 stays float64).
"""
import numpy as np

from . import checks, dtypes
from .device import check_device, move
from .random import rng
from .tensor import Tensor


def _new(array, requires_grad, device):
    """Wrap a freshly made numpy array, moved to ``device``. Every constructor, random ones
    included, fills its values on the CPU first, so a seed gives the same numbers on every device."""
    device = check_device(device)
    if device != "cpu":
        array = move(array, device)
    t = Tensor._make(array, False, None, device)
    return t.requires_grad_(True) if requires_grad else t

def _float_dtype(dtype):
    return (dtypes.to_dtype(dtype) or dtypes.float32).np_dtype

def tensor(data, dtype=None, device=None, requires_grad=False):
    """A new tensor holding a copy of ``data``."""
    if isinstance(data, Tensor):
        data = data.detach().cpu()._array
    return _new(dtypes.as_array(data, dtype), requires_grad, device)

def from_numpy(array):
    """A tensor that shares memory with a numpy array (changes to one show in the other)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy expects a numpy.ndarray, got {type(array).__name__}.")
    dtypes.from_numpy_dtype(array.dtype)
    return Tensor._make(array, False, None)

def zeros(*size, dtype=None, device=None, requires_grad=False):
    return _new(np.zeros(checks.sizes("zeros", size), _float_dtype(dtype)), requires_grad, device)

def ones(*size, dtype=None, device=None, requires_grad=False):
    return _new(np.ones(checks.sizes("ones", size), _float_dtype(dtype)), requires_grad, device)

def empty(*size, dtype=None, device=None, requires_grad=False):
    return zeros(*size, dtype=dtype, device=device, requires_grad=requires_grad)

def full(size, fill_value, dtype=None, device=None, requires_grad=False):
    if dtype is None:
        dtype = dtypes.bool_ if isinstance(fill_value, bool) else (
            dtypes.int64 if isinstance(fill_value, (int, np.integer)) else dtypes.float32
        )
    return _new(np.full(checks.sizes("full", (size,)), fill_value, _float_dtype(dtype)), requires_grad, device)

def _like(t, dtype):
    return dtypes.to_dtype(dtype) or t.dtype

def zeros_like(t, dtype=None, device=None, requires_grad=False):
    return zeros(t.shape, dtype=_like(t, dtype), device=device or t.device, requires_grad=requires_grad)

def ones_like(t, dtype=None, device=None, requires_grad=False):
    return ones(t.shape, dtype=_like(t, dtype), device=device or t.device, requires_grad=requires_grad)

def full_like(t, fill_value, dtype=None, device=None, requires_grad=False):
    return full(t.shape, fill_value, dtype=_like(t, dtype), device=device or t.device,
                requires_grad=requires_grad)

def arange(start, end=None, step=1, dtype=None, device=None, requires_grad=False):
    """Evenly spaced values in [start, end): integers give int64, any float gives float32."""
    if end is None:
        start, end = 0, start
    if step == 0:
        raise ValueError("arange: step must not be zero.")
    if dtype is None:
        is_int = all(isinstance(v, (int, np.integer)) for v in (start, end, step))
        dtype = dtypes.int64 if is_int else dtypes.float32
    return _new(np.arange(start, end, step).astype(_float_dtype(dtype)), requires_grad, device)

def linspace(start, end, steps, dtype=None, device=None, requires_grad=False):
    return _new(np.linspace(start, end, steps).astype(_float_dtype(dtype)), requires_grad, device)

def eye(n, m=None, dtype=None, device=None, requires_grad=False):
    return _new(np.eye(n, m, dtype=_float_dtype(dtype)), requires_grad, device)

def rand(*size, generator=None, dtype=None, device=None, requires_grad=False):
    """Uniform samples in [0, 1), from the seeded generator (see ``manual_seed``)."""
    array = rng(generator).random(checks.sizes("rand", size)).astype(_float_dtype(dtype))
    return _new(array, requires_grad, device)

def randn(*size, generator=None, dtype=None, device=None, requires_grad=False):
    """Standard normal samples, from the seeded generator (see ``manual_seed``)."""
    array = rng(generator).standard_normal(checks.sizes("randn", size)).astype(_float_dtype(dtype))
    return _new(array, requires_grad, device)

def rand_like(t, dtype=None, generator=None):
    return rand(t.shape, dtype=_like(t, dtype), generator=generator, device=t.device)

def randn_like(t, dtype=None, generator=None):
    return randn(t.shape, dtype=_like(t, dtype), generator=generator, device=t.device)

def randint(low, high=None, size=(), generator=None, dtype=None, device=None):
    """Random integers in [low, high) (``randint(high, size)`` starts at 0)."""
    if high is None:
        low, high = 0, low
    array = rng(generator).integers(low, high, size=tuple(size)).astype(_float_dtype(dtype or dtypes.int64))
    return _new(array, False, device)

def randperm(n, generator=None, dtype=None, device=None):
    """A random permutation of 0..n-1."""
    return _new(rng(generator).permutation(n).astype(_float_dtype(dtype or dtypes.int64)), False, device)
