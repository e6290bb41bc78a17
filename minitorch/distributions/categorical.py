"""Distributions over K categories: ``Categorical`` (an index) and ``OneHotCategorical`` (a one-hot vector).

``probs`` are normalised to sum to 1 along the last dim and ``logits`` to log-probabilities
(``logits - logsumexp(logits)``); whichever was not given is made from the other when first asked for.
Sampling goes through ``minitorch.multinomial``; ``log_prob`` gathers from the logits, so its
gradient flows to the parameters (the REINFORCE policy gradient).
"""
import math

from .. import dtypes
from ..api import Size
from ..creation import arange, full
from ..joining import broadcast_tensors
from ..nn.functional import one_hot
from ..sampling import multinomial
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution
from .utils import InnerParameters, lazy_property, logits_to_probs, probs_to_logits

__all__ = ["Categorical", "OneHotCategorical", "OneHotCategoricalStraightThrough"]


def _parameter(name, value):
    """``probs`` or ``logits`` checked to be a tensor of at least one dimension."""
    if not isinstance(value, Tensor):
        raise TypeError(f"Categorical: `{name}` must be a Tensor, got {type(value).__name__} {value!r}.")
    if value.dim() < 1:
        raise ValueError(f"`{name}` parameter must be at least one-dimensional.")
    return value


class Categorical(Distribution):
    """An index in {0, ..., K-1} drawn with probabilities ``probs`` (or ``softmax(logits)``) along the
    last dim: ``log p(k) = logits[k]`` (normalised logits); entropy ``-sum p log p``.

    >>> import minitorch
    >>> from minitorch.distributions import Categorical
    >>> d = Categorical(minitorch.tensor([0.25, 0.25, 0.5]))
    >>> d
    Categorical(probs: minitorch.Size([3]))
    >>> round(d.log_prob(minitorch.tensor(2)).item(), 4)
    -0.6931
    """

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    has_enumerate_support = True

    def __init__(self, probs=None, logits=None, validate_args=None):
        if (probs is None) == (logits is None):
            raise ValueError("Either `probs` or `logits` must be specified, but not both.")
        if probs is not None:
            self.probs = probs = _parameter("probs", probs) / probs.sum(-1, keepdim=True)
        else:
            self.logits = _parameter("logits", logits) - logits.logsumexp(dim=-1, keepdim=True)
        self._param = probs if probs is not None else self.logits
        self._num_events = self._param.shape[-1]
        super().__init__(self._param.shape[:-1], validate_args=validate_args)

    @constraints.dependent_property(is_discrete=True, event_dim=0)
    def support(self):
        """The integers 0 to K-1."""
        return constraints.integer_interval(0, self._num_events - 1)

    @lazy_property
    def logits(self):
        """Normalised log-probabilities."""
        return probs_to_logits(self.probs)

    @lazy_property
    def probs(self):
        """Probabilities, summing to 1 along the last dim."""
        return logits_to_probs(self.logits)

    @property
    def param_shape(self):
        """The shape of ``probs`` (or ``logits``): ``batch_shape + (K,)``."""
        return self._param.size()

    @property
    def mean(self):
        return full(self._extended_shape(), math.nan, dtype=self.probs.dtype, device=self.probs.device)

    @property
    def mode(self):
        return self.probs.argmax(dim=-1)

    @property
    def variance(self):
        return full(self._extended_shape(), math.nan, dtype=self.probs.dtype, device=self.probs.device)

    def sample(self, sample_shape=Size()):
        """Category indices (int64) of shape ``sample_shape + batch_shape``."""
        count = Size(sample_shape).numel()
        draws = multinomial(self.probs.detach().reshape(-1, self._num_events), count, True).T
        return draws.reshape(self._extended_shape(sample_shape))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        value, log_pmf = broadcast_tensors(value.long().unsqueeze(-1), self.logits)
        return log_pmf.gather(-1, value[..., :1]).squeeze(-1)

    def entropy(self):
        """``-sum p log p`` (a zero probability adds 0: its logit is clamped to the dtype's minimum)."""
        logits = self.logits.clamp(min=dtypes.finfo(self.logits.dtype).min)
        return -(logits * self.probs).sum(-1)

    def enumerate_support(self, expand=True):
        """0, ..., K-1 along dim 0 (int64), expanded over the batch if ``expand``."""
        values = arange(self._num_events, device=self._param.device).reshape((-1,) + (1,) * len(self._batch_shape))
        return values.expand((-1,) + tuple(self._batch_shape)) if expand else values


class OneHotCategorical(InnerParameters, Distribution):
    """A one-hot vector of length K whose 1 sits at an index drawn from ``Categorical(probs, logits)``.

    >>> import minitorch
    >>> from minitorch.distributions import OneHotCategorical
    >>> d = OneHotCategorical(minitorch.tensor([0.0, 1.0, 0.0]))
    >>> d.sample().tolist()
    [0.0, 1.0, 0.0]
    """

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    support = constraints.one_hot
    has_enumerate_support = True

    def __init__(self, probs=None, logits=None, validate_args=None):
        self._categorical = Categorical(probs, logits)
        param_shape = self._categorical.param_shape
        super().__init__(param_shape[:-1], param_shape[-1:], validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self.__new__(type(self)) if _instance is None else _instance
        new._categorical = self._categorical.expand(batch_shape)
        Distribution.__init__(new, Size(batch_shape), self._event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def _param(self):
        return self._categorical._param

    @property
    def mean(self):
        return self._categorical.probs

    @property
    def mode(self):
        probs = self._categorical.probs
        return one_hot(probs.argmax(dim=-1), probs.shape[-1]).to(probs)

    @property
    def variance(self):
        return self._categorical.probs * (1 - self._categorical.probs)

    def sample(self, sample_shape=Size()):
        """One-hot vectors (in the dtype of ``probs``) of shape ``sample_shape + batch_shape + (K,)``."""
        indices = self._categorical.sample(sample_shape)
        return one_hot(indices, self._categorical._num_events).to(self._categorical.probs)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return self._categorical.log_prob(value.max(-1)[1])

    def entropy(self):
        return self._categorical.entropy()

    def enumerate_support(self, expand=True):
        """The K one-hot vectors along dim 0, expanded over the batch if ``expand``."""
        n = self.event_shape[0]
        values = one_hot(arange(n, device=self._param.device), n).to(self._param)
        values = values.reshape((n,) + (1,) * len(self.batch_shape) + (n,))
        return values.expand((n,) + tuple(self.batch_shape) + (n,)) if expand else values


class OneHotCategoricalStraightThrough(OneHotCategorical):
    """A one-hot draw whose ``rsample`` carries the straight-through gradient: the value is the one-hot sample,
    the gradient that of ``probs`` (``sample + probs - probs.detach()``; Bengio et al., 2013).

    >>> import minitorch
    >>> from minitorch.distributions import OneHotCategoricalStraightThrough
    >>> p = minitorch.tensor([0.0, 1.0], requires_grad=True)
    >>> OneHotCategoricalStraightThrough(p).rsample().tolist()
    [0.0, 1.0]
    """

    has_rsample = True

    def rsample(self, sample_shape=Size()):
        """The one-hot sample, with the gradient of ``probs``."""
        probs = self._categorical.probs
        return self.sample(sample_shape) + (probs - probs.detach())
