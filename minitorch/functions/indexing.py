"""Selecting and combining: ``x[index]``, cat, stack, where, masked_fill.

Selection's backward scatters the gradient back into a zero array shaped like
the input. With integer-array indices one element may be picked twice, so the
scatter must add (``scatter_add``, i.e. ``np.add.at``), not assign.
"""
import numpy as np

from ..autograd.function import Op
from ..errors import ShapeError
from ._util import broadcast_shapes, scatter_add, unbroadcast


def _has_integer_array(index):
    """Whether ``index`` holds an integer array (numpy or cupy), which may pick an element twice."""
    parts = index if isinstance(index, tuple) else (index,)
    return any(np.ndim(p) > 0 and p.dtype.kind in "iu" for p in parts if hasattr(p, "dtype"))


class GetItem(Op):
    """y = x[index] (slices, ints, None, ..., integer arrays, boolean masks);
    dL/dx = zeros with dL/dy added at the selected places."""

    @staticmethod
    def forward(ctx, x, index):
        ctx.shape, ctx.dtype, ctx.index = x.shape, x.dtype, index
        try:
            out = x[index]
        except IndexError as e:
            raise IndexError(f"indexing a tensor of shape {tuple(x.shape)} with {index!r}: {e}") from None
        # Slices and ints give a view of x (writing to it writes to x); index arrays give a copy.
        ctx.is_view = np.may_share_memory(out, x)
        return out

    @staticmethod
    def backward(ctx, grad):
        full = np.zeros_like(grad, shape=ctx.shape)
        if _has_integer_array(ctx.index):
            scatter_add(full, ctx.index, grad)
        else:
            full[ctx.index] = grad
        return full, None


class Cat(Op):
    """y = the inputs joined along ``dim``;  each input's gradient is its slice of dL/dy."""

    @staticmethod
    def forward(ctx, dim, *xs):
        ctx.dim = dim
        ctx.ends = np.cumsum([x.shape[dim] for x in xs])[:-1]
        try:
            return np.concatenate(xs, axis=dim)
        except ValueError:
            shapes = ", ".join(str(tuple(x.shape)) for x in xs)
            raise ShapeError(
                f"cat: tensors of shapes {shapes} cannot be joined along dim {dim}: all other "
                f"dimensions must match."
            ) from None

    @staticmethod
    def backward(ctx, grad):
        return (None, *np.split(grad, ctx.ends, axis=ctx.dim))


class Stack(Op):
    """y = the inputs stacked along a new dimension ``dim``;  each gets its slice of dL/dy."""

    @staticmethod
    def forward(ctx, dim, *xs):
        ctx.dim = dim
        if len({x.shape for x in xs}) > 1:
            shapes = ", ".join(str(tuple(x.shape)) for x in xs)
            raise ShapeError(f"stack: all tensors must have the same shape, got {shapes}.")
        return np.stack(xs, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        return (None, *np.moveaxis(grad, ctx.dim, 0))


class Where(Op):
    """y = a where condition else b;  dL/da = dL/dy where condition, dL/db = dL/dy elsewhere."""

    @staticmethod
    def forward(ctx, condition, a, b):
        broadcast_shapes("where", np.shape(condition), np.shape(a), np.shape(b))
        ctx.condition, ctx.shapes = condition, (np.shape(a), np.shape(b))
        return np.where(condition, a, b)

    @staticmethod
    def backward(ctx, grad):
        zero = grad.dtype.type(0)  # a numpy scalar: it mixes with numpy and cupy arrays alike
        grad_a = unbroadcast(np.where(ctx.condition, grad, zero), ctx.shapes[0]) if ctx.needs_input_grad[1] else None
        grad_b = unbroadcast(np.where(ctx.condition, zero, grad), ctx.shapes[1]) if ctx.needs_input_grad[2] else None
        return None, grad_a, grad_b


class MaskedFill(Op):
    """y = x with ``value`` where mask is True;  dL/dx = dL/dy where mask is False, else 0."""

    @staticmethod
    def forward(ctx, x, mask, value):
        if broadcast_shapes("masked_fill", x.shape, mask.shape) != x.shape:
            raise ShapeError(
                f"masked_fill: the mask of shape {tuple(mask.shape)} must broadcast to the tensor's "
                f"shape {tuple(x.shape)}."
            )
        ctx.mask = mask
        return np.where(mask, x.dtype.type(value), x)

    @staticmethod
    def backward(ctx, grad):
        return np.where(ctx.mask, grad.dtype.type(0), grad), None, None
