"""Resampling the last two axes of (N, C, H, W) images: nearest and (bi)linear interpolation.

Along one axis, output position k reads the input around a source position s(k):

    nearest:  y[k] = x[i_k]                               i_k = min(floor(s(k)), size - 1)
    linear:   y[k] = (1 - t_k) x[i_k] + t_k x[i_k + 1]    t_k = s(k) - i_k (the next index clamped too)

Both are linear maps along the axis, y = A x, with one or two non-zeros per row of A; a 2-D
resampling applies one along W, then one along H (bilinear interpolation is separable):
y = A_H x A_W^T, and dL/dx = A_H^T (dL/dy) A_W. Forward gathers the few pixels each output
reads (exact: a NaN or inf spreads only to the outputs that read it, as in PyTorch); backward,
the adjoint, multiplies by the small dense (out, size) matrices.

Source positions, PyTorch's (``axis_weights``), with scale = size / out, or 1 / scale_factor
when the caller gave one:

    nearest          s(k) = k * scale                    (in float32, as PyTorch computes it)
    nearest-exact    s(k) = (k + 0.5) * scale
    linear           s(k) = max((k + 0.5) * scale - 0.5, 0)
    align_corners    s(k) = k * (size - 1) / (out - 1)   (0 when out == 1)
"""
import numpy as np

from ..autograd.function import Op
from ..device import array_module


def axis_weights(size, out, mode, align_corners, scale_factor, dtype):
    """(index, next_index, t) for one axis: output k is (1 - t[k]) x[index[k]] + t[k] x[next_index[k]];
    ``t`` is None for the nearest modes (output k is x[index[k]]). ``scale_factor`` is None when
    the output size was given (or recomputed): the scale is then size / out."""
    k = np.arange(out)
    if mode in ("nearest", "nearest-exact"):
        scale = np.float32(1.0 / scale_factor) if scale_factor else np.float32(size) / np.float32(out)
        shift = np.float32(0.5 if mode == "nearest-exact" else 0.0)
        if mode == "nearest" and out in (size, 2 * size):  # PyTorch's exact shortcuts for x1 and x2
            index = k * size // out
        else:
            index = np.floor((k.astype(np.float32) + shift) * scale).astype(np.int64)
        return np.minimum(index, size - 1), None, None
    real = np.dtype(dtype).type
    if align_corners:
        source = k.astype(dtype) * (real(size - 1) / real(out - 1) if out > 1 else real(0))
    else:
        scale = real(1.0 / scale_factor) if scale_factor else real(size) / real(out)
        source = np.maximum((k.astype(dtype) + real(0.5)) * scale - real(0.5), real(0))
    index = np.minimum(np.floor(source).astype(np.int64), size - 1)
    t = np.clip(source - index, 0, 1).astype(dtype)
    return index, np.minimum(index + 1, size - 1), t


def axis_matrix(size, weights, dtype):
    """The (out, size) matrix A of one axis: A @ x resamples x's rows as ``weights`` say."""
    index, next_index, t = weights
    rows = np.arange(len(index))
    a = np.zeros((len(index), size), dtype=dtype)
    if t is None:
        a[rows, index] = 1
    else:
        np.add.at(a, (rows, index), 1 - t)  # add: both terms land on one pixel at the edge
        np.add.at(a, (rows, next_index), t)
    return a


def _resample(x, weights, axis):
    """x resampled along ``axis`` (-2 or -1) by one axis' ``weights``: a gather, and a blend for linear."""
    xp = array_module(x)
    index, next_index, t = weights
    first = xp.take(x, xp.asarray(index), axis=axis)
    if t is None:
        return first
    t = xp.asarray(t if axis == -1 else t[:, None])
    return (1 - t) * first + t * xp.take(x, xp.asarray(next_index), axis=axis)


class Interpolate(Op):
    """y = A_H x A_W^T (resampling along H and W, see the module docstring);  dL/dx = A_H^T (dL/dy) A_W.

    ``rows`` and ``cols`` are ``axis_weights`` of H and W; a 1-D signal is an image of height 1
    whose ``rows`` are the identity.
    """

    @staticmethod
    def forward(ctx, x, rows, cols):
        ctx.weights = (rows, cols)
        ctx.in_hw = x.shape[-2:]
        return _resample(_resample(x, cols, axis=-1), rows, axis=-2)

    @staticmethod
    def backward(ctx, grad):
        xp = array_module(grad)
        (h, w), (rows, cols) = ctx.in_hw, ctx.weights
        a_h = xp.asarray(axis_matrix(h, rows, grad.dtype))
        a_w = xp.asarray(axis_matrix(w, cols, grad.dtype))
        return a_h.T @ grad @ a_w, None, None
