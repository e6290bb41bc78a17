"""The standard normal distribution's functions: its CDF ndtr, the CDF's logarithm log_ndtr, its
inverse ndtri, and the scaled complementary error function erfcx(x) = e^(x^2) erfc(x) behind them.

Each is written for the tails, where the naive formula loses everything: ndtr(-40) is 4e-350,
below float64, but log_ndtr(-40) = -804.6 is not; 1 - p rounds a p of 1e-20 away, so ndtri
works from the smaller tail; e^(x^2) erfc(x) is inf * 0 beyond x = 26.5. The formulas:

- ndtr(x) = erfc(-x / sqrt 2) / 2 (erfc keeps its relative precision in the tail; PyTorch's
  (1 + erf(x / sqrt 2)) / 2 loses it below x = -3 and is 0 below x = -8.3, so the two differ there);
- erfcx(x) = e^(x^2) erfc(x) for x < 10, and beyond, its asymptotic series
  1 / (x sqrt pi) * sum_k (-1)^k (2k - 1)!! / (2x^2)^k, whose terms fall below float64
  rounding long before they grow;
- log_ndtr(x) = ln(erfcx(-x / sqrt 2) / 2) - x^2 / 2 for x < 0, log1p(-ndtr(-x)) above;
- ndtri(p): a rational start (Abramowitz and Stegun 26.2.23, to 4.5e-4), then Newton's method on
  log_ndtr(x) = ln p for the smaller tail q = min(p, 1 - p), where the logarithm is close to a
  parabola and four steps reach float64 rounding.
"""
import math

import numpy as np

from ..autograd.function import Op
from ..device import array_module
from .gamma import _floating
from .special import erfc

_SQRT_HALF = math.sqrt(0.5)
_SQRT_2PI = math.sqrt(2 * math.pi)
_SQRT_PI = math.sqrt(math.pi)
#: Where erfcx switches to its asymptotic series, and how many terms that takes.
_ERFCX_SERIES = 10.0
_ERFCX_TERMS = 40
_NEWTON_STEPS = 4


def erfcx(x):
    """e^(x^2) erfc(x), elementwise, finite for large x (where it is about 1 / (x sqrt pi))."""
    xp = array_module(x)
    x, dtype = _floating(x)
    with np.errstate(over="ignore", invalid="ignore"):
        direct = np.exp(x * x) * erfc(xp.minimum(x, _ERFCX_SERIES))
        large = xp.maximum(x, _ERFCX_SERIES)
        term, series = 1.0, 1.0
        for k in range(1, _ERFCX_TERMS):
            term = -term * (2 * k - 1) / (2 * large * large)
            series = series + term
        y = xp.where(x < _ERFCX_SERIES, direct, series / (large * _SQRT_PI))
    return y.astype(dtype)


def ndtr(x):
    """The standard normal CDF, elementwise."""
    x, dtype = _floating(x)
    return (0.5 * erfc(-x * _SQRT_HALF)).astype(dtype)


def log_ndtr(x):
    """ln ndtr(x), elementwise, finite far into the lower tail."""
    xp = array_module(x)
    x, dtype = _floating(x)
    negative = xp.minimum(x, 0.0)
    with np.errstate(divide="ignore"):
        lower = np.log(erfcx(-negative * _SQRT_HALF) / 2) - negative * negative / 2
        upper = np.log1p(-0.5 * erfc(xp.maximum(x, 0.0) * _SQRT_HALF))
    return xp.where(x < 0, lower, upper).astype(dtype)


def _normal_over_ndtr(x):
    """phi(x) / ndtr(x), the derivative of log_ndtr: sqrt(2/pi) / erfcx(-x / sqrt 2) for x < 0
    (no underflow in the tail), phi(x) / ndtr(x) above."""
    xp = array_module(x)
    negative = xp.minimum(x, 0.0)
    upper = np.exp(-x * x / 2) / _SQRT_2PI / ndtr(xp.maximum(x, 0.0))
    return xp.where(x < 0, 2 / _SQRT_2PI / erfcx(-negative * _SQRT_HALF), upper)


def ndtri(p):
    """The inverse of ndtr on [0, 1] (-inf at 0, inf at 1, NaN outside), elementwise."""
    xp = array_module(p)
    p, dtype = _floating(p)
    with np.errstate(divide="ignore", invalid="ignore"):
        q = xp.minimum(p, 1 - p)  # 1 - p is exact for p >= 1/2
        inside = (q > 0) & (q <= 0.5)
        q = xp.where(inside, q, 0.25)
        t = np.sqrt(-2 * np.log(q))
        x = -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t)
              / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t))
        log_q = np.log(q)
        for _ in range(_NEWTON_STEPS):
            x = x - (log_ndtr(x) - log_q) / _normal_over_ndtr(x)
        x = xp.where(p > 0.5, -x, xp.where(p == 0.5, 0.0, x))  # exactly 0 at the median
        x = xp.where(inside, x, xp.where(p == 0, -xp.inf, xp.where(p == 1, xp.inf, xp.nan)))
    return x.astype(dtype)


class Ndtr(Op):
    """y = Phi(x) = erfc(-x / sqrt 2) / 2;  dy/dx = phi(x) = e^(-x^2/2) / sqrt(2 pi)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return ndtr(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_arrays
        return grad * np.exp(-x * x / 2) / _SQRT_2PI


class LogNdtr(Op):
    """y = ln Phi(x);  dy/dx = phi(x) / Phi(x) (through erfcx in the lower tail)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return log_ndtr(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_arrays
        return grad * _normal_over_ndtr(x)


class Ndtri(Op):
    """x = Phi^-1(p);  dx/dp = 1 / phi(x) = sqrt(2 pi) e^(x^2/2)."""

    @staticmethod
    def forward(ctx, p):
        x = ndtri(p)
        ctx.save_for_backward(x)
        return x

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_arrays
        return grad * _SQRT_2PI * np.exp(x * x / 2)


class Erfcx(Op):
    """y = e^(x^2) erfc(x);  dy/dx = 2x y - 2 / sqrt(pi)."""

    @staticmethod
    def forward(ctx, x):
        y = erfcx(x)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_arrays
        return grad * (2 * x * y - 2 / _SQRT_PI)
