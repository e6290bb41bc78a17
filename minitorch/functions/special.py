"""erf, erfc and erfinv, which numpy lacks: numba on the CPU, cupy's own kernels on a GPU.

GELU's exact form needs the normal CDF, Phi(x) = (1 + erf(x / sqrt 2)) / 2.
``math.erf`` and ``math.erfc`` are exact; ``numba.vectorize`` turns them into fast ufuncs for
numpy arrays. Those ufuncs run on the host only (cupy refuses ufuncs that are not its own), so
for a cupy array each function calls ``cupyx.scipy.special``'s of the same name, which cupy ships.

The numba ufuncs live in ``_compiled.py``, imported on first use: importing numba takes a moment,
and ``import minitorch`` needs only numpy.
"""
import importlib

import numpy as np

from ..device import is_gpu_array


def _elementwise(name, x):
    """``_compiled.<name>(x)`` on the CPU, ``cupyx.scipy.special.<name>(x)`` on a GPU; float32 stays
    float32 (other dtypes are computed in float64)."""
    if x.dtype not in (np.float32, np.float64):
        x = x.astype(np.float64)
    if is_gpu_array(x):
        return getattr(importlib.import_module("cupyx.scipy.special"), name)(x)
    return getattr(importlib.import_module("._compiled", __package__), name)(x)


def erf(x):
    """erf(x) = 2/sqrt(pi) * integral from 0 to x of e^(-t^2) dt, elementwise."""
    return _elementwise("erf", x)


def erfc(x):
    """erfc(x) = 1 - erf(x), elementwise, without the cancellation of 1 - erf(x) for large x."""
    return _elementwise("erfc", x)


def erfinv(x):
    """The inverse of erf on (-1, 1), elementwise: +-inf at +-1, NaN outside [-1, 1]."""
    return _elementwise("erfinv", x)
