"""In-place updates (``x.add_(y)``, ``x += y``, ``x.clamp_(...)``) on raw arrays.

They change an array where it lies and record no graph node. The Tensor method first checks
that the change is safe (``Tensor._writable``: not a tensor backward still needs, not a
broadcast view) and bumps the version counter; the arithmetic is here.
"""
import numpy as np

from ..dtypes import can_cast
from ..errors import ShapeError
from ._util import broadcasts_to


def _check_fits(op, shape, array):
    """A value of ``shape`` can be written into ``array`` only if it broadcasts to its shape."""
    if not broadcasts_to(shape, array.shape):
        raise ShapeError(
            f"{op}: a value of shape {tuple(shape)} cannot be applied in place to a tensor of shape "
            f"{tuple(array.shape)}: it must broadcast to the tensor's shape. Use the out-of-place "
            f"form (x = x + y) to get a result of the broadcast shape."
        )


def combine(op, array, ufunc, other, result_dtype):
    """``array = ufunc(array, other)`` in place; ``other`` must broadcast to ``array``'s shape, and
    the op's ``result_dtype`` must fit the array (``check_holds``)."""
    _check_fits(op, np.shape(other), array)
    check_holds(op, array, result_dtype)
    ufunc(array, other, out=array, casting="unsafe")


def check_holds(op, array, result_dtype):
    """As in PyTorch, an in-place result must be of a kind the array holds: a float result does
    not go into an integer tensor (``int.sin_()``, ``int_tensor += 0.5``), an integer one not
    into a bool tensor; float64 into float32 is fine."""
    if not can_cast(np.dtype(result_dtype), array.dtype):
        raise RuntimeError(
            f"{op}: the result is {np.dtype(result_dtype)}, which cannot be stored in place in a {array.dtype} "
            f"tensor. Use the out-of-place form, or convert the tensor first (.float())."
        )


def assign(op, array, result):
    """``array[...] = result``: the out-of-place result of ``op`` (``x.cos_()`` stores ``x.cos()``),
    which must have the array's shape and a dtype it holds (``check_holds``)."""
    _check_fits(op, result.shape, array)
    check_holds(op, array, result.dtype)
    array[...] = result


def clamp(array, min, max):
    """Each element of ``array`` limited to [min, max], in place."""
    np.clip(array, min, max, out=array)

