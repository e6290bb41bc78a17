"""Resampling the spatial axes of (N, C, L) signals, (N, C, H, W) images and (N, C, D, H, W) volumes:
nearest and (bi/tri)linear interpolation.

Along one axis, output position k reads the input around a source position s(k):

    nearest:  y[k] = x[i_k]                               i_k = min(floor(s(k)), size - 1)
    linear:   y[k] = (1 - t_k) x[i_k] + t_k x[i_k + 1]    t_k = s(k) - i_k (the next index clamped too)

Both are linear maps along the axis, y = A x, with one or two non-zeros per row of A; a 2-D
resampling applies one along W, then one along H (bilinear interpolation is separable):
y = A_H x A_W^T, and dL/dx = A_H^T (dL/dy) A_W (trilinear adds A_D along depth the same way).
Forward gathers the few pixels each output
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


def _fixed_point(t):
    """PyTorch's integer weights for uint8 images: (1 - t, t) times 2**bits, rounded, with the
    fewest bits at which twice the largest weight reaches 2**15 (at most 22); returns (w0, w1, bits)."""
    largest, bits = max(1 - t.min(), t.max()), 0
    while bits < 22 and int(0.5 + largest * (1 << (bits + 1))) < 1 << 15:
        bits += 1
    return np.floor(0.5 + (1 - t) * (1 << bits)), np.floor(0.5 + t * (1 << bits)), bits


def _resample(x, weights, axis):
    """x resampled along ``axis`` (negative) by one axis' ``weights``: a gather, and a blend for linear.

    A uint8 image is blended as PyTorch does it: integer weights (``_fixed_point``), the sum
    rounded to the nearest integer and clamped to 0..255 after each axis."""
    xp = array_module(x)
    index, next_index, t = weights
    first = xp.take(x, xp.asarray(index), axis=axis)
    if t is None:
        return first
    second = xp.take(x, xp.asarray(next_index), axis=axis)
    along = (-1, *(1,) * (-1 - axis))  # t[k] along ``axis``, broadcast over the axes after it
    if x.dtype == np.uint8:
        t = np.where(index == next_index, 0, t)  # the edge's one pixel gets the whole weight
        w0, w1, bits = _fixed_point(t)
        w0, w1 = (xp.asarray(w.reshape(along).astype(np.int64)) for w in (w0, w1))
        total = w0 * first + w1 * second + (1 << bits >> 1)
        return xp.clip(total >> bits, 0, 255).astype(np.uint8)
    t = xp.asarray(t.reshape(along))
    return (1 - t) * first + t * second


class Interpolate(Op):
    """y = A_H x A_W^T (resampling along each spatial axis, see the module docstring);
    dL/dx = A_H^T (dL/dy) A_W: each axis' matrix transposed, applied along that axis.

    ``weights`` holds one ``axis_weights`` per spatial axis, for the last len(weights) axes of x
    ((L,), (H, W) or (D, H, W)).
    """

    @staticmethod
    def forward(ctx, x, weights):
        ctx.weights = weights
        ctx.in_sizes = x.shape[-len(weights):]
        for axis in range(-1, -len(weights) - 1, -1):
            x = _resample(x, weights[axis], axis=axis)
        return x

    @staticmethod
    def backward(ctx, grad):
        xp = array_module(grad)
        for axis in range(-1, -len(ctx.weights) - 1, -1):  # (..., out) @ A (out, size) along each axis
            a = xp.asarray(axis_matrix(ctx.in_sizes[axis], ctx.weights[axis], grad.dtype))
            grad = xp.moveaxis(xp.moveaxis(grad, axis, -1) @ a, -1, axis)
        return grad, None
