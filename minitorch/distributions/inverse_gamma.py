"""The inverse-gamma distribution: ``1 / X`` for a gamma X (a conjugate prior for a normal's variance)."""
import math

from ..namespace import where
from . import constraints
from .gamma import Gamma
from .transformed_distribution import TransformedDistribution
from .transforms import PowerTransform

__all__ = ["InverseGamma"]


class InverseGamma(TransformedDistribution):
    """InvGamma(a, b) = 1 / Gamma(a, b): ``log p(x) = a log b - lgamma(a) - (a + 1) log x - b / x``; mean
    ``b / (a - 1)`` (inf for a <= 1). ``rsample`` is differentiable (the gamma's implicit reparameterization).

    >>> import minitorch
    >>> from minitorch.distributions import InverseGamma
    >>> InverseGamma(3.0, 4.0).mean.item(), round(InverseGamma(3.0, 4.0).log_prob(minitorch.tensor(2.0)).item(), 4)
    (2.0, -1.3069)
    """

    arg_constraints = {"concentration": constraints.positive, "rate": constraints.positive}
    support = constraints.positive
    has_rsample = True

    def __init__(self, concentration, rate, validate_args=None):
        base = Gamma(concentration, rate, validate_args=validate_args)
        super().__init__(base, PowerTransform(-base.rate.new_ones(())), validate_args=validate_args)

    @property
    def concentration(self):
        """The gamma's concentration ``a``."""
        return self.base_dist.concentration

    @property
    def rate(self):
        """The gamma's rate ``b`` (a scale of the inverse)."""
        return self.base_dist.rate

    @property
    def mean(self):
        """``b / (a - 1)``; inf for a <= 1."""
        a = where(self.concentration > 1, self.concentration, 2.0)  # no NaN gradient through the inf branch
        return where(self.concentration > 1, self.rate / (a - 1), math.inf)

    @property
    def mode(self):
        return self.rate / (self.concentration + 1)

    @property
    def variance(self):
        """``b^2 / ((a - 1)^2 (a - 2))``; inf for a <= 2."""
        a = where(self.concentration > 2, self.concentration, 3.0)
        return where(self.concentration > 2, self.rate ** 2 / ((a - 1) ** 2 * (a - 2)), math.inf)

    def entropy(self):
        """``a + log b + lgamma(a) - (1 + a) digamma(a)``."""
        a = self.concentration
        return a + self.rate.log() + a.lgamma() - (1 + a) * a.digamma()
