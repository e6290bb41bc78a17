"""erf, erfc and erfinv, which numpy lacks: numba on the CPU, cupy's own kernels on a GPU.

GELU's exact form needs the normal CDF, Phi(x) = (1 + erf(x / sqrt 2)) / 2.
``math.erf`` and ``math.erfc`` are exact; ``numba.vectorize`` turns them into fast ufuncs for
numpy arrays. Those ufuncs run on the host only (cupy refuses ufuncs that are not its own), so
for a cupy array each function calls ``cupyx.scipy.special``'s of the same name, which cupy ships.
"""
import importlib
import math

import numba
import numpy as np

from ..device import is_gpu_array

_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)


@numba.vectorize(["float32(float32)", "float64(float64)"], cache=True)
def _erf(x):
    return math.erf(x)


@numba.vectorize(["float32(float32)", "float64(float64)"], cache=True)
def _erfc(x):
    return math.erfc(x)


@numba.njit(cache=True)
def _erfinv_start(y):
    """erfinv(y) to about 1e-7 relative: M. Giles' polynomials ("Approximating the erfinv
    function", GPU Computing Gems, 2011), in w = -ln(1 - y^2)."""
    w = -math.log((1.0 - y) * (1.0 + y))
    if w < 5.0:
        w -= 2.5
        p = 2.81022636e-08
        for c in (3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087, -0.00125372503,
                  -0.00417768164, 0.246640727, 1.50140941):
            p = c + p * w
    else:
        w = math.sqrt(w) - 3.0
        p = -0.000200214257
        for c in (0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613,
                  0.00943887047, 1.00167406, 2.83297682):
            p = c + p * w
    return p * y


@numba.vectorize(["float32(float32)", "float64(float64)"], cache=True)
def _erfinv(y):
    """Giles' start, then Newton steps in float64 until they stop moving x: on erf(x) = y for
    |y| <= 1/2, on ln erfc(x) = ln(1 - y) above (1 - y is exact there, erfc keeps its relative
    precision far into the tail, and the logarithm is close to a parabola, where Newton is fast
    even from the start's poorer guesses beyond float32's range)."""
    a = abs(float(y))
    if a >= 1.0:
        return math.copysign(math.inf, y) if a == 1.0 else math.nan
    x = _erfinv_start(a)
    for _ in range(20):
        slope = _TWO_OVER_SQRT_PI * math.exp(-x * x)
        if a <= 0.5:
            step = (math.erf(x) - a) / slope
        else:
            tail = math.erfc(x)
            step = (math.log(1.0 - a) - math.log(tail)) * tail / slope
        x -= step
        if abs(step) <= 1e-16 * x:
            break
    return math.copysign(x, y)


def _elementwise(name, host_ufunc, x):
    """``host_ufunc(x)`` on the CPU, ``cupyx.scipy.special.<name>(x)`` on a GPU; float32 stays float32
    (other dtypes are computed in float64)."""
    if x.dtype not in (np.float32, np.float64):
        x = x.astype(np.float64)
    if is_gpu_array(x):
        return getattr(importlib.import_module("cupyx.scipy.special"), name)(x)
    return host_ufunc(x)


def erf(x):
    """erf(x) = 2/sqrt(pi) * integral from 0 to x of e^(-t^2) dt, elementwise."""
    return _elementwise("erf", _erf, x)


def erfc(x):
    """erfc(x) = 1 - erf(x), elementwise, without the cancellation of 1 - erf(x) for large x."""
    return _elementwise("erfc", _erfc, x)


def erfinv(x):
    """The inverse of erf on (-1, 1), elementwise: +-inf at +-1, NaN outside [-1, 1]."""
    return _elementwise("erfinv", _erfinv, x)
