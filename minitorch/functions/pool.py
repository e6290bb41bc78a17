"""Pooling over the last two axes of (N, C, H, W): max, average, adaptive average and adaptive max.

Max and average pooling read the same windows as a convolution: window (p, q)
covers x_pad[p*sH + i*dH, q*sW + j*dW] for kernel offsets (i, j).

    max:  y[p, q] = max_{i, j} x_pad[...]       dL/dx = dL/dy at the argmax of each window, 0 elsewhere
    avg:  y[p, q] = sum_{i, j} x_pad[...] / D   dL/dx = dL/dy / D spread over each window

For a fixed offset (i, j) the pixels read, one per window, form a strided slice of
x_pad (``conv.offset_slices``). So both forward passes loop over the kH*kW offsets
(never over pixels), combining whole slices, and both backward passes add one
slice per offset (``conv.col2im``).
Max pooling pads with -inf (padding never wins; an integer type's lowest value on integer
input, which max pooling accepts, with no gradient); average pooling pads with 0.
With ``ceil_mode`` a last partial window is kept; it is padded on the right/bottom
as far as needed, and that extra padding never counts in an average.
"""
import numpy as np

from ..autograd.function import Op
from ..device import array_module
from .conv import col2im, crop, offset_slices, out_size


def pool_geometry(op, shape, kernel, stride, padding, dilation, ceil_mode):
    """Output size (H_out, W_out) and the padding ((top, bottom), (left, right)) the windows need:
    ``padding`` on each side, plus what the last partial window of ``ceil_mode`` needs at the end."""
    out_hw, pads = [], []
    for axis in range(2):
        size, k, s, p, d = shape[axis - 2], kernel[axis], stride[axis], padding[axis], dilation[axis]
        out = out_size(op, size, k, s, p, p, d, ceil_mode, shape)
        needed = (out - 1) * s + d * (k - 1) + 1  # the padded length the last window reaches
        out_hw.append(out)
        pads.append((p, max(p, needed - size - p)))
    return tuple(out_hw), tuple(pads)


def _pad(x, pads, value):
    if not any(map(any, pads)):
        return x
    return np.pad(x, ((0, 0), (0, 0), *pads), constant_values=value)


def _lowest(dtype):
    """The padding no value beats: -inf, or an integer type's smallest value."""
    return -np.inf if np.issubdtype(dtype, np.floating) else np.iinfo(dtype).min


def max_pool_argmax(x, kernel, stride, padding, dilation, ceil_mode):
    """(y, winner, out_hw, pads): the window maxima and, per window, the flat kernel offset
    i*kW + j of its maximum (the first one on a tie, as in PyTorch; a NaN propagates to y).

    y owns its memory; no loop over pixels (see the module docstring).
    """
    ### BEGIN SOLUTION 4.5: return (y, winner, out_hw, pads) without a loop over pixels
    out_hw, pads = pool_geometry("max_pool2d", x.shape, kernel, stride, padding, dilation, ceil_mode)
    x_pad = _pad(x, pads, _lowest(x.dtype))
    y = x_pad[offset_slices(0, 0, stride, dilation, out_hw)]
    winner = np.zeros_like(y, dtype=np.min_scalar_type(kernel[0] * kernel[1]))
    for k in range(1, kernel[0] * kernel[1]):
        candidate = x_pad[offset_slices(*divmod(k, kernel[1]), stride, dilation, out_hw)]
        np.maximum(winner, (candidate > y) * winner.dtype.type(k), out=winner)
        y = np.maximum(y, candidate)  # a NaN wins the value (it propagates, as in PyTorch)
    if y.base is not None:  # a 1x1 window: y is still a view of x; the output must own its memory
        y = y.copy()
    return y, winner, out_hw, pads
    ### END SOLUTION


def max_pool_indices(x, kernel, stride, padding, dilation, ceil_mode):
    """PyTorch's ``return_indices``: for each window, the flat index h*W + w of its maximum in x."""
    _, winner, (oh, ow), _ = max_pool_argmax(x, kernel, stride, padding, dilation, ceil_mode)
    i, j = np.divmod(winner.astype(np.int64), kernel[1])
    xp = array_module(winner)  # positions made where the winners are (np.arange is host-only)
    h = xp.arange(oh)[:, None] * stride[0] - padding[0] + i * dilation[0]
    w = xp.arange(ow)[None, :] * stride[1] - padding[1] + j * dilation[1]
    return (h * x.shape[-1] + w).astype(np.int64)


