"""The modified Bessel functions of the first kind, orders 0 and 1: i0, i1, and their exponentially
scaled forms i0e = e^-|x| i0, i1e = e^-|x| i1 (which stay finite for any x).

numpy has only i0 and no i1 or scaled forms, so they are written here, vectorised, for numpy and
cupy alike. For |x| <= 30 the power series I_v(x) = sum_k (x/2)^(2k+v) / (k! (k+v)!) is used:
every term is positive, so nothing cancels and 120 terms reach float64 rounding. Beyond, the
asymptotic series I_v(x) ~ e^x / sqrt(2 pi x) * sum_k a_k, with a_0 = 1 and
a_k = -a_(k-1) (4v^2 - (2k-1)^2) / (8k x), whose terms shrink far below float64 rounding
before they start to grow again. Both are accurate to a few units of float64 rounding.

Gradients: i0' = i1, i1' = i0 - i1 / x (1/2 at 0), and for the scaled forms the derivative of
e^-|x| adds -sign(x) times the function.
"""
import math

import numpy as np

from ..autograd.function import Op
from ..device import array_module
from .gamma import _floating

#: Where the power series gives way to the asymptotic series.
_SERIES_END = 30.0
_SERIES_TERMS = 120
_ASYMPTOTIC_TERMS = 30


def _scaled(order, x):
    """e^-|x| I_order(|x|) for x >= 0 (order 0 or 1)."""
    xp = array_module(x)
    small = xp.minimum(x, _SERIES_END)
    quarter = small * small / 4
    term = (small / 2) ** order
    series = term
    for k in range(1, _SERIES_TERMS):
        term = term * quarter / (k * (k + order))
        series = series + term
    large = xp.maximum(x, _SERIES_END)
    a, asymptotic = 1.0, 1.0
    for k in range(1, _ASYMPTOTIC_TERMS):
        a = -a * (4 * order * order - (2 * k - 1) ** 2) / (8 * k * large)
        asymptotic = asymptotic + a
    asymptotic = asymptotic / np.sqrt(2 * math.pi * large)
    return xp.where(x <= _SERIES_END, series * np.exp(-small), asymptotic)


def bessel(order, x, scaled=False):
    """I_order(x), or e^-|x| I_order(x) with ``scaled`` (order 0 or 1), elementwise."""
    x, dtype = _floating(x)
    magnitude = np.abs(x)
    with np.errstate(over="ignore", invalid="ignore"):
        y = _scaled(order, magnitude)
        if not scaled:
            y = y * np.exp(magnitude)
    if order == 1:
        y = np.copysign(y, x)
    return y.astype(dtype)


def _i1_over_x(x, i1):
    """I_1(x) / x (or its scaled form), 1/2 at x = 0, its limit."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return array_module(x).where(x == 0, 0.5, i1 / x)


class I0(Op):
    """y = I_0(x) = sum_k (x/2)^2k / k!^2;  dy/dx = I_1(x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return bessel(0, x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_arrays
        return grad * bessel(1, x)


class I0e(Op):
    """y = e^-|x| I_0(x);  dy/dx = e^-|x| I_1(x) - sign(x) y."""

    @staticmethod
    def forward(ctx, x):
        y = bessel(0, x, scaled=True)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_arrays
        return grad * (bessel(1, x, scaled=True) - np.sign(x) * y)


class I1(Op):
    """y = I_1(x) = sum_k (x/2)^(2k+1) / (k! (k+1)!);  dy/dx = I_0(x) - I_1(x) / x (1/2 at 0)."""

    @staticmethod
    def forward(ctx, x):
        y = bessel(1, x)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_arrays
        return grad * (bessel(0, x) - _i1_over_x(x, y))


class I1e(Op):
    """y = e^-|x| I_1(x);  dy/dx = e^-|x| I_0(x) - y (sign(x) + 1/x) (1/2 at 0)."""

    @staticmethod
    def forward(ctx, x):
        y = bessel(1, x, scaled=True)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_arrays
        return grad * (bessel(0, x, scaled=True) - np.sign(x) * y - _i1_over_x(x, y))
