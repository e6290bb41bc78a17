"""Normalisation: ``batch_norm`` (per channel, over the batch and spatial dims, with running
statistics) and ``layer_norm`` (over the last dims of each sample), each one op with a
closed-form backward (``functions/normalization.py``).
"""
import numpy as np

from ... import checks
from ... import functions as ops
from ...errors import ShapeError
from ...tensor import Tensor
from ._checks import check_param, check_tensors


def check_channel_params(op, channels, dtype, running_mean, running_var, weight, bias):
    """The per-channel tensors of a normalisation: each None or of shape (channels,) (weight and
    bias also of the input's ``dtype``), and the two running statistics given together."""
    for name, t in (("running_mean", running_mean), ("running_var", running_var)):
        check_param(op, name, t, (channels,))
    for name, t in (("weight", weight), ("bias", bias)):
        check_param(op, name, t, (channels,), dtype)
    if (running_mean is None) != (running_var is None):
        raise ValueError(f"{op}: give both running_mean and running_var, or neither.")


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1,
               eps=1e-5):
    """Batch normalisation per channel of x (N, C, *): y = gamma (x - mu) / sqrt(var + eps) + beta.

    ``training=True``: mu and var (biased) are the batch's, over every axis but the channel one;
    if ``running_mean``/``running_var`` are given they are updated in place,
    r <- (1 - momentum) r + momentum s, with the unbiased batch variance for ``running_var``.
    ``training=False``: mu and var are ``running_mean`` and ``running_var``.
    ``weight`` (gamma) and ``bias`` (beta) have shape (C,); None means 1 and 0.
    ``momentum`` may also be a 0-d tensor on the input's device (BatchNorm's cumulative average
    passes 1 / num_batches_tracked so, without reading the count from a GPU).
    """
    op = "batch_norm"
    check_tensors(op, input=input)
    if input.ndim < 2:
        raise ShapeError(f"{op}: input must be (N, C) or (N, C, *), got shape {tuple(input.shape)}.")
    checks.floating(op, input)
    channels = input.shape[1]
    check_channel_params(op, channels, input.dtype, running_mean, running_var, weight, bias)
    if not training and running_mean is None:
        raise ValueError(
            f"{op}: training=False normalises with running_mean and running_var, but they are None. "
            f"Pass them, or training=True to use the batch's statistics."
        )
    if training and input.numel() // channels <= 1:
        raise ValueError(
            f"{op}: expected more than 1 value per channel when training, got input of shape "
            f"{tuple(input.shape)}: the variance of one value is 0. Use a larger batch, or eval()."
        )
    if training and running_mean is not None:  # updated in place (this bumps their versions)
        mean, var = running_mean._writable(op), running_var._writable(op)
    else:
        mean, var = (t if t is None else t._array for t in (running_mean, running_var))
    return ops.BatchNorm.apply(input, weight, bias, mean, var, bool(training),
                              momentum._array if isinstance(momentum, Tensor) else float(momentum), float(eps))


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Layer normalisation over the last dims: y = gamma (x - mu) / sqrt(var + eps) + beta,
    with mu and the biased var taken over ``normalized_shape`` (the input's trailing dims),
    separately for every leading index. ``weight`` and ``bias`` have shape ``normalized_shape``."""
    op = "layer_norm"
    check_tensors(op, input=input)
    integer = isinstance(normalized_shape, (int, np.integer))
    shape = (int(normalized_shape),) if integer else tuple(normalized_shape)
    if not shape or input.shape[input.ndim - len(shape):] != shape or len(shape) > input.ndim:
        raise ShapeError(
            f"{op}: normalized_shape={shape} must equal the input's last {len(shape)} dimension(s), "
            f"but the input has shape {tuple(input.shape)}. Expected an input of shape (*, "
            f"{', '.join(map(str, shape))})."
        )
    if not input.is_floating_point():
        raise TypeError(f"{op}: input must be a floating-point tensor, got {input.dtype!r}. Use .float().")
    for name, t in (("weight", weight), ("bias", bias)):
        check_param(op, name, t, shape, input.dtype)
    return ops.LayerNorm.apply(input, weight, bias, len(shape), float(eps))
