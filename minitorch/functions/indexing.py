"""Selecting and combining: ``x[index]``, ``x.index_put(index, values)``, cat, stack, where,
masked_fill, nonzero.

Selection's backward scatters the gradient back into a zero array shaped like
the input. With integer-array indices one element may be picked twice, so the
scatter must add (``scatter_add``, i.e. ``np.add.at``), not assign. ``IndexPut`` is
the other way round (writing at an index; its backward selects): ``scatter``, ``index_add``,
``index_copy``, ``put``, ``masked_scatter`` and ``diag_embed`` are made of it.

PyTorch and numpy place the dimensions of index arrays the same way (in place when
the index arrays are next to each other, else first) except for plain ints: numpy counts
an int as an index array, PyTorch applies the ints first. ``torch_steps`` splits such an
index into the two numpy indexes that give PyTorch's result.
"""
import numbers

import numpy as np

from ..autograd.function import Op
from ..errors import ShapeError
from ._util import broadcast_shapes, scatter_add, unbroadcast


def _has_integer_array(index):
    """Whether ``index`` holds an integer array (numpy or cupy), which may pick an element twice."""
    parts = index if isinstance(index, tuple) else (index,)
    return any(np.ndim(p) > 0 and p.dtype.kind in "iu" for p in parts if hasattr(p, "dtype"))


def _is_int(part):
    """A plain int, or a 0-d integer array (a 0-d int tensor indexes as an int in PyTorch)."""
    if isinstance(part, (bool, np.bool_)):
        return False
    return isinstance(part, numbers.Integral) or (hasattr(part, "dtype") and part.ndim == 0 and part.dtype.kind in "iu")


def _is_array(part):
    return hasattr(part, "dtype") and part.ndim > 0


def torch_steps(index):
    """``index`` as a list of numpy indexes applied one after the other, giving PyTorch's result.

    One step, unless the index mixes ints with index arrays: then the ints (with the slices,
    None and ...) go first, and the index arrays second, on what is left, as PyTorch does.
    ``x[0, :, [0, 1, 2]]`` on a (2, 3, 3) tensor is (3, 3) with rows along the slice, where
    numpy would put the picked dimension first. The first step is a view, so a write through
    both steps lands in x.
    """
    ### BEGIN SOLUTION 2.11: return the list of numpy indexes that, applied in turn, give PyTorch's result for index (ints with index arrays: the ints first)
    parts = index if isinstance(index, tuple) else (index,)
    if not (any(_is_int(p) for p in parts) and any(_is_array(p) for p in parts)):
        return [index]
    basic, advanced = [], []
    for p in parts:
        if _is_int(p):
            basic.append(int(p))
        elif _is_array(p):  # a k-d bool mask spans k dimensions
            basic.extend([slice(None)] * (p.ndim if p.dtype == np.bool_ else 1))
            advanced.append(p)
        else:  # a slice, None or ...: applied in the first step, kept whole in the second
            basic.append(p)
            advanced.append(Ellipsis if p is Ellipsis else slice(None))
    return [tuple(basic), tuple(advanced)]
    ### END SOLUTION


class GetItem(Op):
    """y = x[index] (slices, ints, None, ..., integer arrays, boolean masks; PyTorch's placement);
    dL/dx = zeros with dL/dy added at the selected places."""

    @staticmethod
    def forward(ctx, x, index):
        ctx.shape, ctx.dtype, ctx.steps = x.shape, x.dtype, torch_steps(index)
        out = x
        try:
            for step in ctx.steps:
                out = out[step]
        except IndexError as e:
            raise IndexError(f"indexing a tensor of shape {tuple(x.shape)} with {index!r}: {e}") from None
        if isinstance(out, np.generic):  # numpy gives a scalar for ints only; x[0, ...] is a 0-d view
            out = x[(*index, Ellipsis) if isinstance(index, tuple) else (index, Ellipsis)]
        # Slices and ints give a view of x (writing to it writes to x); index arrays give a copy.
        ctx.is_view = np.may_share_memory(out, x)
        return out

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 2.11: return (dL/dx, None): dL/dy placed where forward's ctx.steps picked, an element picked twice getting both
        full = np.zeros_like(grad, shape=ctx.shape)
        target = full
        for step in ctx.steps[:-1]:  # basic steps: views of full
            target = target[step]
        if _has_integer_array(ctx.steps[-1]):
            scatter_add(target, ctx.steps[-1], grad)
        else:
            target[ctx.steps[-1]] = grad
        return full, None
        ### END SOLUTION


