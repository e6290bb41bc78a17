"""Pools built from the others: power-average pooling (``lp_pool1d/2d/3d``), max unpooling
(``max_unpool1d/2d/3d``), fractional max pooling (``fractional_max_pool2d/3d``), and the
``*_with_indices`` forms of the max pools, for 1-D signals, 2-D images and 3-D volumes.

    lp_pool:     y = (sum over the window of x^p)^(1/p)   = (avg_pool(x^p) * window size)^(1/p)
    max_unpool:  y = zeros, with y[indices] = x           (the inverse of max_pool's return_indices)
    fractional:  y = x[argmax of each window]             (windows at random, non-integer strides)

All are compositions (``avg_pool``/``max_pool``, ``pow``; ``scatter``; ``gather``), so their
gradients are those ops' backward passes: max unpooling's gradient is dL/dy read back at the
indices, fractional max pooling's is dL/dy added at each window's argmax.
"""
import math

import numpy as np

from ... import checks, device_checks
from ...creation import rand, zeros
from ...device import array_module
from ...errors import ShapeError
from ...tensor import Tensor
from ._checks import check_tensors
from .activation import relu
from .conv import (
    _batch, _sizes, adaptive_max_pool1d, adaptive_max_pool2d, avg_pool1d, avg_pool2d, max_pool1d, max_pool2d,
)
from .volumetric import adaptive_max_pool3d, avg_pool3d, max_pool3d

_POOLS = {1: (avg_pool1d, max_pool1d), 2: (avg_pool2d, max_pool2d), 3: (avg_pool3d, max_pool3d)}


