"""Reductions over ``dim`` (an int, a tuple of ints, or None for all): sum, mean, max, min, var, logsumexp,
prod, norm.

Every reduction's backward has the same shape problem: the gradient arrives
with the reduced dimensions gone (or kept as size 1), and must be spread back
over them: ``_expand_back`` does it for all of them.
The ``axes`` argument is already a tuple of non-negative dims (see ``Tensor.sum``).
"""
import numpy as np

from ..autograd.function import Op
from ..device import array_module
from ._util import keepdim_shape


def _expand_back(grad, shape, axes):
    """Broadcast a reduction's gradient back to the input's ``shape``."""
    ### BEGIN SOLUTION 2.4: return grad, which lacks the reduced axes (or has them as size 1), broadcast to shape
    return np.broadcast_to(grad.reshape(keepdim_shape(shape, axes)), shape)
    ### END SOLUTION


class Sum(Op):
    """y = sum_i x_i over ``axes``;  dy/dx_i = 1."""

    @staticmethod
    def forward(ctx, x, axes, keepdim):
        ### BEGIN SOLUTION 2.4: return the sum over axes (keepdim as PyTorch), keeping what backward needs
        ctx.shape, ctx.axes = x.shape, axes
        return x.sum(axis=axes, keepdims=keepdim)
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 2.4: return dL/dx in x's shape
        return _expand_back(grad, ctx.shape, ctx.axes)
        ### END SOLUTION


class Mean(Op):
    """y = (1/n) sum_i x_i over ``axes``;  dy/dx_i = 1/n."""

    @staticmethod
    def forward(ctx, x, axes, keepdim):
        ### BEGIN SOLUTION 2.4: return the mean over axes (keepdim as PyTorch), keeping what backward needs
        ctx.shape, ctx.axes = x.shape, axes
        ctx.count = int(np.prod([x.shape[a] for a in axes]))
        return x.mean(axis=axes, keepdims=keepdim)
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 2.4: return dL/dx in x's shape
        return _expand_back(grad / ctx.count, ctx.shape, ctx.axes)
        ### END SOLUTION


class Max(Op):
    """y = max_i x_i over ``axes``;  dy/dx_i = 1 for the maximum, 0 elsewhere.

    When several elements tie for the maximum, the gradient is shared equally
    between them (a valid subgradient, and what PyTorch's ``amax`` does).
    """

    reduce = staticmethod(np.max)

    @classmethod
    def forward(cls, ctx, x, axes, keepdim):
        ### BEGIN SOLUTION 2.9: return the maximum (cls.reduce: min for Min) over axes, keeping how the gradient is shared among tied winners
        kept = cls.reduce(x, axis=axes, keepdims=True)
        winners = x == kept
        ctx.share = winners / winners.sum(axis=axes, keepdims=True)
        ctx.shape, ctx.axes = x.shape, axes
        return kept if keepdim else kept.reshape([s for i, s in enumerate(x.shape) if i not in axes])
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 2.9: return dL/dx: to the winners only, shared equally on ties
        return _expand_back(grad, ctx.shape, ctx.axes) * ctx.share
        ### END SOLUTION


class Min(Max):
    """y = min_i x_i over ``axes``; the gradient goes to the minimum (shared equally on ties)."""

    reduce = staticmethod(np.min)


class Var(Op):
    """y = sum_i (x_i - mean)^2 / (n - correction);  dy/dx_i = 2 (x_i - mean) / (n - correction).

    ``correction=1`` (the default, as in PyTorch) is the unbiased sample variance.
    """

    @staticmethod
    def forward(ctx, x, axes, keepdim, correction):
        ### BEGIN SOLUTION 2.9: return the variance over axes with Bessel's correction (inf/nan where n <= correction, no warning), in x's dtype, keeping what backward needs
        n = int(np.prod([x.shape[a] for a in axes]))
        ctx.divisor = max(n - correction, 0)
        ctx.centered = x - x.mean(axis=axes, keepdims=True)
        ctx.shape, ctx.axes = x.shape, axes
        with np.errstate(divide="ignore", invalid="ignore"):
            out = (ctx.centered**2).sum(axis=axes, keepdims=keepdim) / ctx.divisor
        return out.astype(x.dtype, copy=False)
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 2.9: return dL/dx (no warning where n <= correction)
        with np.errstate(divide="ignore", invalid="ignore"):
            return _expand_back(grad, ctx.shape, ctx.axes) * (2 * ctx.centered / ctx.divisor)
        ### END SOLUTION