class MaxPool2d(Op):
    """y = the maximum of each window;  dL/dx = dL/dy at each window's argmax (see module docstring)."""

    @staticmethod
    def forward(ctx, x, kernel, stride, padding, dilation, ceil_mode):
        y, winner, out_hw, pads = max_pool_argmax(x, kernel, stride, padding, dilation, ceil_mode)
        ctx.winner = winner
        ctx.geometry = (x.shape, pads, kernel, stride, dilation, out_hw)
        return y

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 4.3: return dL/dx (from ctx.winner and ctx.geometry) then 5 Nones
        shape, pads, kernel, stride, dilation, out_hw = ctx.geometry
        padded = (*shape[:2], *(s + a + b for s, (a, b) in zip(shape[2:], pads)))

        def grad_at(i, j):  # offset (i, j) gets the gradient of the windows it won
            return (ctx.winner == i * kernel[1] + j) * grad

        grad_pad = col2im(grad, padded, kernel, stride, dilation, out_hw, grad_at)
        return crop(grad_pad, pads), None, None, None, None, None
        ### END SOLUTION


def _window_counts(size, kernel, stride, pad, out, count_include_pad):
    """Per output position along one axis, how many of its window's pixels the average divides by."""
    ### BEGIN SOLUTION 4.6: return the divisor of each of the ``out`` windows (the ceil_mode overhang past the padding never counts)
    start = np.arange(out) * stride - pad
    end = np.minimum(start + kernel, size + pad)
    if count_include_pad:
        return end - start
    return np.minimum(end, size) - np.maximum(start, 0)
    ### END SOLUTION


class AvgPool2d(Op):
    """y = (sum of each window) / D;  dL/dx = the sum over the windows covering x of dL/dy / D.

    D is the window's area counting the zero padding (``count_include_pad=True``) or only the
    input's pixels (False); ``divisor_override`` replaces it by a fixed number.
    """

    @staticmethod
    def forward(ctx, x, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override):
        ### BEGIN SOLUTION 4.6: save ctx.divisor (on x's device) and ctx.geometry; return the window averages
        one = (1, 1)
        out_hw, pads = pool_geometry("avg_pool2d", x.shape, kernel, stride, padding, one, ceil_mode)
        if divisor_override is not None:
            divisor = np.asarray(divisor_override, dtype=x.dtype)
        else:
            rows, cols = (
                _window_counts(x.shape[axis - 2], kernel[axis], stride[axis], padding[axis], out_hw[axis],
                               count_include_pad)
                for axis in range(2)
            )
            divisor = (rows[:, None] * cols[None, :]).astype(x.dtype)
        ctx.divisor = divisor = array_module(ctx.device).asarray(divisor)
        ctx.geometry = (x.shape, pads, kernel, stride, out_hw)
        x_pad = _pad(x, pads, 0)
        # One strided slice per kernel offset (one element per window), as in max pooling.
        offsets = [(i, j) for i in range(kernel[0]) for j in range(kernel[1])]
        total = sum(x_pad[offset_slices(i, j, stride, one, out_hw)] for i, j in offsets)
        return total / divisor
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 4.4: return dL/dx (from ctx.divisor and ctx.geometry) then 6 Nones
        shape, pads, kernel, stride, out_hw = ctx.geometry
        padded = (*shape[:2], *(s + a + b for s, (a, b) in zip(shape[2:], pads)))
        share = grad / ctx.divisor
        grad_pad = col2im(grad, padded, kernel, stride, (1, 1), out_hw, lambda i, j: share)
        return crop(grad_pad, pads), None, None, None, None, None, None
        ### END SOLUTION


def adaptive_windows(size, out):
    """(start, end) arrays: adaptive pooling's window k along one axis holds the pixels
    floor(k*size/out) .. ceil((k+1)*size/out) - 1 (PyTorch's windows; they may overlap)."""
    ### BEGIN SOLUTION 4.12: return the (start, end) arrays of the ``out`` windows (end exclusive)
    k = np.arange(out)
    return (k * size) // out, -((-(k + 1) * size) // out)  # the end is ceil((k + 1) * size / out)
    ### END SOLUTION


