"""Exponentials, logarithms and the error functions beyond exp and log (``pointwise.py``).

``log1p``, ``expm1``, ``logaddexp`` and ``xlogy`` exist for accuracy: log(1 + x) for tiny x
loses the digits of x when 1 + x is rounded, and log(e^a + e^b) overflows for large a, b.
``special.py`` computes erf, erfc and erfinv, which numpy lacks.
"""
import math

import numpy as np

from ..autograd.function import Op
from ._util import unbroadcast
from .arithmetic import _check_broadcast, _shape
from .special import erf, erfc, erfinv

_LN2 = math.log(2)
_LN10 = math.log(10)
_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)


class Log2(Op):
    """y = log2 x;  dy/dx = 1 / (x ln 2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.log2(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_arrays
        return grad / (x * _LN2)


class Log10(Op):
    """y = log10 x;  dy/dx = 1 / (x ln 10)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.log10(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_arrays
        return grad / (x * _LN10)


class Log1p(Op):
    """y = ln(1 + x), accurate for tiny x;  dy/dx = 1 / (1 + x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.log1p(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_arrays
        return grad / (1 + x)


class Exp2(Op):
    """y = 2^x;  dy/dx = 2^x ln 2 = y ln 2."""

    @staticmethod
    def forward(ctx, x):
        y = np.exp2(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_arrays
        return grad * y * _LN2


class Expm1(Op):
    """y = e^x - 1, accurate for tiny x;  dy/dx = e^x = y + 1."""

    @staticmethod
    def forward(ctx, x):
        y = np.expm1(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_arrays
        return grad * (y + 1)


class Erf(Op):
    """y = erf x = 2/sqrt(pi) * integral_0^x e^(-t^2) dt;  dy/dx = 2/sqrt(pi) e^(-x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return erf(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_arrays
        return grad * _TWO_OVER_SQRT_PI * np.exp(-x * x)


class Erfc(Op):
    """y = erfc x = 1 - erf x, without cancellation for large x;  dy/dx = -2/sqrt(pi) e^(-x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return erfc(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_arrays
        return -grad * _TWO_OVER_SQRT_PI * np.exp(-x * x)


class Erfinv(Op):
    """y = erf^-1(x) on (-1, 1);  dy/dx = sqrt(pi)/2 e^(y^2) (the reciprocal of erf's slope at y)."""

    @staticmethod
    def forward(ctx, x):
        y = erfinv(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_arrays
        return grad * np.exp(y * y) / _TWO_OVER_SQRT_PI


class LogAddExp(Op):
    """z = ln(e^a + e^b);  dz/da = 1 / (1 + e^(b - a)), dz/db = 1 / (1 + e^(a - b)).

    numpy's logaddexp computes max + ln(1 + e^-|a - b|), which never overflows.
    """

    @staticmethod
    def forward(ctx, a, b):
        _check_broadcast("logaddexp", a, b)
        ctx.save_for_backward(a, b)
        return np.logaddexp(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_arrays
        with np.errstate(invalid="ignore", over="ignore"):
            grad_a = unbroadcast(grad / (1 + np.exp(b - a)), _shape(a)) if ctx.needs_input_grad[0] else None
            grad_b = unbroadcast(grad / (1 + np.exp(a - b)), _shape(b)) if ctx.needs_input_grad[1] else None
        return grad_a, grad_b


class XLogY(Op):
    """z = x ln y, 0 where x = 0 unless y is NaN;  dz/dx = ln y (0 where x = 0 and y <= 0), dz/dy = x / y."""

    @staticmethod
    def forward(ctx, x, y):
        _check_broadcast("xlogy", x, y)
        ctx.save_for_backward(x, y)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where((x == 0) & ~np.isnan(y), 0, x * np.log(y))

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_arrays
        grad_x = grad_y = None
        with np.errstate(divide="ignore", invalid="ignore"):
            if ctx.needs_input_grad[0]:
                grad_x = unbroadcast(np.where((x == 0) & (y <= 0), 0, grad * np.log(y)), _shape(x))
            if ctx.needs_input_grad[1]:
                grad_y = unbroadcast(grad * x / y, _shape(y))
        return grad_x, grad_y