def _lp_pool(op, dims, input, norm_type, kernel_size, stride, ceil_mode):
    norm_type = checks.real(op, "norm_type", norm_type)
    if norm_type == 0:
        raise ValueError(f"{op}: norm_type must not be 0 (the power 1 / norm_type would divide by zero).")
    average, maximum = _POOLS[dims]
    if math.isinf(norm_type):  # the largest |x| (p = inf), or the smallest (p = -inf)
        sign = 1 if norm_type > 0 else -1
        return sign * maximum(sign * input.abs(), kernel_size, stride, 0, 1, ceil_mode)
    window = math.prod(_sizes(op, "kernel_size", kernel_size, dims, 1, 1))
    out = average(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    return (out.sign() * relu(out.abs())).mul(window).pow(1.0 / norm_type)


def lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """Power-average pooling of signals (N, C, L) or (C, L): y = (sum_{window} x^p)^(1/p), p = ``norm_type``.

    p = 1 is sum pooling, p = inf max pooling of |x|; ``stride`` defaults to ``kernel_size``;
    no padding. Computed as ``avg_pool1d(x^p) * kernel_size``, then the 1/p-th power.

    >>> import minitorch
    >>> minitorch.nn.functional.lp_pool1d(minitorch.tensor([[[3.0, 4.0]]]), 2, 2).flatten().tolist()
    [5.0]
    """
    return _lp_pool("lp_pool1d", 1, input, norm_type, kernel_size, stride, ceil_mode)


def lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """Power-average pooling of images (N, C, H, W) or (C, H, W): y = (sum_{window} x^p)^(1/p)
    over each kH x kW window (see ``lp_pool1d``)."""
    return _lp_pool("lp_pool2d", 2, input, norm_type, kernel_size, stride, ceil_mode)


def lp_pool3d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """Power-average pooling of volumes (N, C, D, H, W) or (C, D, H, W): y = (sum_{window} x^p)^(1/p)
    over each kD x kH x kW window (see ``lp_pool1d``)."""
    return _lp_pool("lp_pool3d", 3, input, norm_type, kernel_size, stride, ceil_mode)


def _unpool_size(op, dims, spatial, kernel, stride, padding, output_size):
    """The output's spatial size: (in - 1) stride - 2 padding + kernel per axis, or ``output_size``
    (its spatial sizes, optionally after N and C), which must lie strictly within one stride of it."""
    default = [(n - 1) * s + k - 2 * p for n, k, s, p in zip(spatial, kernel, stride, padding)]
    if output_size is None:
        sizes = default
    else:
        sizes = list(output_size)[2:] if len(output_size) == dims + 2 else list(output_size)
        if len(sizes) != dims:
            raise ValueError(f"{op}: output_size must have {dims} or {dims + 2} elements, got {tuple(output_size)}.")
        for axis, (size, d, s) in enumerate(zip(sizes, default, stride)):
            if not d - s < size < d + s:
                raise ValueError(
                    f"{op}: invalid output_size {tuple(output_size)}: dim {axis} must be between {d - s} and "
                    f"{d + s} (exclusive), the sizes a max pool with stride {s} maps onto {spatial[axis]}."
                )
    if min(sizes) < 1:
        raise ShapeError(f"{op}: the output would have spatial size {tuple(sizes)}; use less padding.")
    return sizes


def _max_unpool(op, dims, input, indices, kernel_size, stride, padding, output_size):
    check_tensors(op, input=input, indices=indices)
    if input.ndim not in (dims + 1, dims + 2):
        raise ShapeError(f"{op}: expected a {dims + 2}-D input (N, C, ...) or {dims + 1}-D unbatched, got shape "
                         f"{tuple(input.shape)}.")
    if indices.dtype.name != "int64" or indices.shape != input.shape:
        raise RuntimeError(
            f"{op}: indices must be an int64 tensor of the input's shape {tuple(input.shape)} (max_pool's "
            f"return_indices), got {indices.dtype!r} of shape {tuple(indices.shape)}."
        )
    kernel = tuple(_sizes(op, "kernel_size", kernel_size, dims, 1, 1)[-dims:])
    stride = kernel if stride is None else tuple(_sizes(op, "stride", stride, dims, 1, 1)[-dims:])
    padding = tuple(_sizes(op, "padding", padding, dims, 0, 0)[-dims:])
    spatial = tuple(input.shape[-dims:])
    sizes = _unpool_size(op, dims, spatial, kernel, stride, padding, output_size)
    planes = input.reshape(-1, math.prod(spatial))  # one row per (n, c) plane
    where = indices.reshape(planes.shape)
    index = where._array
    bad = (index < 0) | (index >= math.prod(sizes))
    if device_checks.fail_if(bad, RuntimeError, lambda: (
            f"{op}: found an invalid max index {index[bad].flat[0]}: the output planes have size "
            f"{'x'.join(map(str, sizes))} ({math.prod(sizes)} positions).")):
        where = Tensor._make(array_module(index).where(bad, 0, index), False, None, input.device)  # 0 stands in
    out = zeros(planes.shape[0], math.prod(sizes), dtype=input.dtype, device=input.device).scatter(1, where, planes)
    return out.reshape(*input.shape[:-dims], *sizes)


def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """The inverse of ``max_pool1d``: each value put back at its index (``return_indices``), zeros
    elsewhere. Input and indices (N, C, L_in) or (C, L_in); output (N, C, L_out) with
    L_out = (L_in - 1) stride - 2 padding + kernel_size, or ``output_size``.

    >>> import minitorch
    >>> F = minitorch.nn.functional
    >>> y, i = F.max_pool1d(minitorch.tensor([[[1.0, 3.0, 2.0, 0.0]]]), 2, return_indices=True)
    >>> F.max_unpool1d(y, i, 2).flatten().tolist()
    [0.0, 3.0, 2.0, 0.0]
    """
    return _max_unpool("max_unpool1d", 1, input, indices, kernel_size, stride, padding, output_size)


def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """The inverse of ``max_pool2d``: each value put back at its flat index h*W + w, zeros elsewhere
    (see ``max_unpool1d``); ``output_size`` picks among the sizes a strided pool maps onto one."""
    return _max_unpool("max_unpool2d", 2, input, indices, kernel_size, stride, padding, output_size)


def max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """The inverse of ``max_pool3d``: each value put back at its flat index d*H*W + h*W + w, zeros
    elsewhere (see ``max_unpool1d``)."""
    return _max_unpool("max_unpool3d", 3, input, indices, kernel_size, stride, padding, output_size)


def _max_pool_with_indices(pool):
    """PyTorch's ``*_with_indices`` form of a max pool: (values, indices) whatever ``return_indices`` says."""

    def with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
        return pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices=True)

    with_indices.__name__ = f"{pool.__name__}_with_indices"
    with_indices.__doc__ = f"``{pool.__name__}(..., return_indices=True)``: the maxima and their indices."
    return with_indices


