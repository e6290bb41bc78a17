"""``minitorch.special``: PyTorch's ``torch.special``, the special functions under their SciPy names.

Most are other names of ops minitorch has anyway (``expit`` is ``sigmoid``, ``gammaln`` is
``lgamma``, ``psi`` is ``digamma``); the ones with no Tensor method in PyTorch (the scaled Bessel
functions i0e, i1, i1e; the normal distribution's ndtr, ndtri, log_ndtr; erfcx, entr, xlog1py)
live here only, each one op of ``minitorch/functions/`` (``bessel.py``, ``gaussian.py``,
``entropy.py``, ``gamma.py``'s Hurwitz ``zeta``) with its gradient written by hand.

>>> import minitorch
>>> minitorch.special.ndtr(minitorch.tensor([0.0, 1.0]))
tensor([0.5000, 0.8413])
"""
from . import checks
from . import functions as ops
from .tensor import Tensor

__all__ = [
    "expit", "logit", "xlogy", "xlog1py", "gammaln", "digamma", "psi", "polygamma", "multigammaln",
    "i0", "i0e", "i1", "i1e", "ndtr", "ndtri", "log_ndtr", "erf", "erfc", "erfcx", "erfinv", "exp2",
    "expm1", "log1p", "sinc", "round", "softmax", "log_softmax", "logsumexp", "entr", "zeta",
]


def _unary(name, op):
    """``minitorch.special.<name>(input)``: ``op`` on input, an integer tensor made float32 first."""

    def function(input):
        return op.apply(checks.tensor(f"special.{name}", "input", input)._float())

    function.__name__ = function.__qualname__ = name
    function.__doc__ = f"{op.__doc__.splitlines()[0]}\n\nElementwise; an integer tensor is made float32 first."
    return function


i0e = _unary("i0e", ops.I0e)
i1 = _unary("i1", ops.I1)
i1e = _unary("i1e", ops.I1e)
ndtr = _unary("ndtr", ops.Ndtr)
ndtri = _unary("ndtri", ops.Ndtri)
log_ndtr = _unary("log_ndtr", ops.LogNdtr)
erfcx = _unary("erfcx", ops.Erfcx)
entr = _unary("entr", ops.Entr)


def polygamma(n, input):
    """The n-th derivative of digamma, elementwise (PyTorch's argument order: ``n`` first).

    >>> import minitorch
    >>> minitorch.special.polygamma(1, minitorch.tensor([1.0]))
    tensor([1.6449])
    """
    return checks.tensor("polygamma", "input", input).polygamma(n)


def multigammaln(input, p):
    """The multivariate log-gamma function of dimension p (``Tensor.mvlgamma``)."""
    return checks.tensor("multigammaln", "input", input).mvlgamma(p)


def _pair(op, input, other):
    """(input, other) with a Python number on one side made a tensor like the other's."""
    if not isinstance(input, Tensor):
        other = checks.tensor(op, "other", other)
        input = other.new_tensor(input, dtype=other.dtype if other.is_floating_point() else None)
    return input, other


def xlogy(input, other):
    """input * ln(other), 0 where input is 0; either may be a Python number."""
    input, other = _pair("special.xlogy", input, other)
    return input.xlogy(other)


def xlog1py(input, other):
    """input * ln(1 + other), 0 where input is 0 (unless other is NaN); either may be a Python number.

    >>> import minitorch
    >>> minitorch.special.xlog1py(minitorch.tensor([0.0, 2.0]), minitorch.tensor([-1.0, 1.0]))
    tensor([0.0000, 1.3863])
    """
    input, other = _pair("special.xlog1py", input, other)
    return input._binary(ops.XLog1pY, other, floating=True)


def zeta(input, other):
    """The Hurwitz zeta function sum_(k >= 0) (other + k)^-input, elementwise, broadcast; either may be
    a Python number. Its gradient flows to other only (as in PyTorch).

    >>> import minitorch
    >>> minitorch.special.zeta(2.0, minitorch.tensor([1.0, 2.0]))
    tensor([1.6449, 0.6449])
    """
    input, other = _pair("special.zeta", input, other)
    return input._binary(ops.Zeta, other, floating=True)


def expit(input):
    """The logistic sigmoid 1 / (1 + e^-x) (``Tensor.sigmoid``)."""
    return input.sigmoid()


def logit(input, eps=None):
    """ln(p / (1 - p)), with p clamped to [eps, 1 - eps] if eps is given (``Tensor.logit``)."""
    return input.logit(eps)


def gammaln(input):
    """ln |Gamma(x)| (``Tensor.lgamma``)."""
    return input.lgamma()


def digamma(input):
    """d/dx ln Gamma(x) (``Tensor.digamma``); also ``psi``."""
    return input.digamma()


psi = digamma


def i0(input):
    """The modified Bessel function of the first kind of order 0 (``Tensor.i0``)."""
    return input.i0()


def erf(input):
    """The error function (``Tensor.erf``)."""
    return input.erf()


def erfc(input):
    """1 - erf(x), without cancellation (``Tensor.erfc``)."""
    return input.erfc()


def erfinv(input):
    """The inverse of erf (``Tensor.erfinv``)."""
    return input.erfinv()


def exp2(input):
    """2^x (``Tensor.exp2``)."""
    return input.exp2()


def expm1(input):
    """e^x - 1, accurate for tiny x (``Tensor.expm1``)."""
    return input.expm1()


def log1p(input):
    """ln(1 + x), accurate for tiny x (``Tensor.log1p``)."""
    return input.log1p()


def sinc(input):
    """sin(pi x) / (pi x), 1 at 0 (``Tensor.sinc``)."""
    return input.sinc()


def round(input, *, decimals=0):
    """Round half to even, to ``decimals`` decimal places (``Tensor.round``)."""
    return input.round(decimals=decimals)


def softmax(input, dim, *, dtype=None):
    """e^x / sum e^x along ``dim`` (``Tensor.softmax``)."""
    return input.softmax(dim, dtype=dtype)


def log_softmax(input, dim, *, dtype=None):
    """x - logsumexp(x) along ``dim`` (``Tensor.log_softmax``)."""
    return input.log_softmax(dim, dtype=dtype)


def logsumexp(input, dim, keepdim=False):
    """ln sum e^x along ``dim``, without overflow (``Tensor.logsumexp``)."""
    return input.logsumexp(dim, keepdim)

