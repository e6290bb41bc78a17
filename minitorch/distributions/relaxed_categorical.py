"""Relaxed (concrete / Gumbel-softmax) categorical distributions over the simplex, at a ``temperature``.

``ExpRelaxedCategorical`` draws ``log softmax((logits + g) / temperature)`` with Gumbel noise ``g``, so
``rsample`` carries gradients to the logits; ``RelaxedOneHotCategorical`` is its exp, a probability vector
that approaches a one-hot draw as the temperature goes to 0 (``F.gumbel_softmax`` draws the same way).
"""
import math

from ..api import Size
from ..creation import rand
from . import constraints
from .categorical import Categorical
from .distribution import Distribution
from .relaxed_bernoulli import as_temperature
from .transformed_distribution import TransformedDistribution
from .transforms import ExpTransform
from .utils import clamp_probs

__all__ = ["ExpRelaxedCategorical", "RelaxedOneHotCategorical"]


class ExpRelaxedCategorical(Distribution):
    """The log of a relaxed one-hot vector: with ``s = l - t x``, ``log p(x) = lgamma(K) + (K - 1) log t +
    sum(s - logsumexp(s))`` (K categories, temperature t, logits l).

    >>> import minitorch
    >>> from minitorch.distributions.relaxed_categorical import ExpRelaxedCategorical
    >>> ExpRelaxedCategorical(minitorch.tensor(1.0), logits=minitorch.zeros(3)).event_shape
    minitorch.Size([3])
    """

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    support = constraints.real_vector
    has_rsample = True

    def __init__(self, temperature, probs=None, logits=None, validate_args=None):
        self._categorical = Categorical(probs, logits, validate_args=validate_args)
        self.temperature = as_temperature(temperature, self._categorical._param)
        param_shape = self._categorical.param_shape
        super().__init__(param_shape[:-1], param_shape[-1:], validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self.__new__(type(self)) if _instance is None else _instance
        new._categorical = self._categorical.expand(batch_shape)
        new.temperature = self.temperature
        Distribution.__init__(new, Size(batch_shape), self._event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def probs(self):
        """The probabilities of the categorical that the temperature relaxes."""
        return self._categorical.probs

    @property
    def logits(self):
        """The normalised log-probabilities of the categorical that the temperature relaxes."""
        return self._categorical.logits

    @property
    def param_shape(self):
        """The shape of ``probs`` (or ``logits``)."""
        return self._categorical.param_shape

    def rsample(self, sample_shape=Size()):
        """``log softmax((logits + g) / temperature)``, ``g = -log(-log u)`` Gumbel noise: differentiable."""
        logits = self.logits
        u = clamp_probs(rand(self._extended_shape(sample_shape), dtype=logits.dtype, device=logits.device))
        scores = (logits - (-u.log()).log()) / self.temperature
        return scores - scores.logsumexp(-1, keepdim=True)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        k = self._event_shape[0]
        log_scale = math.lgamma(k) + (k - 1) * self.temperature.log()
        score = self.logits - value * self.temperature
        return (score - score.logsumexp(-1, keepdim=True)).sum(-1) + log_scale


class RelaxedOneHotCategorical(TransformedDistribution):
    """A relaxed one-hot vector on the simplex: the exp of an ``ExpRelaxedCategorical``.

    >>> import minitorch
    >>> from minitorch.distributions import RelaxedOneHotCategorical
    >>> d = RelaxedOneHotCategorical(minitorch.tensor(0.5), probs=minitorch.tensor([0.1, 0.2, 0.7]))
    >>> round(d.rsample().sum().item(), 5)
    1.0
    """

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    support = constraints.simplex

    def __init__(self, temperature, probs=None, logits=None, validate_args=None):
        super().__init__(ExpRelaxedCategorical(temperature, probs, logits), ExpTransform(),
                         validate_args=validate_args)

    @property
    def temperature(self):
        """How soft the draw is: near 0, draws approach one-hot vectors."""
        return self.base_dist.temperature

    @property
    def probs(self):
        """The probabilities of the categorical that the temperature relaxes."""
        return self.base_dist.probs

    @property
    def logits(self):
        """The normalised log-probabilities of the categorical that the temperature relaxes."""
        return self.base_dist.logits
