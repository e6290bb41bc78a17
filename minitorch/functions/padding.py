"""``Pad``: add values around a tensor (or cut from it, with a negative amount).

``pads`` holds one (before, after) pair per axis.

- ``mode="constant"``: the new border holds ``value``; a negative amount crops.
  y[before + i] = x[i] for the kept i;  dL/dx = the matching slice of dL/dy (0 where cropped).
- ``"reflect"``, ``"replicate"``, ``"circular"``: the border copies pixels of x
  (mirrored without repeating the edge, the edge repeated, or wrapped around).
  Along each axis output position t reads x[src[t]] with ``src`` a fixed index map,
  so y = x taken at ``src`` axis by axis, and dL/dx adds the gradient of every copy
  back onto its source (``scatter_add``, i.e. ``np.add.at``), axis by axis in reverse order.
"""
import numpy as np

from ..autograd.function import Op
from ..device import array_module
from ._util import scatter_add

NUMPY_MODES = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def _kept_slices(pads, shape):
    """(slices of x that are kept, slices of y they land in) for constant padding with crops."""
    source, target = [], []
    for (before, after), size in zip(pads, shape):
        source.append(slice(max(-before, 0), size - max(-after, 0)))
        target.append(slice(max(before, 0), max(before, 0) + size - max(-before, 0) - max(-after, 0)))
    return tuple(source), tuple(target)


def source_indices(pads, shape, mode):
    """Per axis, the index map src (output position -> input position) of a copying mode."""
    return [np.pad(np.arange(size), pad, mode=NUMPY_MODES[mode]) for pad, size in zip(pads, shape)]


class Pad(Op):
    """y = x with a border; see the module docstring for the modes and their gradients."""

    @staticmethod
    def forward(ctx, x, pads, mode, value):
        ctx.shape, ctx.pads, ctx.mode = x.shape, pads, mode
        if mode == "constant":
            out_shape = tuple(size + before + after for size, (before, after) in zip(x.shape, pads))
            y = np.full_like(x, value, shape=out_shape)
            ctx.slices = _kept_slices(pads, x.shape)
            y[ctx.slices[1]] = x[ctx.slices[0]]
            return y
        xp = array_module(x)  # the index maps live where x does (cupy on a GPU)
        ctx.sources = [xp.asarray(src) for src in source_indices(pads, x.shape, mode)]
        for axis, src in enumerate(ctx.sources):
            if pads[axis] != (0, 0):
                x = np.take(x, src, axis=axis)
        return x

    @staticmethod
    def backward(ctx, grad):
        if ctx.mode == "constant":
            grad_x = np.zeros_like(grad, shape=ctx.shape)
            grad_x[ctx.slices[0]] = grad[ctx.slices[1]]
            return grad_x, None, None, None
        for axis in reversed(range(len(ctx.shape))):
            if ctx.pads[axis] != (0, 0):
                shape = grad.shape[:axis] + (ctx.shape[axis],) + grad.shape[axis + 1 :]
                summed = np.zeros_like(grad, shape=shape)
                scatter_add(summed, (slice(None),) * axis + (ctx.sources[axis],), grad)
                grad = summed
        return grad, None, None, None
