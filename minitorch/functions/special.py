"""The error function erf, which numpy lacks: numba on the CPU, cupy's own kernel on a GPU.

GELU's exact form needs the normal CDF, Phi(x) = (1 + erf(x / sqrt 2)) / 2.
``math.erf`` is exact; ``numba.vectorize`` turns it into a fast ufunc for numpy arrays.
That ufunc runs on the host only (cupy refuses ufuncs that are not its own), so for a cupy
array ``erf`` calls ``cupyx.scipy.special.erf``, which cupy ships.
"""
import importlib
import math

import numba
import numpy as np

from ..device import is_gpu_array


@numba.vectorize(["float32(float32)", "float64(float64)"], cache=True)
def _erf(x):
    return math.erf(x)


def erf(x):
    """erf(x) elementwise, keeping float32 as float32 (other dtypes computed in float64)."""
    if x.dtype not in (np.float32, np.float64):
        x = x.astype(np.float64)
    if is_gpu_array(x):
        return importlib.import_module("cupyx.scipy.special").erf(x)
    return _erf(x)
