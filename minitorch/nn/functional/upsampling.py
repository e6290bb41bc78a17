"""Resizing signals and images: ``interpolate`` (nearest, linear, bilinear, area).

``interpolate`` is the ``Interpolate`` op (``functions/resample.py``): a gather along each
axis, and for the linear modes a blend of the two neighbours, with PyTorch's source positions;
``mode="area"`` is adaptive average pooling.
"""
import math

from ... import checks
from ... import functions as ops
from ...errors import ShapeError
from ...functions.resample import axis_weights
from ._checks import check_tensors
from .conv import _batch, adaptive_avg_pool1d, adaptive_avg_pool2d

MODES = ("nearest", "nearest-exact", "linear", "bilinear", "area")
_NEEDS = {"linear": 3, "bilinear": 4}  # the input's ndim each interpolating mode takes


def _per_axis(op, name, value, dims, check):
    """An int/float, or a sequence of one per spatial axis, as a list of ``dims`` checked values."""
    values = list(value) if isinstance(value, (tuple, list)) else [value] * dims
    if len(values) != dims:
        raise ValueError(
            f"{op}: {name} {value!r} gives {len(values)} sizes, but the input has {dims} spatial "
            f"dimension(s): give one per dimension after (N, C), or a single number for all."
        )
    return [check(op, name, v) for v in values]


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    """Resize (N, C, L) signals or (N, C, H, W) images to ``size``, or by ``scale_factor``.

    - ``size``: the output's spatial size (an int, or one per axis); ``scale_factor``: a number
      (or one per axis), the output size being floor(input size * scale_factor). Give exactly one.
    - ``mode``: "nearest" (the pixel at floor(k * scale), PyTorch's rule, with scale = in / out
      or 1 / scale_factor), "nearest-exact" (the pixel at floor((k + 0.5) * scale)), "linear"
      (3-D input) and "bilinear" (4-D input): the blend of the two (per axis) nearest pixels,
      "area": the mean of each adaptive window (``adaptive_avg_pool2d``).
    - ``align_corners`` (linear modes only; None means False): True maps the corner pixels'
      centres onto each other, s(k) = k (in - 1) / (out - 1); False treats pixels as areas,
      s(k) = (k + 0.5) * scale - 0.5.
    - ``recompute_scale_factor=True``: compute the scale from the sizes (in / out) rather than
      use ``scale_factor`` itself (they differ when in * scale_factor is not a whole number).
    - ``antialias``: only False; True (PyTorch's filter for downsampling) is not implemented.

    The nearest modes take integer tensors too (no gradient); the others need floating point.
    The gradient is the adjoint of the resampling: each output's gradient goes back to the
    pixels it read, with the weights it read them with.
    """
    op = "interpolate"
    check_tensors(op, input=input)
    if mode not in MODES:
        raise NotImplementedError(f"{op}: mode {mode!r} is not implemented; minitorch has {', '.join(MODES)}.")
    if input.ndim not in (3, 4):
        raise NotImplementedError(
            f"{op}: got a {input.ndim}-D input of shape {tuple(input.shape)}; minitorch resizes 3-D (N, C, L) "
            f"signals and 4-D (N, C, H, W) images (add a batch dim with unsqueeze(0))."
        )
    if mode in _NEEDS and input.ndim != _NEEDS[mode]:
        raise NotImplementedError(f"{op}: got a {input.ndim}-D input, but {mode} mode needs a {_NEEDS[mode]}-D input.")
    if align_corners is not None and mode not in _NEEDS:
        raise ValueError(f"{op}: align_corners can only be set with the interpolating modes linear and bilinear, "
                         f"not with mode={mode!r}.")
    if antialias:
        raise NotImplementedError(f"{op}: antialias=True is not implemented in minitorch; resize without it.")
    if (size is None) == (scale_factor is None):
        which = "only one of" if size is not None else "either"
        raise ValueError(f"{op}: {which} size or scale_factor should be defined.")
    dims, spatial = input.ndim - 2, tuple(input.shape[2:])
    if size is not None:
        if recompute_scale_factor:
            raise ValueError(f"{op}: recompute_scale_factor is not meaningful with an explicit size.")
        sizes, factors = _per_axis(op, "size", size, dims, checks.integer), [None] * dims
    else:
        factors = _per_axis(op, "scale_factor", scale_factor, dims, checks.real)
        sizes = [math.floor(n * f) for n, f in zip(spatial, factors)]
        factors = [None] * dims if recompute_scale_factor else factors
    if min(sizes) < 1:
        raise ShapeError(f"{op}: input and output sizes must be at least 1, but got input {spatial} and "
                         f"output {tuple(sizes)}.")
    if mode == "area":
        return (adaptive_avg_pool1d if dims == 1 else adaptive_avg_pool2d)(input, tuple(sizes))
    x, restore = _batch(op, input, dims, integers=mode.startswith("nearest"))
    blend = "linear" if mode in _NEEDS else mode
    dtype = x.dtype.np_dtype
    cols = axis_weights(x.shape[3], sizes[-1], blend, align_corners, factors[-1], dtype)
    rows = axis_weights(x.shape[2], sizes[0], blend, align_corners, factors[0], dtype) if dims == 2 else (
        axis_weights(1, 1, "nearest", None, None, dtype))  # a signal's height: the identity
    return restore(ops.Interpolate.apply(x, rows, cols))
