"""Folded distributions: ``|X|`` for X symmetric about 0 (``HalfNormal`` here, ``half_cauchy.HalfCauchy``)."""
import math

from ..creation import zeros_like
from ..namespace import where
from . import constraints
from .normal import Normal
from .transformed_distribution import TransformedDistribution
from .transforms import AbsTransform

__all__ = ["Folded", "HalfNormal"]


class Folded(TransformedDistribution):
    """``|X|`` for ``X`` from a distribution symmetric about 0 with a ``scale``: the density doubles on
    x >= 0 (``log p(x) = log p_X(x) + log 2``, ``-inf`` below 0), ``F(x) = 2 F_X(x) - 1`` and the entropy
    loses ``log 2``."""

    arg_constraints = {"scale": constraints.positive}
    support = constraints.nonnegative
    has_rsample = True

    def __init__(self, base_distribution, validate_args=None):
        super().__init__(base_distribution, AbsTransform(), validate_args=validate_args)

    @property
    def scale(self):
        """The scale of the symmetric distribution that is folded."""
        return self.base_dist.scale

    @property
    def mode(self):
        return zeros_like(self.scale)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        log_prob = self.base_dist.log_prob(value) + math.log(2)
        return where(value >= 0, log_prob, -math.inf)

    def cdf(self, value):
        """``2 F_X(x) - 1``."""
        if self._validate_args:
            self._validate_sample(value)
        return 2 * self.base_dist.cdf(value) - 1

    def icdf(self, prob):
        """``F_X^-1((p + 1) / 2)``."""
        return self.base_dist.icdf((prob + 1) / 2)

    def entropy(self):
        """The unfolded entropy minus ``log 2``."""
        return self.base_dist.entropy() - math.log(2)


class HalfNormal(Folded):
    """``|X|`` for X ~ N(0, scale^2): mean ``scale sqrt(2 / pi)``, variance ``scale^2 (1 - 2 / pi)``.

    >>> import minitorch
    >>> from minitorch.distributions import HalfNormal
    >>> round(HalfNormal(1.0).log_prob(minitorch.tensor(0.0)).item(), 4)
    -0.2258
    """

    def __init__(self, scale, validate_args=None):
        super().__init__(Normal(0, scale, validate_args=False), validate_args=validate_args)

    @property
    def mean(self):
        return self.scale * math.sqrt(2 / math.pi)

    @property
    def variance(self):
        return self.scale ** 2 * (1 - 2 / math.pi)
