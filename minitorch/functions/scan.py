"""Scans along one ``axis``: running sums, products, log-sum-exps, and the positions of running extremes.

A scan keeps every partial result: y_j combines x_0 ... x_j. So x_i reaches every y_j with
j >= i, and each backward is a *reverse* scan of the incoming gradient (``_reverse_cumsum``).
"""
import numpy as np

from ..autograd.function import Op
from ..device import array_module


def _reverse_cumsum(a, axis):
    """out_i = sum_{j >= i} a_j along ``axis``: what every backward of a running sum needs."""
    return np.flip(np.cumsum(np.flip(a, axis), axis=axis), axis)


def running(combine, a, axis):
    """The inclusive scan of ``a`` along ``axis`` with an associative ``combine`` (np.maximum, np.logaddexp...).

    Hillis and Steele's parallel scan: after the step with shift s, out_j combines x_(j-2s+1) .. x_j;
    doubling s reaches every x_i <= x_j in log2(n) whole-array steps (cupy has no ufunc.accumulate).
    """
    out = array_module(a).moveaxis(a, axis, -1).copy()
    shift = 1
    while shift < out.shape[-1]:
        out[..., shift:] = combine(out[..., shift:], out[..., :-shift])
        shift *= 2
    return array_module(a).moveaxis(out, -1, axis)


def _logcumsumexp(x, axis):
    """y_j = log sum_{i <= j} e^(x_i), without overflow: a running ``logaddexp``."""
    return running(array_module(x).logaddexp, x, axis)


class CumSum(Op):
    """y_j = sum_{i <= j} x_i;  dL/dx_i = sum_{j >= i} dL/dy_j."""

    @staticmethod
    def forward(ctx, x, axis):
        ctx.axis = axis
        return np.cumsum(x, axis=axis)

    @staticmethod
    def backward(ctx, grad):
        return _reverse_cumsum(grad, ctx.axis)


class CumProd(Op):
    """y_j = prod_{i <= j} x_i;  dL/dx_i = sum_{j >= i} dL/dy_j * prod_{k <= j, k != i} x_k.

    Without zeros the product without x_i is y_j / x_i. A slice with zeros is split at its
    first zero z: before z the division is safe (every y_j from z on is 0, as it should be);
    at z the product without x_z is the running product with x_z replaced by 1; after z every
    product still holds x_z = 0, so the gradient is 0. This is exact, as PyTorch's.
    """

    @staticmethod
    def forward(ctx, x, axis):
        y = np.cumprod(x, axis=axis)
        ctx.save_for_backward(x, y)
        ctx.axis = axis
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_arrays
        xp, axis = array_module(x), ctx.axis
        if x.shape[axis] == 0:  # an empty scan: no elements, no first zero to look for
            return grad
        zero = x == 0
        position = xp.arange(x.shape[axis]).reshape([-1 if a == axis else 1 for a in range(x.ndim)])
        first_zero = xp.where(zero.any(axis=axis, keepdims=True), xp.argmax(zero, axis=axis, keepdims=True),
                              x.shape[axis])
        before = _reverse_cumsum(grad * y, axis) / xp.where(zero, 1, x)
        without_zero = xp.cumprod(xp.where(position == first_zero, 1, x), axis=axis)
        at_zero = _reverse_cumsum(grad * without_zero, axis)
        return xp.where(position < first_zero, before, xp.where(position == first_zero, at_zero, 0))


class LogCumSumExp(Op):
    """y_j = log sum_{i <= j} e^(x_i);  dL/dx_i = sum_{j >= i} dL/dy_j e^(x_i - y_j).

    Backward sums in log space, the positive and negative parts of dL/dy apart, so that neither
    e^(x_i) nor e^(-y_j) is ever formed: no overflow for large |x|.
    """

    @staticmethod
    def forward(ctx, x, axis):
        y = _logcumsumexp(x, axis)
        ctx.save_for_backward(x, y)
        ctx.axis = axis
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_arrays
        axis = ctx.axis

        def part(g):  # log sum_{j >= i} g_j e^(-y_j), for g >= 0
            with np.errstate(divide="ignore"):
                return np.flip(_logcumsumexp(np.flip(np.log(g) - y, axis), axis), axis)

        return np.exp(x + part(np.maximum(grad, 0))) - np.exp(x + part(np.maximum(-grad, 0)))


class CumExtremeIndex(Op):
    """The index of the running maximum (or minimum) along ``axis``: i_j = argmax_{i <= j} x_i, int64.

    On ties the latest index wins, as in PyTorch; a NaN, once met, stays the extreme. The values
    are ``x`` taken at these indices (``sort.TakeAlong``), which carries the gradient.
    """

    differentiable = False

    @staticmethod
    def forward(ctx, x, axis, largest):
        xp = array_module(x)
        moved = xp.moveaxis(x, axis, -1)
        n = moved.shape[-1]
        extreme = running(xp.fmax if largest else xp.fmin, moved, -1)
        if x.dtype.kind == "f":  # fmax skips NaN; PyTorch's running extreme becomes NaN and stays
            extreme = xp.where(running(xp.maximum, xp.isnan(moved), -1), xp.nan, extreme)
        hits = (moved == extreme) | (xp.isnan(moved) & xp.isnan(extreme))
        index = xp.where(hits, xp.arange(n), -1)
        return xp.moveaxis(running(xp.maximum, index, -1), -1, axis).astype(np.int64)
