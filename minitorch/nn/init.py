"""Weight initialisation: fill a tensor in place with well-scaled random numbers.

Why scale matters: a layer ``y = W x`` with ``fan_in`` inputs has
``Var(y) = fan_in * Var(W) * Var(x)`` (independent, zero-mean entries). If
``Var(W)`` is too large the activations (and gradients) grow layer after layer;
too small and they vanish. The schemes below pick ``Var(W)`` so that the
variance is preserved:

- Xavier / Glorot (tanh, sigmoid, linear): ``Var(W) = gain^2 * 2 / (fan_in + fan_out)``,
  a compromise between preserving the forward (fan_in) and backward (fan_out) variance.
- Kaiming / He (ReLU family): ``Var(W) = gain^2 / fan``, where ReLU's gain ``sqrt(2)``
  makes up for ReLU zeroing half of its inputs.

A uniform distribution U(-b, b) has variance ``b^2 / 3``, so the uniform variants
use the bound ``b = sqrt(3) * std``.

Every function works in place under ``no_grad``, draws from the seeded generator
(``minitorch.manual_seed``) unless given ``generator=``, and returns the tensor.
For a conv weight of shape (out_channels, in_channels, kh, kw),
``fan_in = in_channels * kh * kw`` and ``fan_out = out_channels * kh * kw``.
"""
import math
import numbers
import warnings

import numpy as np

from .. import checks
from ..autograd.grad_mode import no_grad
from ..random import rng


def calculate_gain(nonlinearity, param=None):
    """The recommended gain (std multiplier) for a nonlinearity.

    =================  ====================================
    nonlinearity       gain
    =================  ====================================
    linear, conv*d,    1
    sigmoid
    tanh               5/3
    relu               sqrt(2)
    leaky_relu         sqrt(2 / (1 + negative_slope^2)); ``param`` is the slope (default 0.01)
    selu               3/4
    =================  ====================================
    """
    ### BEGIN SOLUTION 3.19: return the gain of the table above (a clear ValueError for an unknown nonlinearity or a slope that is not a number)
    linear_like = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                   "conv_transpose3d", "sigmoid")
    if nonlinearity in linear_like:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        if isinstance(slope, bool) or not isinstance(slope, (int, float)):
            raise ValueError(f"calculate_gain: negative_slope {slope!r} is not a number.")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(
        f"calculate_gain: unsupported nonlinearity {nonlinearity!r}; expected one of "
        f"{', '.join(linear_like)}, tanh, relu, leaky_relu, selu."
    )
    ### END SOLUTION


def _calculate_fan_in_and_fan_out(tensor):
    """(fan_in, fan_out) of a weight: (out, in) for Linear, (out, in, *kernel) for convolutions."""
    ### BEGIN SOLUTION 3.19: return (fan_in, fan_out) of a weight with at least 2 dimensions (a clear ValueError otherwise)
    if tensor.ndim < 2:
        raise ValueError(
            f"fan in and fan out cannot be computed for a tensor with {tensor.ndim} dimension(s) "
            f"(shape {tuple(tensor.shape)}); weight-scaling initialisers need at least 2 dimensions."
        )
    receptive_field = int(np.prod(tensor.shape[2:]))
    return tensor.shape[1] * receptive_field, tensor.shape[0] * receptive_field
    ### END SOLUTION


def _fill(tensor, array):
    with no_grad():
        tensor.copy_(array)
    return tensor


def uniform_(tensor, a=0.0, b=1.0, generator=None):
    """Fill with samples from U(a, b)."""
    ### BEGIN SOLUTION 3.19: fill the tensor in place with U(a, b) samples from rng(generator) and return it
    return _fill(tensor, rng(generator).uniform(a, b, tensor.shape))
    ### END SOLUTION


def normal_(tensor, mean=0.0, std=1.0, generator=None):
    """Fill with samples from N(mean, std^2)."""
    checks.real("normal_", "std", std, minimum=0, range_error=RuntimeError)
    return _fill(tensor, rng(generator).normal(mean, std, tensor.shape))


def _normal_cdf(x, mean, std):
    return 0.5 * (1 + math.erf((x - mean) / (std * math.sqrt(2))))


