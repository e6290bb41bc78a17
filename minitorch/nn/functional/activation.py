"""Activations and softmax: relu, sigmoid, tanh, gelu, softmax, log_softmax, and the rest of
PyTorch's: leaky_relu, elu, selu, celu, silu, softplus, softsign, mish, hardtanh, relu6,
hardsigmoid, hardswish, logsigmoid, softmin, tanhshrink, softshrink, hardshrink, threshold, glu,
prelu, rrelu; the in-place forms relu_, elu_, ... write the result into their input.

relu, sigmoid, tanh, gelu, softplus and the elu family are one op each of ``minitorch/functions``
(forward and hand-written backward there); the others are compositions of ops, so their
gradients come from those ops. ``inplace=True`` writes the result into ``input`` (``copy_``):
as in PyTorch, a tensor that requires grad cannot be changed that way.
"""
import math
import warnings

from ... import checks
from ... import functions as ops
from ...autograd.composite import shown_as
from ...autograd.names import renamed
from ...creation import zeros_like
from ...errors import ShapeError
from ...namespace import where

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _result(input, output, inplace):
    """``output``, or ``input`` with ``output`` written into it when ``inplace``."""
    return input.copy_(output) if inplace else output


def relu(input, inplace=False):
    """relu(x) = max(x, 0)."""
    return _result(input, input.relu(), inplace)


def relu_(input):
    """relu(x) = max(x, 0), written into ``input``."""
    return relu(input, inplace=True)


def sigmoid(input):
    """sigmoid(x) = 1 / (1 + e^-x)."""
    return input.sigmoid()


def tanh(input):
    """tanh(x) = (e^x - e^-x) / (e^x + e^-x)."""
    return input.tanh()


def gelu(input, approximate="none"):
    """gelu(x) = x Phi(x), where Phi is the standard normal CDF.

    ``approximate="tanh"`` uses Phi(x) ~ (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) / 2.
    """
    return ops.GELU.apply(input, approximate)


def _softmax_input(op, input, dim, dtype):
    """``input`` cast to ``dtype`` (if given), and the dim to normalise over: ``dim``, or without one
    PyTorch's legacy choice (0 for 0-, 1- and 3-d inputs, else 1) with its deprecation warning."""
    if dim is None:
        dim = 0 if input.ndim in (0, 1, 3) else 1
        warnings.warn(f"{op}: implicit dimension choice is deprecated (it picked dim={dim}); "
                      f"pass dim explicitly, e.g. F.{op}(x, dim=-1).", UserWarning, stacklevel=3)
    return (input if dtype is None else input.to(dtype)), dim


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    """softmax(x)_i = e^(x_i) / sum_j e^(x_j) along ``dim`` (the max is subtracted first: no overflow).

    ``dtype`` casts the input first; ``_stacklevel`` is PyTorch's and ignored.
    """
    input, dim = _softmax_input("softmax", input, dim, dtype)
    return input.softmax(dim)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    """log_softmax(x)_i = x_i - log sum_j e^(x_j) along ``dim``; finite where log(softmax(x)) is -inf.

    ``dtype`` casts the input first; ``_stacklevel`` is PyTorch's and ignored.
    """
    input, dim = _softmax_input("log_softmax", input, dim, dtype)
    return input.log_softmax(dim)


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    """softmin(x)_i = e^(-x_i) / sum_j e^(-x_j) along ``dim``: softmax(-x). ``_stacklevel`` is ignored."""
    if dim is None:
        raise ValueError("softmin: give the dimension to normalise over, e.g. F.softmin(x, dim=-1).")
    if dtype is not None:
        input = input.to(dtype)
    return (-input).softmax(dim)


@shown_as("LeakyReluBackward0")
def leaky_relu(input, negative_slope=0.01, inplace=False):
    """leaky_relu(x) = x for x > 0, else negative_slope * x."""
    slope = checks.real("leaky_relu", "negative_slope", negative_slope)
    return _result(input, where(input > 0, input, input * slope), inplace)


