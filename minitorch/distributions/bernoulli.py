"""The Bernoulli distribution: 1 with probability ``probs`` (or ``sigmoid(logits)``), else 0."""
import math

from ..api import Size
from ..autograd import no_grad
from ..creation import arange
from ..namespace import where
from ..nn.functional import softplus
from ..sampling import bernoulli
from . import constraints
from .distribution import Distribution
from .utils import BinaryProbability, broadcast_all

__all__ = ["Bernoulli"]


class Bernoulli(BinaryProbability, Distribution):
    """A coin with P(1) = ``probs``: ``log p(x) = x l - softplus(l)`` for logits ``l``; entropy
    ``softplus(l) - p l``. ``probs`` are kept as given (numbers in [0, 1], not normalised).

    >>> import minitorch
    >>> from minitorch.distributions import Bernoulli
    >>> d = Bernoulli(0.3)
    >>> round(d.log_prob(minitorch.tensor(1.0)).item(), 4), round(d.variance.item(), 2)
    (-1.204, 0.21)
    """

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.boolean
    has_enumerate_support = True

    def __init__(self, probs=None, logits=None, validate_args=None):
        (param,) = self._take_probability(probs, logits)
        super().__init__(param.size(), validate_args=validate_args)

    @property
    def mean(self):
        return self.probs

    @property
    def mode(self):
        """1 where p > 1/2, 0 where p < 1/2, NaN at p = 1/2."""
        return where(self.probs == 0.5, math.nan, (self.probs >= 0.5).to(self.probs))

    @property
    def variance(self):
        return self.probs * (1 - self.probs)

    def sample(self, sample_shape=Size()):
        """0s and 1s in the dtype of ``probs``, of shape ``sample_shape + batch_shape``."""
        with no_grad():
            return bernoulli(self.probs.expand(self._extended_shape(sample_shape)))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        return value * logits - softplus(logits)

    def entropy(self):
        return softplus(self.logits) - self.probs * self.logits

    def enumerate_support(self, expand=True):
        """0. and 1. along dim 0, expanded over the batch if ``expand``."""
        values = arange(2, dtype=self._param.dtype, device=self._param.device)
        values = values.reshape((-1,) + (1,) * len(self._batch_shape))
        return values.expand((-1,) + tuple(self._batch_shape)) if expand else values