def trunc_normal_(tensor, mean=0.0, std=1.0, a=-2.0, b=2.0, generator=None):
    """Fill with N(mean, std^2) samples conditioned on lying in [a, b] (redrawn until they do).

    ``a`` and ``b`` are absolute bounds, as in PyTorch (not multiples of ``std``).
    """
    if not a < b:
        raise ValueError(f"trunc_normal_: need a < b, got a={a}, b={b}.")
    ### BEGIN SOLUTION 3.16: fill with N(mean, std^2) samples that lie in [a, b] (redraw the others; a clear ValueError when [a, b] holds almost none of the mass)
    mass = _normal_cdf(b, mean, std) - _normal_cdf(a, mean, std)
    if mass < 1e-6:
        raise ValueError(
            f"trunc_normal_: [a, b] = [{a}, {b}] holds almost none of N({mean}, {std}^2) "
            f"(probability {mass:.2g}); choose bounds near the mean."
        )
    gen, n = rng(generator), int(np.prod(tensor.shape))
    kept = np.empty(0)
    while kept.size < n:
        draws = gen.normal(mean, std, int((n - kept.size) / mass * 1.2) + 16)
        kept = np.concatenate([kept, draws[(draws >= a) & (draws <= b)]])
    return _fill(tensor, kept[:n].reshape(tensor.shape))
    ### END SOLUTION


def constant_(tensor, val):
    """Fill with the value ``val``."""
    if not isinstance(val, numbers.Number):
        raise TypeError(f"constant_: val must be a number, got {val!r}.")
    with no_grad():
        return tensor.fill_(val)


def ones_(tensor):
    return constant_(tensor, 1.0)


def zeros_(tensor):
    return constant_(tensor, 0.0)


def xavier_uniform_(tensor, gain=1.0, generator=None):
    """Glorot uniform: U(-b, b) with ``b = gain * sqrt(6 / (fan_in + fan_out))``
    (variance ``gain^2 * 2 / (fan_in + fan_out)``)."""
    ### BEGIN SOLUTION 3.19: fill with Glorot uniform samples
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator)
    ### END SOLUTION


def xavier_normal_(tensor, gain=1.0, generator=None):
    """Glorot normal: N(0, std^2) with ``std = gain * sqrt(2 / (fan_in + fan_out))``."""
    ### BEGIN SOLUTION 3.16: fill with Glorot normal samples (the fans from _calculate_fan_in_and_fan_out)
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    return normal_(tensor, 0.0, std, generator)
    ### END SOLUTION


def _kaiming_std(tensor, a, mode, nonlinearity):
    ### BEGIN SOLUTION 3.19: return He's std for the chosen fan (0 when the tensor is empty)
    checks.choice("kaiming init", "mode", mode, ("fan_in", "fan_out"))
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    fan = fan_in if mode == "fan_in" else fan_out
    if fan == 0:  # the tensor has no elements: nothing to fill
        return 0.0
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)
    ### END SOLUTION


def kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """He uniform: U(-b, b) with ``b = gain * sqrt(3 / fan)``, ``gain = calculate_gain(nonlinearity, a)``.

    ``mode="fan_in"`` preserves the variance of the activations in the forward pass,
    ``"fan_out"`` that of the gradients in the backward pass. ``a`` is the negative slope
    of a leaky ReLU (0 gives plain ReLU's gain sqrt(2)).
    """
    ### BEGIN SOLUTION 3.19: fill with He uniform samples
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    return uniform_(tensor, -bound, bound, generator)
    ### END SOLUTION


def kaiming_normal_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """He normal: N(0, std^2) with ``std = gain / sqrt(fan)``; arguments as in ``kaiming_uniform_``."""
    ### BEGIN SOLUTION 3.16: fill with He normal samples (the std from _kaiming_std)
    return normal_(tensor, 0.0, _kaiming_std(tensor, a, mode, nonlinearity), generator)
    ### END SOLUTION


def default_layer_init_(weight, bias=None):
    """PyTorch's default for Linear and Conv layers: weight ~ kaiming_uniform_(a=sqrt(5)), which
    is U(-1/sqrt(fan_in), 1/sqrt(fan_in)), and the bias ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in))."""
    ### BEGIN SOLUTION 3.19: initialise weight and bias as PyTorch's Linear and Conv layers do
    kaiming_uniform_(weight, a=math.sqrt(5))
    if bias is not None:
        fan_in, _ = _calculate_fan_in_and_fan_out(weight)
        bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
        uniform_(bias, -bound, bound)
    ### END SOLUTION