def leaky_relu_(input, negative_slope=0.01):
    """leaky_relu, written into ``input``."""
    return leaky_relu(input, negative_slope, inplace=True)


def elu(input, alpha=1.0, inplace=False):
    """elu(x) = x for x > 0, else alpha (e^x - 1)."""
    alpha = checks.real("elu", "alpha", alpha)
    return _result(input, ops.ELU.apply(checks.floating("elu", input), alpha, 1.0, 1.0), inplace)


def elu_(input, alpha=1.0):
    """elu, written into ``input``."""
    return elu(input, alpha, inplace=True)


def selu(input, inplace=False):
    """selu(x) = scale * elu(x, alpha), scale = 1.0507..., alpha = 1.6733... (self-normalising)."""
    checks.floating("selu", input)
    return _result(input, ops.ELU.apply(input, SELU_ALPHA, SELU_SCALE, 1.0), inplace)


def selu_(input):
    """selu, written into ``input``."""
    return selu(input, inplace=True)


@renamed("CeluBackward0")
def celu(input, alpha=1.0, inplace=False):
    """celu(x) = x for x > 0, else alpha (e^(x / alpha) - 1); alpha must not be 0."""
    alpha = checks.real("celu", "alpha", alpha)
    if alpha == 0:
        raise ValueError("celu: alpha must not be 0 (it divides x), got 0.")
    return _result(input, ops.ELU.apply(checks.floating("celu", input), alpha, 1.0, 1 / alpha), inplace)


def celu_(input, alpha=1.0):
    """celu, written into ``input``."""
    return celu(input, alpha, inplace=True)


@shown_as("SiluBackward0")
def silu(input, inplace=False):
    """silu(x) = x sigmoid(x) (also called swish)."""
    return _result(input, input * input.sigmoid(), inplace)


def softplus(input, beta=1.0, threshold=20.0):
    """softplus(x) = log(1 + e^(beta x)) / beta, and x itself where beta x > threshold.

    Finite for inputs of any size (see ``functions/activation.py``).
    """
    beta = checks.real("softplus", "beta", beta)
    threshold = checks.real("softplus", "threshold", threshold)
    return ops.Softplus.apply(checks.floating("softplus", input), beta, threshold)


@shown_as("LogSigmoidBackward0")
def logsigmoid(input):
    """logsigmoid(x) = log(1 / (1 + e^-x)) = -softplus(-x), finite for inputs of any size."""
    return -softplus(-input, 1.0, math.inf)


@shown_as("MishBackward0")
def mish(input, inplace=False):
    """mish(x) = x tanh(softplus(x))."""
    return _result(input, input * softplus(input, 1.0, math.inf).tanh(), inplace)


def softsign(input):
    """softsign(x) = x / (1 + |x|)."""
    return input / (1 + input.abs())


def _clamp_flat_at_ends(input, lo, hi):
    """clamp(x, lo, hi) with slope 0 at x = lo and x = hi too (Clamp's slope there is 1), as PyTorch's
    hardtanh, relu6 and hardsigmoid have: the clamped copy is a constant."""
    return where((input > lo) & (input < hi), input, input.detach().clamp(lo, hi))


@shown_as("HardtanhBackward0")
def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """hardtanh(x) = min(max(x, min_val), max_val)."""
    if checks.real("hardtanh", "min_val", min_val) > checks.real("hardtanh", "max_val", max_val):
        raise ValueError(f"hardtanh: min_val ({min_val}) must not be greater than max_val ({max_val}).")
    return _result(input, _clamp_flat_at_ends(input, min_val, max_val), inplace)


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    """hardtanh, written into ``input``."""
    return hardtanh(input, min_val, max_val, inplace=True)


def relu6(input, inplace=False):
    """relu6(x) = min(max(x, 0), 6)."""
    return hardtanh(input, 0.0, 6.0, inplace)


