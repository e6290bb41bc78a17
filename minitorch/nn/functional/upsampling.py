"""Resizing signals, images and volumes: ``interpolate`` (nearest, linear, bilinear, trilinear, area).

``interpolate`` is the ``Interpolate`` op (``functions/resample.py``): a gather along each
axis, and for the linear modes a blend of the two neighbours, with PyTorch's source positions;
``mode="area"`` is adaptive average pooling.
"""
import math

from ... import checks
from ... import functions as ops
from ...autograd.names import renamed
from ...errors import ShapeError
from ...functions.resample import axis_weights
from ._checks import check_tensors
from .conv import _batch, adaptive_avg_pool1d, adaptive_avg_pool2d
from .volumetric import adaptive_avg_pool3d

MODES = ("nearest", "nearest-exact", "linear", "bilinear", "trilinear", "area")
_NEEDS = {"linear": 3, "bilinear": 4, "trilinear": 5}  # the input's ndim each interpolating mode takes
_AREA = {1: adaptive_avg_pool1d, 2: adaptive_avg_pool2d, 3: adaptive_avg_pool3d}


def _per_axis(op, name, value, dims, check):
    """An int/float, or a sequence of one per spatial axis, as a list of ``dims`` checked values."""
    values = list(value) if isinstance(value, (tuple, list)) else [value] * dims
    if len(values) != dims:
        raise ValueError(
            f"{op}: {name} {value!r} gives {len(values)} sizes, but the input has {dims} spatial "
            f"dimension(s): give one per dimension after (N, C), or a single number for all."
        )
    return [check(op, name, v) for v in values]


_UPSAMPLE = {"nearest": "Nearest{}D", "nearest-exact": "NearestExact{}D", "linear": "Linear1D",
             "bilinear": "Bilinear2D", "bicubic": "Bicubic2D", "trilinear": "Trilinear3D"}


def _upsample_name(input, mode):
    """PyTorch's node for interpolate in ``mode`` on ``input`` (None for "area": adaptive pooling's own)."""
    return f"Upsample{_UPSAMPLE[mode].format(input.ndim - 2)}Backward0" if mode in _UPSAMPLE else None


@renamed(lambda input, size=None, scale_factor=None, mode="nearest", *args, **kwargs: _upsample_name(input, mode))
def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    """Resize (N, C, L) signals, (N, C, H, W) images or (N, C, D, H, W) volumes to ``size``, or by ``scale_factor``.

    - ``size``: the output's spatial size (an int, or one per axis); ``scale_factor``: a number
      (or one per axis), the output size being floor(input size * scale_factor). Give exactly one.
    - ``mode``: "nearest" (the pixel at floor(k * scale), PyTorch's rule, with scale = in / out
      or 1 / scale_factor), "nearest-exact" (the pixel at floor((k + 0.5) * scale)), "linear"
      (3-D input), "bilinear" (4-D input) and "trilinear" (5-D input): the blend of the two (per
      axis) nearest pixels, "area": the mean of each adaptive window (``adaptive_avg_pool2d``).
    - ``align_corners`` (linear modes only; None means False): True maps the corner pixels'
      centres onto each other, s(k) = k (in - 1) / (out - 1); False treats pixels as areas,
      s(k) = (k + 0.5) * scale - 0.5.
    - ``recompute_scale_factor=True``: compute the scale from the sizes (in / out) rather than
      use ``scale_factor`` itself (they differ when in * scale_factor is not a whole number).
    - ``antialias``: only False; True (PyTorch's filter for downsampling) is not implemented.

    The nearest modes take integer tensors too (no gradient), and "bilinear" uint8 images, in
    PyTorch's fixed-point arithmetic (rounded, so within 1 of the float result); the others
    need floating point.
    The gradient is the adjoint of the resampling: each output's gradient goes back to the
    pixels it read, with the weights it read them with.
    """
    op = "interpolate"
    check_tensors(op, input=input)
    if mode not in MODES:
        raise NotImplementedError(f"{op}: mode {mode!r} is not implemented; minitorch has {', '.join(MODES)}.")
    if input.ndim not in (3, 4, 5):
        raise NotImplementedError(
            f"{op}: got a {input.ndim}-D input of shape {tuple(input.shape)}; minitorch resizes 3-D (N, C, L) "
            f"signals, 4-D (N, C, H, W) images and 5-D (N, C, D, H, W) volumes (add a batch dim with unsqueeze(0))."
        )
    if mode in _NEEDS and input.ndim != _NEEDS[mode]:
        raise NotImplementedError(f"{op}: got a {input.ndim}-D input, but {mode} mode needs a {_NEEDS[mode]}-D input.")
    if align_corners is not None and mode not in _NEEDS:
        raise ValueError(f"{op}: align_corners can only be set with the interpolating modes linear, bilinear "
                         f"and trilinear, not with mode={mode!r}.")
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
        return _AREA[dims](input, tuple(sizes))
    uint8_image = mode == "bilinear" and input.dtype.name == "uint8"
    x, restore = _batch(op, input, dims, integers=mode.startswith("nearest") or uint8_image)
    blend = "linear" if mode in _NEEDS else mode
    dtype = "float64" if uint8_image else x.dtype.np_dtype  # uint8: float64 weights, then fixed point
    weights = tuple(axis_weights(n, out, blend, align_corners, factor, dtype)
                    for n, out, factor in zip(spatial, sizes, factors))
    return restore(ops.Interpolate.apply(x, weights))


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """PyTorch's old name for ``interpolate`` (deprecated there, kept for old code): the same resize."""
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    """PyTorch's old ``interpolate(input, size, scale_factor, mode="nearest")`` (deprecated there)."""
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    """PyTorch's old ``interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)``
    (deprecated there): note the corners aligned, unlike ``interpolate``'s default."""
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)