class IndexPut(Op):
    """y = x with y[index] = values (``accumulate``: y[index] += values, repeated places adding up);
    dL/dx = dL/dy (zero at index unless accumulating),  dL/dvalues = dL/dy[index] summed to values' shape.

    ``index`` is any index of ``x[index]`` (PyTorch's placement, ``torch_steps``); ``values`` (an
    array or a number) broadcast to x[index].
    """

    @staticmethod
    def forward(ctx, x, values, index, accumulate):
        ### BEGIN SOLUTION 2.11: return a copy of x with values written (or added, repeated places adding up) at index, keeping what backward needs
        ctx.steps, ctx.accumulate, ctx.values_shape = torch_steps(index), accumulate, np.shape(values)
        out = x.copy()
        target, last = _placed(out, ctx.steps)
        if accumulate:
            scatter_add(target, last, values.astype(x.dtype, copy=False))
        else:
            target[last] = values
        return out
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 2.11: return (dL/dx, dL/dvalues, None, None), None where not needed
        grad_x = grad_values = None
        if ctx.needs_input_grad[0]:
            grad_x = grad
            if not ctx.accumulate:
                grad_x = grad.copy()
                target, last = _placed(grad_x, ctx.steps)
                target[last] = 0
        if ctx.needs_input_grad[1]:
            target, last = _placed(grad, ctx.steps)
            grad_values = unbroadcast(target[last], ctx.values_shape)
        return grad_x, grad_values, None, None
        ### END SOLUTION


def _placed(array, steps):
    """The view of ``array`` that the last of ``steps`` (``torch_steps``) indexes, and that step."""
    for step in steps[:-1]:
        array = array[step]
    return array, steps[-1]


class NonZero(Op):
    """y = the (n, ndim) int64 coordinates of x's nonzero elements, in row-major order; no gradient."""

    differentiable = False

    @staticmethod
    def forward(ctx, x):
        return np.argwhere(x).astype(np.int64)


class Cat(Op):
    """y = the inputs joined along ``dim``;  each input's gradient is its slice of dL/dy."""

    @staticmethod
    def forward(ctx, dim, *xs):
        ### BEGIN SOLUTION 2.11: return the inputs joined along dim (a ShapeError naming cat and the shapes if other dims differ), keeping what backward needs
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
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 2.11: return (None, dL/dx for each input)
        return (None, *np.split(grad, ctx.ends, axis=ctx.dim))
        ### END SOLUTION


class Stack(Op):
    """y = the inputs stacked along a new dimension ``dim``;  each gets its slice of dL/dy."""

    @staticmethod
    def forward(ctx, dim, *xs):
        ### BEGIN SOLUTION 2.11: return the inputs stacked along a new dim (a ShapeError naming stack and the shapes unless all equal), keeping what backward needs
        ctx.dim = dim
        if len({x.shape for x in xs}) > 1:
            shapes = ", ".join(str(tuple(x.shape)) for x in xs)
            raise ShapeError(f"stack: all tensors must have the same shape, got {shapes}.")
        return np.stack(xs, axis=dim)
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 2.11: return (None, dL/dx for each input)
        return (None, *np.moveaxis(grad, ctx.dim, 0))
        ### END SOLUTION


class Where(Op):
    """y = a where condition else b;  dL/da = dL/dy where condition, dL/db = dL/dy elsewhere."""

    @staticmethod
    def forward(ctx, condition, a, b):
        ### BEGIN SOLUTION 2.11: return a where condition else b (shapes checked by broadcast_shapes), keeping what backward needs
        broadcast_shapes("where", np.shape(condition), np.shape(a), np.shape(b))
        ctx.condition, ctx.shapes = condition, (np.shape(a), np.shape(b))
        return np.where(condition, a, b)
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 2.11: return (None, dL/da, dL/db), None where not needed, in a's and b's shapes
        zero = grad.dtype.type(0)  # a numpy scalar: it mixes with numpy and cupy arrays alike
        grad_a = unbroadcast(np.where(ctx.condition, grad, zero), ctx.shapes[0]) if ctx.needs_input_grad[1] else None
        grad_b = unbroadcast(np.where(ctx.condition, zero, grad), ctx.shapes[1]) if ctx.needs_input_grad[2] else None
        return None, grad_a, grad_b
        ### END SOLUTION


class MaskedFill(Op):
    """y = x with ``value`` where mask is True;  dL/dx = dL/dy where mask is False, else 0."""

    @staticmethod
    def forward(ctx, x, mask, value):
        ### BEGIN SOLUTION 2.11: return x with value where mask (a ShapeError unless mask broadcasts to x's shape), keeping what backward needs
        if broadcast_shapes("masked_fill", x.shape, mask.shape) != x.shape:
            raise ShapeError(
                f"masked_fill: the mask of shape {tuple(mask.shape)} must broadcast to the tensor's "
                f"shape {tuple(x.shape)}."
            )
        ctx.mask = mask
        return np.where(mask, x.dtype.type(value), x)
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 2.11: return (dL/dx, None, None)
        return np.where(ctx.mask, grad.dtype.type(0), grad), None, None
        ### END SOLUTION