def _adaptive_max_pool_with_indices(pool):
    """PyTorch's ``*_with_indices`` form of an adaptive max pool: always (values, indices)."""

    def with_indices(input, output_size, return_indices=False):
        return pool(input, output_size, return_indices=True)

    with_indices.__name__ = f"{pool.__name__}_with_indices"
    with_indices.__doc__ = f"``{pool.__name__}(..., return_indices=True)``: the maxima and their indices."
    return with_indices


max_pool1d_with_indices = _max_pool_with_indices(max_pool1d)
max_pool2d_with_indices = _max_pool_with_indices(max_pool2d)
max_pool3d_with_indices = _max_pool_with_indices(max_pool3d)
adaptive_max_pool1d_with_indices = _adaptive_max_pool_with_indices(adaptive_max_pool1d)
adaptive_max_pool2d_with_indices = _adaptive_max_pool_with_indices(adaptive_max_pool2d)
adaptive_max_pool3d_with_indices = _adaptive_max_pool_with_indices(adaptive_max_pool3d)


_SAMPLE_COLUMN = {2: (1, 0), 3: (0, 1, 2)}  # which column of _random_samples each axis uses (PyTorch's: W first in 2-D)


def _window_starts(sample, size, out, kernel):
    """Fractional max pooling's window starts along one axis, per plane (PyTorch's intervals):
    start[i] = floor((i + u) alpha) - floor(u alpha), alpha = (size - kernel) / (out - 1), for the
    plane's sample u in [0, 1); the last window ends at the input's end. In u's dtype, as PyTorch,
    and on u's device."""
    real, xp = sample.dtype.type, array_module(sample)
    starts = xp.full((*sample.shape, out), size - kernel, dtype=np.int64)
    if out > 1:
        alpha = real(size - kernel) / real(out - 1)
        i = xp.arange(out - 1, dtype=sample.dtype)
        first = (sample * alpha).astype(np.int64)
        starts[..., :-1] = ((i + sample[..., None]) * alpha).astype(np.int64) - first[..., None]
    return starts


