"""In-place updates (``x.add_(y)``, ``x += y``, ``x.clamp_(...)``) on raw arrays.

They change an array where it lies and record no graph node. The Tensor method first checks
that the change is safe (``Tensor._writable``: not a tensor backward still needs, not a
broadcast view) and bumps the version counter; the arithmetic is here.
"""
import numpy as np

from ..errors import ShapeError
from ._util import broadcasts_to


def combine(op, array, ufunc, other):
    """``array = ufunc(array, other)`` in place; ``other`` must broadcast to ``array``'s shape."""
    shape = np.shape(other)
    if not broadcasts_to(shape, array.shape):
        raise ShapeError(
            f"{op}: a value of shape {tuple(shape)} cannot be applied in place to a tensor of shape "
            f"{tuple(array.shape)}: it must broadcast to the tensor's shape. Use the out-of-place "
            f"form (x = x + y) to get a result of the broadcast shape."
        )
    ufunc(array, other, out=array, casting="unsafe")


def clamp(array, min, max):
    """Each element of ``array`` limited to [min, max], in place."""
    np.clip(array, min, max, out=array)

