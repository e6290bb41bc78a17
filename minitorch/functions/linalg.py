"""Matrix multiplication for 1-D, 2-D and batched (broadcast) operands, as ``numpy.matmul``.

For C = A @ B with A (.., m, k) and B (.., k, n):
    dL/dA = dL/dC @ B^T        (.., m, n) @ (.., n, k) -> (.., m, k)
    dL/dB = A^T @ dL/dC        (.., k, m) @ (.., m, n) -> (.., k, n)
A 1-D operand is treated as a row (for A) or a column (for B) and the added
dimension removed again; batch dimensions that were broadcast are summed back.

On the "cuda" device every product, forward and backward, runs the
register-blocked CUDA kernel (``kernels/matmul.py``); transposes are strided
views that the kernel reads without copying.
"""
import math

import numpy as np

from .. import cuda
from ..autograd.function import Op
from ..errors import ShapeError
from ._util import unbroadcast


def _explain_matmul_error(a, b):
    """Called when numpy refused the shapes: raise a ShapeError that says why."""
    if a.ndim == 0 or b.ndim == 0:
        raise ShapeError(
            f"matmul: both operands need at least one dimension, got a {min(a.ndim, b.ndim)}-D operand: shapes {tuple(a.shape)} and "
            f"{tuple(b.shape)}. Use * to multiply by a scalar."
        )
    k_a = a.shape[-1]
    k_b = b.shape[0] if b.ndim == 1 else b.shape[-2]
    if k_a != k_b:
        raise ShapeError(
            f"matmul: shapes {tuple(a.shape)} and {tuple(b.shape)} do not line up: the last "
            f"dimension of the first ({k_a}) must equal the "
            f"{'only' if b.ndim == 1 else 'second-to-last'} dimension of the second ({k_b}). "
            f"Did you mean to transpose one of them?"
        )
    if a.ndim > 2 and b.ndim > 2:
        try:
            np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
        except ValueError:
            raise ShapeError(
                f"matmul: batch dimensions {tuple(a.shape[:-2])} and {tuple(b.shape[:-2])} of shapes "
                f"{tuple(a.shape)} and {tuple(b.shape)} cannot be broadcast together."
            ) from None


def product(ctx, a, b):
    """a @ b with numpy.matmul's rules: numpy on the CPU, the CUDA matmul kernel on "cuda"."""
    try:
        if ctx.device == "cuda":
            return cuda.kernels().matmul.matmul(a, b)
        return np.matmul(a, b)
    except ValueError:
        _explain_matmul_error(a, b)
        raise


class MatMul(Op):
    """C = A @ B;  dL/dA = dL/dC @ B^T,  dL/dB = A^T @ dL/dC (see the module docstring)."""

    op_name = "matmul"  # for error messages

    @staticmethod
    def forward(ctx, a, b):
        ### BEGIN SOLUTION 2.5: return a @ b with numpy.matmul's rules (product runs it, the CUDA kernel on cuda), saving what backward needs
        out = product(ctx, a, b)
        ctx.save_for_backward(a, b)
        return out
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 2.5: return dL/da, dL/db (None where not needed) for 1-D, 2-D and batch-broadcast operands, with product
        a, b = ctx.saved_arrays
        a2 = a[None, :] if a.ndim == 1 else a
        b2 = b[:, None] if b.ndim == 1 else b
        g2 = grad  # put back the dims a 1-D operand dropped: b's column first, then a's row
        if b.ndim == 1:
            g2 = np.expand_dims(g2, -1)
        if a.ndim == 1:
            g2 = np.expand_dims(g2, -2)
        grad_a = grad_b = None
        if ctx.needs_input_grad[0]:
            grad_a = unbroadcast(product(ctx, g2, np.swapaxes(b2, -1, -2)), a2.shape).reshape(a.shape)
        if ctx.needs_input_grad[1]:
            grad_b = unbroadcast(product(ctx, np.swapaxes(a2, -1, -2), g2), b2.shape).reshape(b.shape)
        return grad_a, grad_b
        ### END SOLUTION


def _rows(a):
    """``a`` as a matrix of its last dimension's rows (also when that dimension has size 0)."""
    return a.reshape(math.prod(a.shape[:-1]), a.shape[-1])


class Linear(Op):
    """y = x W^T + b for x (..., in), W (out, in), b (out,) or None: PyTorch's ``F.linear``.

    One op instead of transpose, matmul and add: fewer graph nodes, and the weight's
    gradient comes out in the weight's own (out, in) layout, with no transposed copy:
        dL/dx = dL/dy W,    dL/dW = (dL/dy)^T x,    dL/db = sum of dL/dy over the batch.
    Leading dimensions of x are flattened into one batch dimension, so that every product is
    one 2-D product (numpy's batched matmul would run one small product per leading index:
    about 1.5x slower for a transformer's (batch, time, features) input). With a batch of one
    row, dL/dW is an outer product, computed as a broadcast multiply: the same numbers, and
    about 3x faster than numpy's matmul with an inner dimension of 1.
    """

    @staticmethod
    def forward(ctx, x, weight, bias):
        ctx.save_for_backward(x, weight)
        out = product(ctx, _rows(x), weight.T).reshape(*x.shape[:-1], weight.shape[0])
        return out if bias is None else out + bias

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_arrays
        grad_2d = _rows(grad)
        grad_x = product(ctx, grad_2d, weight).reshape(x.shape) if ctx.needs_input_grad[0] else None
        grad_w = None
        if ctx.needs_input_grad[1]:
            x_2d = _rows(x)
            grad_w = grad_2d.T * x_2d if len(x_2d) == 1 else product(ctx, grad_2d.T, x_2d)
        grad_b = grad_2d.sum(axis=0) if ctx.needs_input_grad[2] else None
        return grad_x, grad_w, grad_b