def _fractional_max_pool(op, dims, input, kernel_size, output_size, output_ratio, return_indices, random_samples):
    x, restore = _batch(op, input, dims)
    n, c, *spatial = x.shape
    kernel = tuple(_sizes(op, "kernel_size", kernel_size, dims, 1, 1))
    if output_size is None and output_ratio is None:
        raise ValueError(f"{op} requires specifying either an output_size or an output_ratio.")
    if output_size is None:
        ratios = tuple(output_ratio) if isinstance(output_ratio, (tuple, list)) else (output_ratio,) * dims
        sizes = tuple(int(size * checks.real(op, "output_ratio", r)) for size, r in zip(spatial, ratios))
    else:
        sizes = tuple(_sizes(op, "output_size", output_size, dims, 1, 1))
    for axis, (size, out, k) in enumerate(zip(spatial, sizes, kernel)):
        if out + k - 1 > size - (dims == 3):  # PyTorch's 3-D op also refuses the windows that just fit
            relation = "<=" if dims == 2 else "<"
            raise RuntimeError(f"{op}: kernel size {k} is too large for an output of {out} from an input of {size} "
                               f"along spatial dim {axis}: need output size + kernel size - 1 {relation} input size.")
    if random_samples is None:
        random_samples = rand(n, c, dims, dtype=x.dtype, device=x.device)
    elif tuple(random_samples.shape) != (n, c, dims):
        raise RuntimeError(f"{op}: _random_samples must have shape (N, C, {dims}) = {(n, c, dims)}, got "
                           f"{tuple(random_samples.shape)}.")
    samples = random_samples.detach().to(x.device)._array.reshape(n * c, dims).astype(x.dtype.np_dtype)
    # Per plane, the flat index of every window element: (N*C, *out, *kernel), then each window's argmax,
    # all on x's device (no host read).
    xp = array_module(x._array)
    flat, stride = xp.zeros((n * c,) + (1,) * (2 * dims), dtype=np.int64), 1
    for axis in reversed(range(dims)):
        starts = _window_starts(samples[:, _SAMPLE_COLUMN[dims][axis]], spatial[axis], sizes[axis], kernel[axis])
        place = [1] * (2 * dims)
        place[axis], place[dims + axis] = sizes[axis], kernel[axis]
        offsets = xp.arange(kernel[axis]).reshape([1] * (dims + axis) + [kernel[axis]] + [1] * (dims - axis - 1))
        flat = flat + (starts.reshape(n * c, *place[:dims], *[1] * dims) + offsets) * stride
        stride *= spatial[axis]
    windows = flat.reshape(n * c, math.prod(sizes), math.prod(kernel))
    values = xp.take_along_axis(x._array.reshape(n * c, -1)[:, None, :], windows, axis=2)
    winners = xp.take_along_axis(windows, values.argmax(axis=2)[..., None], axis=2).reshape(n, c, -1)
    indices = Tensor._make(winners, False, None, x.device)
    out = restore(x.reshape(n, c, -1).gather(2, indices).reshape(n, c, *sizes))
    return (out, restore(indices.reshape(n, c, *sizes))) if return_indices else out


def fractional_max_pool2d(input, kernel_size, output_size=None, output_ratio=None, return_indices=False,
                          _random_samples=None):
    """Fractional max pooling of images (N, C, H, W) or (C, H, W) (Graham, 2014): the maximum of
    kH x kW windows whose starts step by a random, non-integer stride, so the output is
    ``output_size`` (or ``output_ratio`` times the input) for any input size.

    Each plane's windows come from its two numbers in ``_random_samples`` (N, C, 2) in [0, 1)
    (drawn with ``minitorch.rand`` when None; PyTorch's own stream differs, so give the same
    samples to get PyTorch's result). The gradient goes to each window's maximum (a ``gather``);
    ``return_indices=True`` also returns the flat index h*W + w of each maximum.

    >>> import minitorch
    >>> x = minitorch.arange(16.0).reshape(1, 1, 4, 4)
    >>> F = minitorch.nn.functional
    >>> F.fractional_max_pool2d(x, 2, output_size=2, _random_samples=minitorch.zeros(1, 1, 2)).flatten().tolist()
    [5.0, 7.0, 13.0, 15.0]
    """
    return _fractional_max_pool("fractional_max_pool2d", 2, input, kernel_size, output_size, output_ratio,
                                return_indices, _random_samples)


def fractional_max_pool3d(input, kernel_size, output_size=None, output_ratio=None, return_indices=False,
                          _random_samples=None):
    """Fractional max pooling of volumes (N, C, D, H, W) or (C, D, H, W), with ``_random_samples``
    (N, C, 3): see ``fractional_max_pool2d``. Indices are flat d*H*W + h*W + w."""
    return _fractional_max_pool("fractional_max_pool3d", 3, input, kernel_size, output_size, output_ratio,
                                return_indices, _random_samples)


def fractional_max_pool2d_with_indices(input, kernel_size, output_size=None, output_ratio=None, return_indices=False,
                                       _random_samples=None):
    """``fractional_max_pool2d(..., return_indices=True)``: the maxima and their indices."""
    return fractional_max_pool2d(input, kernel_size, output_size, output_ratio, True, _random_samples)


def fractional_max_pool3d_with_indices(input, kernel_size, output_size=None, output_ratio=None, return_indices=False,
                                       _random_samples=None):
    """``fractional_max_pool3d(..., return_indices=True)``: the maxima and their indices."""
    return fractional_max_pool3d(input, kernel_size, output_size, output_ratio, True, _random_samples)
