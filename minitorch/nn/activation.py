"""Activation functions as modules, for use inside ``Sequential``; each calls ``nn.functional``.

The math (and the derivative) of each lives in ``minitorch/functions``:
ReLU max(0, x), Sigmoid 1/(1+e^-x), Tanh, GELU x*Phi(x), Softmax e^x_i / sum_j e^x_j; and the
rest of PyTorch's: LeakyReLU, ELU, SELU, CELU, SiLU, Softplus, Softsign, Mish, Hardtanh, ReLU6,
Hardsigmoid, Hardswish, LogSigmoid, Softmin, Softmax2d, Tanhshrink, Softshrink, Hardshrink,
Threshold, GLU, PReLU (learned slopes), RReLU (random slopes while training).
"""
from .. import checks
from ..creation import full
from . import functional as F
from .module import Module
from .parameter import Parameter


class ReLU(Module):
    """``max(0, x)`` elementwise. ``inplace`` is accepted for PyTorch compatibility; the result
    is always a new tensor."""

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return F.relu(input)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


class Sigmoid(Module):
    """``1 / (1 + exp(-x))`` elementwise."""

    def forward(self, input):
        return F.sigmoid(input)


class Tanh(Module):
    """``tanh(x)`` elementwise."""

    def forward(self, input):
        return F.tanh(input)


class GELU(Module):
    """``x * Phi(x)`` (Phi: the standard normal CDF); ``approximate="tanh"`` uses the tanh formula."""

    def __init__(self, approximate="none"):
        super().__init__()
        self.approximate = approximate

    def forward(self, input):
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self):
        return f"approximate={self.approximate!r}"


class _SoftmaxBase(Module):
    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def _dim(self):
        if self.dim is None:
            raise ValueError(
                f"{type(self).__name__}: give the dimension to normalise over, e.g. "
                f"nn.{type(self).__name__}(dim=-1) for the last one."
            )
        return self.dim

    def extra_repr(self):
        return f"dim={self.dim}"


class Softmax(_SoftmaxBase):
    """``exp(x_i) / sum_j exp(x_j)`` along ``dim``: turns scores into probabilities."""

    def forward(self, input):
        return F.softmax(input, dim=self._dim())


class LogSoftmax(_SoftmaxBase):
    """``x_i - logsumexp(x)`` along ``dim``: the log of Softmax, computed stably."""

    def forward(self, input):
        return F.log_softmax(input, dim=self._dim())


class Softmin(_SoftmaxBase):
    """``exp(-x_i) / sum_j exp(-x_j)`` along ``dim``: Softmax of -x."""

    def forward(self, input):
        return F.softmin(input, dim=self._dim())


class Softmax2d(Module):
    """Softmax over the channels of each pixel: dim -3 of (N, C, H, W) or (C, H, W) images."""

    def forward(self, input):
        if input.ndim not in (3, 4):
            raise ValueError(f"Softmax2d: input must be (N, C, H, W) or (C, H, W), got shape {tuple(input.shape)}.")
        return F.softmax(input, dim=-3)


class _Elementwise(Module):
    """An activation with keyword options: ``forward`` calls ``F.<function>(input, **options)``.

    Subclasses set ``function`` (the ``F`` function) and store their options in ``__init__``,
    named as the function's arguments; ``extra_repr`` lists them, as PyTorch's repr does.
    """

    function = None
    options = ()

    def forward(self, input):
        return type(self).function(input, **{name: getattr(self, name) for name in self.options})

    def extra_repr(self):
        return ", ".join(f"{name}={getattr(self, name)}" for name in self.options if name != "inplace"
                         or self.inplace)


class LeakyReLU(_Elementwise):
    """``x`` for x > 0, else ``negative_slope * x``; see ``F.leaky_relu``."""

    function, options = F.leaky_relu, ("negative_slope", "inplace")

    def __init__(self, negative_slope=0.01, inplace=False):
        super().__init__()
        self.negative_slope, self.inplace = negative_slope, inplace


class ELU(_Elementwise):
    """``x`` for x > 0, else ``alpha (e^x - 1)``; see ``F.elu``."""

    function, options = F.elu, ("alpha", "inplace")

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__()
        self.alpha, self.inplace = alpha, inplace


class CELU(_Elementwise):
    """``x`` for x > 0, else ``alpha (e^(x/alpha) - 1)``; see ``F.celu``."""

    function, options = F.celu, ("alpha", "inplace")

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__()
        self.alpha, self.inplace = alpha, inplace


class _InplaceOnly(_Elementwise):
    """An activation whose only option is ``inplace``."""

    options = ("inplace",)

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace


class SELU(_InplaceOnly):
    """``scale * elu(x, alpha)`` with the self-normalising constants; see ``F.selu``."""

    function = F.selu


class SiLU(_InplaceOnly):
    """``x sigmoid(x)``; see ``F.silu``."""

    function = F.silu


class Mish(_InplaceOnly):
    """``x tanh(softplus(x))``; see ``F.mish``."""

    function = F.mish


class ReLU6(_InplaceOnly):
    """``min(max(x, 0), 6)``; see ``F.relu6``."""

    function = F.relu6


class Hardsigmoid(_InplaceOnly):
    """``min(max(x/6 + 1/2, 0), 1)``; see ``F.hardsigmoid``."""

    function = F.hardsigmoid


class Hardswish(_InplaceOnly):
    """``x hardsigmoid(x)``; see ``F.hardswish``."""

    function = F.hardswish


class Softplus(_Elementwise):
    """``log(1 + e^(beta x)) / beta`` (x where beta x > threshold); see ``F.softplus``."""

    function, options = F.softplus, ("beta", "threshold")

    def __init__(self, beta=1.0, threshold=20.0):
        super().__init__()
        self.beta, self.threshold = beta, threshold


class Hardtanh(_Elementwise):
    """``min(max(x, min_val), max_val)``; see ``F.hardtanh``. ``min_value``/``max_value`` are PyTorch's
    deprecated spellings of the same bounds."""

    function, options = F.hardtanh, ("min_val", "max_val", "inplace")

    def __init__(self, min_val=-1.0, max_val=1.0, inplace=False, min_value=None, max_value=None):
        super().__init__()
        self.min_val = min_val if min_value is None else min_value
        self.max_val = max_val if max_value is None else max_value
        self.inplace = inplace


class _Shrink(_Elementwise):
    options = ("lambd",)

    def __init__(self, lambd=0.5):
        super().__init__()
        self.lambd = lambd


class Softshrink(_Shrink):
    """``x - lambd`` above lambd, ``x + lambd`` below -lambd, else 0; see ``F.softshrink``."""

    function = F.softshrink


class Hardshrink(_Shrink):
    """``x`` where ``|x| > lambd``, else 0; see ``F.hardshrink``."""

    function = F.hardshrink


class Threshold(_Elementwise):
    """``x`` where ``x > threshold``, else ``value``; see ``F.threshold``."""

    function, options = F.threshold, ("threshold", "value", "inplace")

    def __init__(self, threshold, value, inplace=False):
        super().__init__()
        self.threshold, self.value, self.inplace = threshold, value, inplace


class GLU(_Elementwise):
    """``a sigmoid(b)`` for the halves a, b of the input along ``dim``; see ``F.glu``."""

    function, options = F.glu, ("dim",)

    def __init__(self, dim=-1):
        super().__init__()
        self.dim = dim


class _NoOptions(_Elementwise):
    """An activation without options."""


class Softsign(_NoOptions):
    """``x / (1 + |x|)``; see ``F.softsign``."""

    function = F.softsign


class Tanhshrink(_NoOptions):
    """``x - tanh(x)``; see ``F.tanhshrink``."""

    function = F.tanhshrink


class LogSigmoid(_NoOptions):
    """``log(sigmoid(x))``, finite for inputs of any size; see ``F.logsigmoid``."""

    function = F.logsigmoid


class PReLU(Module):
    """``x`` for x > 0, else ``a x``, with the slopes ``a`` learned: one (``num_parameters=1``) or
    one per channel (dim 1 of the input), all starting at ``init``; see ``F.prelu``."""

    def __init__(self, num_parameters=1, init=0.25, device=None, dtype=None):
        super().__init__()
        self.num_parameters = checks.integer("PReLU", "num_parameters", num_parameters, minimum=1)
        self.init = checks.real("PReLU", "init", init)
        self.weight = Parameter(full((self.num_parameters,), self.init, device=device, dtype=dtype))

    def forward(self, input):
        return F.prelu(input, self.weight)

    def extra_repr(self):
        return f"num_parameters={self.num_parameters}"


class RReLU(Module):
    """``x`` for x >= 0, else ``a x``: ``a ~ U(lower, upper)`` per element while training, the mean
    ``(lower + upper) / 2`` in eval mode; see ``F.rrelu``."""

    def __init__(self, lower=1.0 / 8, upper=1.0 / 3, inplace=False):
        super().__init__()
        self.lower, self.upper, self.inplace = lower, upper, inplace

    def forward(self, input):
        return F.rrelu(input, self.lower, self.upper, self.training, self.inplace)

    def extra_repr(self):
        return f"lower={self.lower}, upper={self.upper}" + (", inplace=True" if self.inplace else "")