def adaptive_matrix(size, out, dtype):
    """The (out, size) averaging matrix of adaptive pooling along one axis: row k averages
    window k of ``adaptive_windows``."""
    ### BEGIN SOLUTION 4.12: return the (out, size) matrix whose row k averages window k, of ``dtype``
    start, end = adaptive_windows(size, out)
    pixel = np.arange(size)
    inside = (pixel >= start[:, None]) & (pixel < end[:, None])
    return (inside / (end - start)[:, None]).astype(dtype)
    ### END SOLUTION


class AdaptiveAvgPool2d(Op):
    """y = A_H x A_W^T per image, where A_H (H_out, H) and A_W (W_out, W) average the windows
    along each axis (``adaptive_matrix``); averaging a rectangle is separable, so this is the mean
    of each window. dL/dx = A_H^T (dL/dy) A_W."""

    @staticmethod
    def forward(ctx, x, out_hw):
        ### BEGIN SOLUTION 4.12: return the (N, C, *out_hw) window means; keep on ctx what backward needs
        xp = array_module(ctx.device)  # the matrices live where x does (numpy, or cupy on a GPU)
        ctx.a_h = xp.asarray(adaptive_matrix(x.shape[-2], out_hw[0], x.dtype))
        ctx.a_w = xp.asarray(adaptive_matrix(x.shape[-1], out_hw[1], x.dtype))
        return ctx.a_h @ (x @ ctx.a_w.T)
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 4.12: return dL/dx, None
        return ctx.a_h.T @ (grad @ ctx.a_w), None
        ### END SOLUTION


def adaptive_max(x, out_hw):
    """(y, indices): the maximum of each adaptive window (``adaptive_windows`` along each axis)
    and the flat index h*W + w of that maximum in its input plane (the first one on a tie).

    The windows differ in size, so there is no strided slice per kernel offset: one step per
    window (H_out * W_out of them), each vectorised over the N*C planes.
    """
    ### BEGIN SOLUTION 4.12: return (y, indices) with one step per window, vectorised over the N*C planes
    xp = array_module(x)
    n, c, h, w = x.shape
    rows, cols = adaptive_windows(h, out_hw[0]), adaptive_windows(w, out_hw[1])
    y = xp.empty_like(x, shape=(n, c, *out_hw))
    indices = xp.empty((n, c, *out_hw), dtype=np.int64)
    for p, (top, bottom) in enumerate(zip(*rows)):
        for q, (left, right) in enumerate(zip(*cols)):
            window = x[:, :, top:bottom, left:right].reshape(n, c, -1)
            k = window.argmax(axis=-1)  # numpy's argmax: the first maximum, or the first NaN
            y[:, :, p, q] = xp.take_along_axis(window, k[..., None], axis=-1)[..., 0]
            i, j = xp.divmod(k, right - left)
            indices[:, :, p, q] = (top + i) * w + left + j
    return y, indices
    ### END SOLUTION


class AdaptiveMaxPool2d(Op):
    """y[p, q] = the maximum of adaptive window (p, q) (``adaptive_max``);  dL/dx = dL/dy at each
    window's argmax, summed where overlapping windows share their maximum."""

    @staticmethod
    def forward(ctx, x, out_hw):
        y, ctx.indices = adaptive_max(x, out_hw)
        ctx.in_shape = x.shape
        return y

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 4.12: return dL/dx (each window's gradient added at its maximum's index), None
        n, c, h, w = ctx.in_shape
        xp = array_module(grad)
        flat_grad = grad.reshape(n * c, -1)
        winners = ctx.indices.reshape(n * c, -1)
        planes = xp.arange(n * c)
        grad_x = xp.zeros_like(grad, shape=(n * c, h * w))
        for k in range(flat_grad.shape[1]):  # one window at a time: overlapping windows add up
            grad_x[planes, winners[:, k]] += flat_grad[:, k]
        return grad_x.reshape(n, c, h, w), None
        ### END SOLUTION
