"""Ops that move elements without changing them: reshape, permute, expand, flip, roll, repeat.

``view``, ``flatten``, ``squeeze`` and ``unsqueeze`` are reshapes; ``transpose``,
``movedim`` and ``T`` are permutations; ``tile`` is a repeat, ``rot90`` a flip and a transpose. Each backward applies the inverse move to the
gradient. The outputs are views of the input where numpy can make them, so
they share its version counter (``is_view``): an in-place change to either is
seen by backward.
"""
import numpy as np

from ..autograd.function import Op
from ..errors import ShapeError
from ._util import unbroadcast


class Reshape(Op):
    """y = x with a new shape of the same number of elements;  dL/dx = dL/dy reshaped back.

    numpy returns a view when the layout allows and a copy otherwise (a transposed
    matrix flattened, say); only a view shares the input's version counter.
    """

    @staticmethod
    def forward(ctx, x, shape):
        ctx.in_shape = x.shape
        try:
            out = x.reshape(shape)
            ctx.is_view = np.may_share_memory(out, x)
            return out
        except ValueError:
            raise ShapeError(
                f"reshape: cannot reshape a tensor of shape {tuple(x.shape)} ({x.size} elements) "
                f"into {tuple(shape)}. The sizes must multiply to {x.size}; use -1 for one size "
                f"to be inferred."
            ) from None

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 2.10: return (dL/dx, None)
        return grad.reshape(ctx.in_shape), None
        ### END SOLUTION


class Permute(Op):
    """y = x with its dimensions reordered by ``dims``;  dL/dx = dL/dy with the inverse order."""

    is_view = True

    @staticmethod
    def forward(ctx, x, dims):
        if sorted(dims) != list(range(x.ndim)):
            raise ShapeError(
                f"permute: dims {tuple(dims)} must be a reordering of 0..{x.ndim - 1} for a tensor "
                f"of shape {tuple(x.shape)}."
            )
        ctx.inverse = tuple(np.argsort(dims))
        return x.transpose(dims)

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 2.10: return (dL/dx, None)
        return grad.transpose(ctx.inverse), None
        ### END SOLUTION


class Expand(Op):
    """y = x broadcast to ``shape`` without copying;  dL/dx = dL/dy summed over the copies."""

    is_view = True

    @staticmethod
    def forward(ctx, x, shape):
        ctx.in_shape = x.shape
        try:
            return np.broadcast_to(x, shape)
        except ValueError:
            raise ShapeError(
                f"expand: cannot expand shape {tuple(x.shape)} to {tuple(shape)}: only dimensions "
                f"of size 1 can grow, and new dimensions go in front."
            ) from None

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 2.10: return (dL/dx, None)
        return unbroadcast(grad, ctx.in_shape), None
        ### END SOLUTION


class Flip(Op):
    """y = x reversed along ``axes``;  dL/dx = dL/dy reversed along the same axes.

    A copy, as PyTorch's ``flip`` (numpy's would be a view with negative strides).
    """

    @staticmethod
    def forward(ctx, x, axes):
        ctx.axes = axes
        return np.flip(x, axes).copy()

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 2.10: return (dL/dx, None)
        return np.flip(grad, ctx.axes), None
        ### END SOLUTION


class Roll(Op):
    """y = x shifted cyclically by ``shifts`` along ``axes`` (the flattened x for None);
    dL/dx = dL/dy shifted back by -shifts."""

    @staticmethod
    def forward(ctx, x, shifts, axes):
        ctx.shifts, ctx.axes = shifts, axes
        return np.roll(x, shifts, axes)

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 2.10: return (dL/dx, None, None)
        return np.roll(grad, tuple(-s for s in ctx.shifts), ctx.axes), None, None
        ### END SOLUTION


class Repeat(Op):
    """y = x tiled ``reps[i]`` times along each dimension i (new leading dims for extra reps);
    dL/dx = dL/dy summed over the tiles."""

    @staticmethod
    def forward(ctx, x, reps):
        ctx.in_shape, ctx.reps = x.shape, reps
        return np.tile(x, reps)

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 2.10: return (dL/dx, None): the gradient summed over the tiles, in x's shape
        shape = (1,) * (len(ctx.reps) - len(ctx.in_shape)) + tuple(ctx.in_shape)
        tiles = [n for rep, size in zip(ctx.reps, shape) for n in (rep, size)]  # (r0, s0, r1, s1, ...)
        summed = grad.reshape(tiles).sum(axis=tuple(range(0, len(tiles), 2)))
        return summed.reshape(ctx.in_shape), None
        ### END SOLUTION
