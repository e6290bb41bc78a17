"""Helpers shared by the ops: undoing broadcasts, checking that shapes broadcast, masked gradients,
scatter-adds."""
import numpy as np

from ..device import array_module
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


def masked(grad, mask):
    """``grad`` where ``mask``, else 0: the backward of ops that pass the gradient through on a mask
    (relu, clamp). As ``grad * mask``, except that an inf or nan gradient off the mask gives 0, as
    in PyTorch (inf * 0 is nan). On the CPU ``where`` runs only when the gradient is not all finite:
    numpy's ``where`` on a random mask is ten times slower than the product. On cupy ``where`` is one
    kernel, and checking the gradient would wait for the GPU."""
    if isinstance(grad, np.ndarray) and np.isfinite(grad).all():
        return grad * mask
    return array_module(grad).where(mask, grad, grad.dtype.type(0))


def scatter_add(target, index, values):
    """``target[index] += values`` in place, where an element that ``index`` picks twice gets both
    values (``np.add.at``; plain ``+=`` would keep only one). Called through the array's own
    module: numpy's dispatch refuses a tuple index for a cupy array."""
    array_module(target).add.at(target, index, values)


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


def broadcasts_to(shape, target):
    """Whether an array of ``shape`` broadcasts to exactly ``target`` (a mask, a weight, an in-place operand)."""
    try:
        return np.broadcast_shapes(tuple(shape), tuple(target)) == tuple(target)
    except ValueError:
        return False


def keepdim_shape(shape, axes):
    """``shape`` with each reduced axis kept as size 1 (to broadcast a reduction's gradient back)."""
    return tuple(1 if i in axes else s for i, s in enumerate(shape))
