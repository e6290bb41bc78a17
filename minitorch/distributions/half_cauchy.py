"""The half-Cauchy distribution: ``|X|`` for a Cauchy X centred at 0 (a common prior for scales)."""
import math

from .cauchy import Cauchy
from .half_normal import Folded

__all__ = ["HalfCauchy"]


class HalfCauchy(Folded):
    """``|X|`` for X ~ Cauchy(0, scale): ``log p(x) = log(2 / (pi scale)) - log(1 + (x / scale)^2)``; mean and
    variance inf.

    >>> import minitorch
    >>> from minitorch.distributions import HalfCauchy
    >>> HalfCauchy(1.0).cdf(minitorch.tensor(1.0)).item()
    0.5
    """

    def __init__(self, scale, validate_args=None):
        super().__init__(Cauchy(0, scale, validate_args=False), validate_args=validate_args)

    @property
    def mean(self):
        """inf."""
        return self.base_dist._filled(math.inf)

    @property
    def variance(self):
        """inf."""
        return self.base_dist._filled(math.inf)