@shown_as("HardsigmoidBackward0")
def hardsigmoid(input, inplace=False):
    """hardsigmoid(x) = min(max(x / 6 + 1/2, 0), 1): a piecewise-linear sigmoid."""
    return _result(input, _clamp_flat_at_ends(input / 6 + 0.5, 0.0, 1.0), inplace)


@shown_as("HardswishBackward0")
def hardswish(input, inplace=False):
    """hardswish(x) = x hardsigmoid(x)."""
    return _result(input, input * hardsigmoid(input), inplace)


def tanhshrink(input):
    """tanhshrink(x) = x - tanh(x)."""
    return input - input.tanh()


@shown_as("SoftshrinkBackward0")
def softshrink(input, lambd=0.5):
    """softshrink(x) = x - lambd for x > lambd, x + lambd for x < -lambd, else 0: x - clamp(x, -lambd, lambd)."""
    lambd = checks.real("softshrink", "lambd", lambd, minimum=0)
    return input - input.clamp(-lambd, lambd)


@shown_as("HardshrinkBackward0")
def hardshrink(input, lambd=0.5):
    """hardshrink(x) = x where |x| > lambd, else 0."""
    lambd = checks.real("hardshrink", "lambd", lambd)
    return where(input.abs() > lambd, input, 0.0)


def _threshold(input, level, value, inplace):
    checks.real("threshold", "threshold", level)
    checks.real("threshold", "value", value)
    return _result(input, where(input > level, input, value), inplace)


@shown_as("ThresholdBackward0")
def threshold(input, threshold, value, inplace=False):
    """threshold(x) = x where x > threshold, else value."""
    return _threshold(input, threshold, value, inplace)


def threshold_(input, threshold, value):
    """threshold, written into ``input``."""
    return _threshold(input, threshold, value, True)


@shown_as("GluBackward0")
def glu(input, dim=-1):
    """glu(a, b) = a sigmoid(b), where a and b are the two halves of ``input`` along ``dim``."""
    axis = checks.dim("glu", dim, input.ndim)
    if input.ndim == 0 or input.shape[axis] % 2:
        size = input.shape[axis] if input.ndim else "0-d"
        raise ShapeError(f"glu: dimension {dim} is halved, so its size must be even, got {size}.")
    a, b = input.chunk(2, axis)
    return a * b.sigmoid()


def prelu(input, weight):
    """prelu(x) = x for x > 0, else w x; w is learned, one value or one per channel (dim 1)."""
    channels = input.shape[1] if input.ndim >= 2 else 1
    if weight.numel() not in (1, channels):
        raise ShapeError(
            f"prelu: weight has {weight.numel()} element(s); it needs 1 or one per channel "
            f"(the input's dim 1 has size {channels})."
        )
    if input.ndim >= 2:  # a view even when the shape stays, as PyTorch's (its node shows in next_functions)
        weight = ops.Reshape.apply(weight, (weight.numel(),) + (1,) * (input.ndim - 2))
    return _prelu_kernel(input, weight)


@shown_as("PreluKernelBackward0", inputs=2)
def _prelu_kernel(input, weight):
    """prelu's y = x for x > 0, else w x, with ``weight`` already shaped to broadcast over ``input``."""
    return where(input > 0, input, weight * input)


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):
    """rrelu(x) = x for x >= 0, else a x; a ~ U(lower, upper) per element in training, else (lower + upper) / 2.

    The draws follow ``minitorch.manual_seed`` (they are not PyTorch's numbers).
    """
    lower, upper = checks.real("rrelu", "lower", lower), checks.real("rrelu", "upper", upper)
    if lower > upper:
        raise ValueError(f"rrelu: lower ({lower}) must not be greater than upper ({upper}).")
    if not training:
        return leaky_relu(input, (lower + upper) / 2, inplace)
    slopes = zeros_like(input).uniform_(lower, upper)
    return _result(input, where(input >= 0, input, input * slopes), inplace)


def rrelu_(input, lower=1.0 / 8, upper=1.0 / 3, training=False):
    """rrelu, written into ``input``."""
    return rrelu(input, lower, upper, training, inplace=True)
