"""The error function erf, which numpy lacks, compiled elementwise with numba.

GELU's exact form needs the normal CDF, Phi(x) = (1 + erf(x / sqrt 2)) / 2.
``math.erf`` is exact; ``numba.vectorize`` turns it into a fast ufunc.
"""
import math

import numba
import numpy as np


@numba.vectorize(["float32(float32)", "float64(float64)"], cache=True)
def _erf(x):
    return math.erf(x)


def erf(x):
    """erf(x) elementwise, keeping float32 as float32 (other dtypes computed in float64)."""
    if x.dtype not in (np.float32, np.float64):
        x = x.astype(np.float64)
    return _erf(x)
