"""Activation functions as modules, for use inside ``Sequential``; each calls ``nn.functional``.

The math (and the derivative) of each lives in ``minitorch/functions``:
ReLU max(0, x), Sigmoid 1/(1+e^-x), Tanh, GELU x*Phi(x), Softmax e^x_i / sum_j e^x_j.
"""
from . import functional as F
from .module import Module


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
