"""Helpers shared by the ops: undoing broadcasts and reading ``dim`` arguments."""
import numpy as np

from ..device import get_array_module
from ..errors import ShapeError


def unbroadcast(grad, shape):
    """Sum ``grad`` down to ``shape``: the backward of numpy broadcasting.

    Forward broadcasting copies an input along new leading dimensions and along
    dimensions of size 1; each copy contributed to the loss, so backward adds the
    copies' gradients back together.
    """
    if grad.shape == shape:
        return grad
    ### BEGIN SOLUTION 2.1: sum grad over the dims broadcasting added or stretched from 1; return it in shape
    extra = grad.ndim - len(shape)
    axes = tuple(range(extra)) + tuple(
        extra + i for i, size in enumerate(shape) if size == 1 and grad.shape[extra + i] != 1
    )
    return grad.sum(axis=axes).reshape(shape) if axes else grad.reshape(shape)
    ### END SOLUTION


def scatter_add(target, index, values):
    """``target[index] += values`` in place, where an element that ``index`` picks twice gets both
    values (``np.add.at``; plain ``+=`` would keep only one). Called through the array's own
    module: numpy's dispatch refuses a tuple index for a cupy array."""
    get_array_module(target).add.at(target, index, values)


def broadcast_shapes(op, *shapes):
    """The broadcast result shape, or a ShapeError naming the op and the shapes."""
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        listed = " and ".join(str(tuple(s)) for s in shapes)
        raise ShapeError(
            f"{op}: shapes {listed} cannot be broadcast together. Aligned from the right, each pair "
            f"of sizes must be equal or one of them 1. Use reshape/unsqueeze to line them up."
        ) from None


def normalize_dims(op, dim, ndim):
    """``dim`` (None, an int or a tuple of ints, negatives allowed) as a sorted tuple of axes."""
    if dim is None:
        return tuple(range(ndim))
    dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
    axes = []
    for d in dims:
        d = int(d)
        if not -max(ndim, 1) <= d < max(ndim, 1):
            raise IndexError(
                f"{op}: dim {d} is out of range for a tensor with {ndim} dimension(s) "
                f"(valid: {-max(ndim, 1)} to {max(ndim, 1) - 1})."
            )
        axes.append(d % ndim if ndim else 0)
    if len(set(axes)) != len(axes):
        raise ValueError(f"{op}: dim {dim} names the same dimension twice.")
    return tuple(sorted(axes)) if ndim else ()


def normalize_dim(op, dim, ndim):
    """A single ``dim`` (negatives allowed) as a non-negative axis."""
    (axis,) = normalize_dims(op, int(dim), ndim) or (0,)
    return axis


def keepdim_shape(shape, axes):
    """``shape`` with each reduced axis kept as size 1 (to broadcast a reduction's gradient back)."""
    return tuple(1 if i in axes else s for i, s in enumerate(shape))
