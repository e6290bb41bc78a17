"""The terms of entropies and log-likelihoods that must be 0 where their factor is 0: entr(x) = -x ln x
and xlog1py(x, y) = x ln(1 + y) (``explog.py`` has xlogy). Without the special case, 0 * ln 0 is
0 * -inf = NaN, and one empty bin of a histogram would make a whole entropy NaN.
"""
import numpy as np

from ..autograd.function import Op
from ..device import array_module
from .explog import XLogY


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


class XLog1pY(XLogY):
    """z = x ln(1 + y), 0 where x = 0 unless y is NaN;  dz/dx = ln(1 + y) (0 where x = 0 and y <= -1),
    dz/dy = x / (1 + y): ``XLogY`` with log1p, accurate for small y."""

    op_name = "xlog1py"  # for error messages
    log, shift = np.log1p, 1