def _require_ndim(op, tensor, allowed):
    if tensor.ndim not in allowed:
        wanted = " or ".join(str(n) for n in allowed) if len(allowed) < 3 else "3, 4, or 5"
        raise ValueError(
            f"{op}: only tensors with {wanted} dimensions are supported, got shape {tuple(tensor.shape)}."
        )


def eye_(tensor):
    """Fill a 2-D tensor with the identity matrix (ones on the diagonal, zeros elsewhere)."""
    _require_ndim("eye_", tensor, (2,))
    return _fill(tensor, np.eye(*tensor.shape))


def dirac_(tensor, groups=1):
    """Fill a 3-, 4- or 5-D conv weight with the Dirac delta: a convolution that copies its input
    channels (``groups`` splits the output channels into that many identity blocks)."""
    _require_ndim("dirac_", tensor, (3, 4, 5))
    out_channels = tensor.shape[0]
    if out_channels % groups != 0:
        raise ValueError(f"dirac_: dim 0 ({out_channels}) must be divisible by groups ({groups}).")
    per_group = out_channels // groups
    array = np.zeros(tensor.shape)
    centre = tuple(n // 2 for n in tensor.shape[2:])
    for g in range(groups):
        for d in range(min(per_group, tensor.shape[1])):
            array[(g * per_group + d, d, *centre)] = 1.0
    return _fill(tensor, array)


def orthogonal_(tensor, gain=1, generator=None):
    """Fill with a (semi-)orthogonal matrix times ``gain``: the Q of the QR decomposition of a normal
    random matrix (signs fixed by R's diagonal), over the tensor viewed as (size(0), rest)."""
    if tensor.ndim < 2:
        raise ValueError(
            f"orthogonal_: only tensors with 2 or more dimensions are supported, got shape {tuple(tensor.shape)}."
        )
    if tensor.numel() == 0:
        return tensor
    ### BEGIN SOLUTION 3.16: fill the tensor, viewed as (size(0), rest), with gain times a random (semi-)orthogonal matrix (numpy's QR of normal samples)
    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    flat = rng(generator).standard_normal((rows, cols))
    q, r = np.linalg.qr(flat.T if rows < cols else flat)
    q = q * np.sign(np.diag(r))
    return _fill(tensor, gain * (q.T if rows < cols else q).reshape(tensor.shape))
    ### END SOLUTION


def sparse_(tensor, sparsity, std=0.01, generator=None):
    """Fill a 2-D tensor with N(0, std^2) samples, then zero ``ceil(sparsity * rows)`` random
    entries of every column."""
    _require_ndim("sparse_", tensor, (2,))
    rows, cols = tensor.shape
    gen = rng(generator)
    array = gen.normal(0.0, std, (rows, cols))
    num_zeros = int(math.ceil(sparsity * rows))
    for col in range(cols):
        array[gen.permutation(rows)[:num_zeros], col] = 0.0
    return _fill(tensor, array)


def _deprecated(new):
    """PyTorch's old name for ``new`` (``normal`` for ``normal_``): the same call, with its FutureWarning."""
    old = new.__name__[:-1]

    def deprecated(*args, **kwargs):
        warnings.warn(f"`nn.init.{old}` is now deprecated in favor of `nn.init.{new.__name__}`.", FutureWarning,
                      stacklevel=2)
        return new(*args, **kwargs)

    deprecated.__name__ = deprecated.__qualname__ = old
    deprecated.__doc__ = f"Deprecated: ``{new.__name__}`` (same arguments), with PyTorch's FutureWarning."
    return deprecated


uniform, normal, constant, eye, dirac = (_deprecated(f) for f in (uniform_, normal_, constant_, eye_, dirac_))
xavier_uniform, xavier_normal = _deprecated(xavier_uniform_), _deprecated(xavier_normal_)
kaiming_uniform, kaiming_normal = _deprecated(kaiming_uniform_), _deprecated(kaiming_normal_)
orthogonal, sparse = _deprecated(orthogonal_), _deprecated(sparse_)
