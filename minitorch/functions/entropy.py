"""The terms of entropies and log-likelihoods that must be 0 where their factor is 0: entr(x) = -x ln x
and xlog1py(x, y) = x ln(1 + y) (``explog.py`` has xlogy). Without the special case, 0 * ln 0 is
0 * -inf = NaN, and one empty bin of a histogram would make a whole entropy NaN.
"""
import numpy as np

from ..autograd.function import Op
from ..device import array_module
from ._util import unbroadcast
from .arithmetic import _check_broadcast, _shape


class Entr(Op):
    """y = -x ln x (0 at x = 0, -inf for x < 0);  dy/dx = -(ln x + 1)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        xp = array_module(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            y = xp.where(x > 0, -x * np.log(xp.where(x > 0, x, 1)), xp.where(x == 0, 0.0, -xp.inf))
        return xp.where(np.isnan(x), x, y).astype(x.dtype)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_arrays
        with np.errstate(divide="ignore", invalid="ignore"):
            return grad * -(np.log(x) + 1)


class XLog1pY(Op):
    """z = x ln(1 + y), 0 where x = 0 unless y is NaN;  dz/dx = ln(1 + y) (0 where x = 0 and y <= -1),
    dz/dy = x / (1 + y)."""

    @staticmethod
    def forward(ctx, x, y):
        _check_broadcast("xlog1py", x, y)
        if not hasattr(y, "dtype"):  # a Python number: in x's dtype, as PyTorch
            y = array_module(x).asarray(y, dtype=x.dtype)
        ctx.save_for_backward(x, y)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where((x == 0) & ~np.isnan(y), 0, x * np.log1p(y))

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_arrays
        grad_x = grad_y = None
        with np.errstate(divide="ignore", invalid="ignore"):
            if ctx.needs_input_grad[0]:
                grad_x = unbroadcast(np.where((x == 0) & (y <= -1), 0, grad * np.log1p(y)), _shape(x))
            if ctx.needs_input_grad[1]:
                grad_y = unbroadcast(grad * x / (1 + y), _shape(y))
        return grad_x, grad_y
