"""Helpers shared by the distributions: broadcasting parameters, probabilities <-> logits, lazy attributes.

    >>> import minitorch
    >>> from minitorch.distributions.utils import probs_to_logits, logits_to_probs
    >>> logits_to_probs(minitorch.tensor([0.0, 0.0])).tolist()
    [0.5, 0.5]
    >>> round(probs_to_logits(minitorch.tensor(0.5), is_binary=True).item(), 6)
    0.0
"""
import numbers

from .. import dtypes
from ..autograd import enable_grad
from ..creation import tensor
from ..joining import broadcast_tensors
from ..tensor import Tensor
from . import constraints

__all__ = ["InnerParameters", "LocationScale", "broadcast_all", "clamp_probs", "lazy_property", "logits_to_probs", "probs_to_logits"]


def broadcast_all(*values):
    """The tensors and numbers in ``values`` as tensors of one broadcast shape. Numbers take the
    dtype and device of the first tensor among them (the default dtype if there is none)."""
    for v in values:
        if not isinstance(v, (Tensor, numbers.Number)):
            raise ValueError(f"Input arguments must all be instances of numbers.Number or Tensor, "
                             f"got {type(v).__name__} {v!r}.")
    first = next((v for v in values if isinstance(v, Tensor)), None)
    dtype = first.dtype if first is not None else dtypes.get_default_dtype()
    device = first.device if first is not None else "cpu"
    return broadcast_tensors(*(v if isinstance(v, Tensor) else tensor(v, dtype=dtype, device=device)
                               for v in values))


def sum_rightmost(value, dim):
    """``value`` summed over its ``dim`` rightmost dimensions (a log-density over the event's dims)."""
    return value.reshape(tuple(value.shape[:value.dim() - dim]) + (-1,)).sum(-1) if dim else value


def clamp_probs(probs):
    """``probs`` clamped to [eps, 1 - eps] (eps: the dtype's machine epsilon), so that their logs are finite."""
    eps = dtypes.finfo(probs.dtype).eps
    return probs.clamp(min=eps, max=1 - eps)


def logits_to_probs(logits, is_binary=False):
    """Probabilities from logits: ``sigmoid`` for one binary event, ``softmax`` over the last dim otherwise."""
    return logits.sigmoid() if is_binary else logits.softmax(-1)


def probs_to_logits(probs, is_binary=False):
    """Logits from probabilities (clamped first): ``log p - log(1 - p)`` when binary, ``log p`` otherwise."""
    clamped = clamp_probs(probs)
    return clamped.log() - (-clamped).log1p() if is_binary else clamped.log()


class lazy_property:
    """An attribute computed on first use (with gradients on) and then kept in the instance:
    ``Categorical(probs=p).logits`` is made from ``probs`` only when asked for."""

    def __init__(self, wrapped):
        self.wrapped = wrapped
        self.__doc__ = wrapped.__doc__
        self.name = wrapped.__name__

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        with enable_grad():
            value = self.wrapped(instance)
        instance.__dict__[self.name] = value
        return value


class BinaryProbability:
    """The parameter of a distribution over yes/no outcomes (Bernoulli, Geometric, Binomial), given as
    ``probs`` (p in [0, 1]) or ``logits`` (log p - log(1 - p)): exactly one of them, the other computed
    on first use."""

    def _take_probability(self, probs, logits, *others):
        """Store ``probs`` or ``logits`` (exactly one given), broadcast with ``others``; returns the
        broadcast ``others`` followed by the parameter."""
        if (probs is None) == (logits is None):
            raise ValueError("Either `probs` or `logits` must be specified, but not both.")
        *others, param = broadcast_all(*others, probs if probs is not None else logits)
        if probs is not None:
            self.probs = param
        else:
            self.logits = param
        self._param = param
        return (*others, param)

    @lazy_property
    def logits(self):
        """``log p - log(1 - p)``."""
        return probs_to_logits(self.probs, is_binary=True)

    @lazy_property
    def probs(self):
        """``sigmoid(logits)``."""
        return logits_to_probs(self.logits, is_binary=True)

    @property
    def param_shape(self):
        """The shape of ``probs`` (or ``logits``)."""
        return self._param.size()


class InnerParameters:
    """``probs``, ``logits`` and ``param_shape`` of a distribution made around another one (a one-hot or
    multinomial around a Categorical, a relaxed one around the exact one): the inner one's, kept in the
    attribute that ``_inner_name`` names."""

    _inner_name = "_categorical"

    @property
    def probs(self):
        """The probabilities of the inner distribution (normalised for a categorical)."""
        return getattr(self, self._inner_name).probs

    @property
    def logits(self):
        """The logits of the inner distribution (normalised log-probabilities for a categorical)."""
        return getattr(self, self._inner_name).logits

    @property
    def param_shape(self):
        """The shape of ``probs`` (or ``logits``)."""
        return getattr(self, self._inner_name).param_shape


class LocationScale:
    """A family on the reals of ``loc + scale * (a standard draw)`` (Normal, Laplace, Cauchy): a real ``loc`` and a
    positive ``scale``, broadcast together into the batch shape; its draws are reparameterized. Its mode is ``loc``
    (each of these densities is symmetric and unimodal)."""

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True

    def __init__(self, loc, scale, validate_args=None):
        self.loc, self.scale = broadcast_all(loc, scale)
        super().__init__(self.loc.size(), validate_args=validate_args)

    @property
    def mode(self):
        return self.loc