class Std(Op):
    """y = sqrt(var(x));  dy/dx_i = (x_i - mean) / ((n - correction) y), and 0 where y = 0.

    Its own op, not ``var().sqrt()``: for a constant x the chain rule would multiply sqrt's
    infinite slope at 0 by var's zero one, giving NaN; PyTorch (and this op) give 0 there.
    """

    @staticmethod
    def forward(ctx, x, axes, keepdim, correction):
        ### BEGIN SOLUTION 2.9: return the standard deviation (as Var), keeping what backward needs
        ctx.y = np.sqrt(Var.forward(ctx, x, axes, keepdim, correction))
        return ctx.y
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 2.9: return dL/dx, 0 where the deviation is 0
        xp = array_module(grad)
        with np.errstate(divide="ignore", invalid="ignore"):
            grad_var = xp.where(ctx.y > 0, grad / (2 * ctx.y), 0)
        return Var.backward(ctx, grad_var)
        ### END SOLUTION


class LogSumExp(Op):
    """y = log sum_i e^(x_i), computed as m + log sum_i e^(x_i - m) with m = max x (no overflow);
    dy/dx_i = e^(x_i - y), the softmax of x."""

    @staticmethod
    def forward(ctx, x, axes, keepdim):
        ### BEGIN SOLUTION 2.9: return log sum exp over axes without overflow (-inf for an empty sum, no warning), keeping what backward needs
        if x.size:
            m = np.max(x, axis=axes, keepdims=True)
            m = np.where(np.isfinite(m), m, 0)
        else:  # nothing to sum: log 0 = -inf
            m = array_module(x).zeros(keepdim_shape(x.shape, axes), dtype=x.dtype)
        with np.errstate(divide="ignore"):
            kept = m + np.log(np.exp(x - m).sum(axis=axes, keepdims=True))
        ctx.save_for_backward(x)
        ctx.kept, ctx.axes = kept, axes
        return kept if keepdim else kept.reshape([s for i, s in enumerate(x.shape) if i not in axes])
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 2.9: return dL/dx
        (x,) = ctx.saved_arrays
        return _expand_back(grad, x.shape, ctx.axes) * np.exp(x - ctx.kept)
        ### END SOLUTION


class Prod(Op):
    """y = prod_i x_i over ``axes``;  dy/dx_i = prod_{k != i} x_k.

    The product of the others is formed without dividing by x_i (the product before i times the
    product after i), so that zeros get their exact gradient, as in PyTorch: with one zero only
    the zero's own gradient is nonzero, with two or more every gradient is 0.
    """

    @staticmethod
    def forward(ctx, x, axes, keepdim):
        ctx.save_for_backward(x)
        ctx.axes = axes
        return np.prod(x, axis=axes, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 2.9: return dL/dx: the product of the other elements, exact with zeros (no division)
        (x,) = ctx.saved_arrays
        xp, axes, rest = array_module(x), ctx.axes, x.ndim - len(ctx.axes)
        ends = tuple(range(rest, x.ndim))
        moved = xp.moveaxis(x, axes, ends)  # the reduced axes last, then flattened into one
        rows = moved.reshape(moved.shape[:rest] + (-1,))
        ones = xp.ones(rows.shape[:-1] + (1,), dtype=x.dtype)
        before = xp.cumprod(xp.concatenate([ones, rows], axis=-1), axis=-1)[..., :-1]
        after = xp.flip(xp.cumprod(xp.concatenate([ones, xp.flip(rows, -1)], axis=-1), axis=-1)[..., :-1], -1)
        others = xp.moveaxis((before * after).reshape(moved.shape), ends, axes)
        return _expand_back(grad, x.shape, axes) * others
        ### END SOLUTION


class Norm(Op):
    """y = (sum_i |x_i|^p)^(1/p) over ``axes`` (p = inf: max |x_i|, -inf: min |x_i|, 0: the count of nonzeros);
    dy/dx_i = sign(x_i) |x_i|^(p-1) / y^(p-1).

    Where y = 0 the gradient is 0 (PyTorch's subgradient at the origin); for p = +-inf it goes to
    the elements of largest (smallest) |x_i|, shared equally on ties; for p = 0 it is 0.
    """

    @staticmethod
    def forward(ctx, x, p, axes, keepdim):
        magnitude = np.abs(x)
        if p == 0:
            y = (x != 0).sum(axis=axes, keepdims=True).astype(x.dtype)
        elif np.isinf(p):
            y = (np.max if p > 0 else np.min)(magnitude, axis=axes, keepdims=True)
        else:
            y = (magnitude**p).sum(axis=axes, keepdims=True) ** (1 / p)
        ctx.save_for_backward(x)
        ctx.y, ctx.p, ctx.axes = y, p, axes
        return y if keepdim else y.reshape([s for i, s in enumerate(x.shape) if i not in axes])

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_arrays
        xp, p, y = array_module(x), ctx.p, ctx.y
        grad = _expand_back(grad, x.shape, ctx.axes)
        if p == 0:
            return xp.zeros(x.shape, dtype=grad.dtype)
        magnitude = xp.abs(x)
        if np.isinf(p):
            winners = magnitude == y
            return grad * xp.sign(x) * winners / winners.sum(axis=ctx.axes, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = xp.sign(x) * (magnitude / y) ** (p - 1)
        return grad * xp.where((y == 0) | (x == 0), 0, slope)
