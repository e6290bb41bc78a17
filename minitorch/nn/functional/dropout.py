"""Channel-wise and self-normalising dropout: ``dropout1d``, ``dropout2d``, ``dropout3d``,
``alpha_dropout`` and ``feature_alpha_dropout``.

All multiply the input by a random mask (drawn from ``minitorch.random.rng()``, so
``minitorch.manual_seed`` repeats it) and add a constant, so their gradient is the mask:
dL/dx = dL/dy * mask. The "feature" forms draw one mask value per (sample, channel) and
zero whole feature maps, for inputs (N, C, *) whose neighbouring positions are correlated.
"""
import warnings

from ... import checks
from ...random import rng
from ._checks import check_tensors

# SELU's negative saturation value, -scale * alpha: alpha dropout sets dropped units to it.
_SELU_FLOOR = 1.7580993408473766


def _keep_mask(op, input, p, per_channel):
    """A 0/1 mask in the input's dtype, 1 with probability 1 - p: one value per element, or per
    (sample, channel) of an (N, C, *) input when ``per_channel``."""
    if per_channel and input.ndim < 2:
        raise RuntimeError(f"{op}: expected an input of shape (N, C, *), got shape {tuple(input.shape)}.")
    ### BEGIN SOLUTION 3.22: return the 0/1 keep mask drawn from rng(), per element or per (sample, channel)
    shape = tuple(input.shape[:2]) + (1,) * (input.ndim - 2) if per_channel else tuple(input.shape)
    return (rng().random(shape) >= p).astype(input._array.dtype)
    ### END SOLUTION


def _scaled(op, input, p, training, per_channel):
    """y = x * m / (1 - p), the mask m from ``_keep_mask`` (y = 0 for p = 1)."""
    check_tensors(op, input=input)
    checks.real(op, "p (a probability)", p, minimum=0, maximum=1)
    if not training or p == 0:
        return input
    ### BEGIN SOLUTION 3.22: return the input masked by _keep_mask and rescaled (0 for p = 1)
    if p == 1:
        return input * 0
    return input * (_keep_mask(op, input, p, per_channel) / (1 - p)).astype(input._array.dtype)
    ### END SOLUTION


def _channelwise(op, input, p, training, batched_ndim):
    """Feature dropout of an (N, C, *) input with ``batched_ndim`` dims, or of one sample (C, *)."""
    if input.ndim == batched_ndim - 1:
        return _scaled(op, input.unsqueeze(0), p, training, per_channel=True).squeeze(0)
    return _scaled(op, input, p, training, per_channel=True)


def dropout1d(input, p=0.5, training=True, inplace=False):
    """Zero each channel of (N, C, L) or (C, L) with probability p, scale the rest by 1/(1-p).

    ``inplace`` is accepted for PyTorch code; a new tensor is returned.

    >>> import minitorch
    >>> minitorch.nn.functional.dropout1d(minitorch.ones(2, 3), 0.5, training=False)
    tensor([[1., 1., 1.],
            [1., 1., 1.]])
    """
    check_tensors("dropout1d", input=input)
    if input.ndim not in (2, 3):
        raise RuntimeError(
            f"dropout1d: expected a 2-D (C, L) or 3-D (N, C, L) input, got shape {tuple(input.shape)}. "
            f"Use dropout for other shapes."
        )
    return _channelwise("dropout1d", input, p, training, 3)


def dropout2d(input, p=0.5, training=True, inplace=False):
    """Zero each channel of (N, C, H, W) with probability p, scale the rest by 1/(1-p).

    As PyTorch's, a 3-D input is taken as (N, C, L) (with a warning), and other ranks warn too.

    >>> import minitorch
    >>> minitorch.nn.functional.dropout2d(minitorch.ones(1, 2, 1, 1), 1.0).flatten()
    tensor([0., 0.])
    """
    check_tensors("dropout2d", input=input)
    if input.ndim not in (3, 4):
        warnings.warn(f"dropout2d: received a {input.ndim}-D input; dropout2d expects (N, C, H, W). "
                      f"Use dropout for other shapes.", stacklevel=2)
    elif input.ndim == 3:
        warnings.warn("dropout2d: received a 3-D input, taken as (N, C, L) as PyTorch does; use dropout1d "
                      "for channel-wise dropout of 1-D signals.", stacklevel=2)
    return _scaled("dropout2d", input, p, training, per_channel=True)


def dropout3d(input, p=0.5, training=True, inplace=False):
    """Zero each channel of (N, C, D, H, W) or (C, D, H, W) with probability p, scale the rest by 1/(1-p).

    >>> import minitorch
    >>> minitorch.nn.functional.dropout3d(minitorch.ones(2, 1, 1, 1), 0.0).flatten()
    tensor([1., 1.])
    """
    check_tensors("dropout3d", input=input)
    if input.ndim not in (4, 5):
        warnings.warn(f"dropout3d: received a {input.ndim}-D input; dropout3d expects (N, C, D, H, W). "
                      f"Use dropout for other shapes.", stacklevel=2)
    return _channelwise("dropout3d", input, p, training, 5)


def _alpha(op, input, p, training, per_channel):
    """y = a (x m + s (m - 1)) + a s p with s = SELU's floor and a = ((1 - p)(1 + p s^2))^(-1/2):
    dropped units take SELU's saturation value, and a, b keep mean 0 and variance 1."""
    check_tensors(op, input=input)
    checks.real(op, "p (a probability)", p, minimum=0, maximum=1)
    if not training or p == 0:
        return input
    if p == 1:
        return input * 0
    keep = _keep_mask(op, input, p, per_channel)
    a = ((1 - p) * (1 + p * _SELU_FLOOR ** 2)) ** -0.5
    shift = (a * _SELU_FLOOR * (keep - 1 + p)).astype(keep.dtype)
    return input * (keep * a).astype(keep.dtype) + shift


def alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Dropout for SELU networks: dropped units become SELU's saturation value, then an affine map
    restores zero mean and unit variance (see ``_alpha``). Off unless ``training=True``.

    >>> import minitorch
    >>> minitorch.nn.functional.alpha_dropout(minitorch.ones(3), 0.5)
    tensor([1., 1., 1.])
    """
    return _alpha("alpha_dropout", input, p, training, per_channel=False)


def feature_alpha_dropout(input, p=0.5, training=False, inplace=False):
    """``alpha_dropout`` with one mask value per (sample, channel) of an (N, C, *) input.

    >>> import minitorch
    >>> minitorch.nn.functional.feature_alpha_dropout(minitorch.ones(1, 2), 0.5)
    tensor([[1., 1.]])
    """
    return _alpha("feature_alpha_dropout", input, p, training, per_channel=True)
