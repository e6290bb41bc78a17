"""Softmax and log-softmax along one dimension, stable for logits of any size.

softmax(x)_i = e^(x_i - m) / sum_j e^(x_j - m) with m = max_j x_j: subtracting
the maximum changes nothing mathematically but keeps every exponent <= 0, so
nothing overflows. log_softmax(x)_i = x_i - logsumexp(x), computed the same way.

On the "cuda" device softmax runs the row-softmax CUDA kernel (``kernels/softmax.py``)
over the last dimension; another ``dim`` is moved last first.
"""
import numpy as np

from .. import cuda
from ..autograd.function import Op


def _on_last_dim(kernel, dim, *arrays):
    """Apply a last-dimension kernel to ``arrays`` along ``dim``, moving it last and back."""
    moved = [np.moveaxis(a, dim, -1) for a in arrays]
    return np.moveaxis(kernel(*moved), -1, dim)


class Softmax(Op):
    """y = softmax(x) along ``dim``;  dL/dx = y * (dL/dy - sum_j dL/dy_j y_j)."""

    @staticmethod
    def forward(ctx, x, dim):
        if ctx.device == "cuda":
            y = _on_last_dim(cuda.kernels().softmax.softmax, dim, x)
        else:
            e = np.exp(x - x.max(axis=dim, keepdims=True))
            y = e / e.sum(axis=dim, keepdims=True)
        ctx.save_for_backward(y)
        ctx.dim = dim
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_arrays
        if ctx.device == "cuda":
            return _on_last_dim(cuda.kernels().softmax.softmax_backward, ctx.dim, y, grad), None
        ### BEGIN SOLUTION 3.3: return dL/dx = y * (dL/dy - sum_j dL/dy_j y_j) along ctx.dim, and None for dim
        return y * (grad - (grad * y).sum(axis=ctx.dim, keepdims=True)), None
        ### END SOLUTION


class LogSoftmax(Op):
    """y = x - logsumexp(x) along ``dim``;  dL/dx = dL/dy - softmax(x) * sum_j dL/dy_j."""

    @staticmethod
    def forward(ctx, x, dim):
        shifted = x - x.max(axis=dim, keepdims=True)
        y = shifted - np.log(np.exp(shifted).sum(axis=dim, keepdims=True))
        ctx.save_for_backward(y)
        ctx.dim = dim
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_arrays
        ### BEGIN SOLUTION 3.4: return dL/dx = dL/dy - softmax(x) * sum_j dL/dy_j along ctx.dim, and None for dim
        return grad - np.exp(y) * grad.sum(axis=ctx.dim, keepdims=True), None
        ### END SOLUTION
