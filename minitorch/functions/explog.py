"""Exponentials, logarithms and the error functions beyond exp and log (``pointwise.py``).

``log1p``, ``expm1``, ``logaddexp`` and ``xlogy`` exist for accuracy: log(1 + x) for tiny x
loses the digits of x when 1 + x is rounded, and log(e^a + e^b) overflows for large a, b.
``special.py`` computes erf, erfc and erfinv, which numpy lacks.
"""
import math

import numpy as np

from ..autograd.function import Op
from ..device import array_module
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

    op_name = "logaddexp"  # for error messages
    ufunc, power = np.logaddexp, np.exp  # the op, and the exponential of its base

    @staticmethod
    def forward(ctx, a, b):
        _check_broadcast(type(ctx).op_name, a, b)
        ctx.save_for_backward(a, b)
        return type(ctx).ufunc(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_arrays
        power = type(ctx).power
        with np.errstate(invalid="ignore", over="ignore"):
            grad_a = unbroadcast(grad / (1 + power(b - a)), _shape(a)) if ctx.needs_input_grad[0] else None
            grad_b = unbroadcast(grad / (1 + power(a - b)), _shape(b)) if ctx.needs_input_grad[1] else None
        return grad_a, grad_b


class LogAddExp2(LogAddExp):
    """z = log2(2^a + 2^b);  dz/da = 1 / (1 + 2^(b - a)), dz/db = 1 / (1 + 2^(a - b)) (numpy's
    logaddexp2, which never overflows)."""

    op_name = "logaddexp2"
    ufunc, power = np.logaddexp2, np.exp2


class XLogY(Op):
    """z = x ln y, 0 where x = 0 unless y is NaN;  dz/dx = ln y (0 where x = 0 and y <= 0), dz/dy = x / y."""

    op_name = "xlogy"  # for error messages
    log, shift = np.log, 0  # z = x log(y), log(y) = ln(y + shift) (xlog1py: np.log1p, 1)

    @staticmethod
    def forward(ctx, x, y):
        _check_broadcast(type(ctx).op_name, x, y)
        if not hasattr(y, "dtype"):  # a Python number: in x's dtype, as PyTorch (np.log would give float64)
            y = array_module(x).asarray(y, dtype=x.dtype)
        ctx.save_for_backward(x, y)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where((x == 0) & ~np.isnan(y), 0, x * type(ctx).log(y))

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_arrays
        log, shift = type(ctx).log, type(ctx).shift
        grad_x = grad_y = None
        with np.errstate(divide="ignore", invalid="ignore"):
            if ctx.needs_input_grad[0]:
                grad_x = unbroadcast(np.where((x == 0) & (y <= -shift), 0, grad * log(y)), _shape(x))
            if ctx.needs_input_grad[1]:
                grad_y = unbroadcast(grad * x / (y + shift), _shape(y))
        return grad_x, grad_y
