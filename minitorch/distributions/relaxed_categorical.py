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
from .relaxed_bernoulli import Relaxed, RelaxedWrapper
from .transformed_distribution import TransformedDistribution
from .transforms import ExpTransform
from .utils import clamp_probs

__all__ = ["ExpRelaxedCategorical", "RelaxedOneHotCategorical"]


class ExpRelaxedCategorical(Relaxed, Distribution):
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
        categorical = Categorical(probs, logits, validate_args=validate_args)
        self._relax(categorical, temperature, categorical.param_shape[-1:], validate_args)

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


class RelaxedOneHotCategorical(RelaxedWrapper, TransformedDistribution):
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
