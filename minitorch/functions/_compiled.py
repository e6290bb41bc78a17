"""The numba ufuncs behind ``special.py``: erf, erfc and erfinv on numpy arrays (host only).

Imported by ``special.py`` on first use, so that ``import minitorch`` does not wait for numba.
"""
import math

import numba

_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)


@numba.vectorize(["float32(float32)", "float64(float64)"], cache=True)
def erf(x):
    return math.erf(x)


@numba.vectorize(["float32(float32)", "float64(float64)"], cache=True)
def erfc(x):
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
def erfinv(y):
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
