"""The Pareto distribution: ``scale e^E`` for an exponential E of rate ``alpha`` (a power-law tail)."""
import math

from ..namespace import where
from . import constraints
from .exponential import Exponential
from .transformed_distribution import TransformedDistribution
from .transforms import AffineTransform, ExpTransform
from .utils import broadcast_all

__all__ = ["Pareto"]


class Pareto(TransformedDistribution):
    """Pareto(scale m, alpha a) on x >= m: ``log p(x) = log a + a log m - (a + 1) log x``; mean ``a m / (a - 1)``
    (inf for a <= 1).

    >>> import minitorch
    >>> from minitorch.distributions import Pareto
    >>> Pareto(1.0, 3.0).mean.item()
    1.5
    """

    arg_constraints = {"alpha": constraints.positive, "scale": constraints.positive}

    def __init__(self, scale, alpha, validate_args=None):
        self.scale, self.alpha = broadcast_all(scale, alpha)
        super().__init__(Exponential(self.alpha, validate_args=validate_args),
                         [ExpTransform(), AffineTransform(0, self.scale)], validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self.__new__(type(self)) if _instance is None else _instance
        new.scale, new.alpha = self.scale.expand(batch_shape), self.alpha.expand(batch_shape)
        return super().expand(batch_shape, _instance=new)

    @constraints.dependent_property(is_discrete=False, event_dim=0)
    def support(self):
        """x >= scale."""
        return constraints.greater_than_eq(self.scale)

    @property
    def mean(self):
        """``a m / (a - 1)``; inf for a <= 1."""
        a = where(self.alpha > 1, self.alpha, 2.0)  # not clamp: no NaN gradient through the inf branch
        return where(self.alpha > 1, a * self.scale / (a - 1), math.inf)

    @property
    def mode(self):
        return self.scale

    @property
    def variance(self):
        """``m^2 a / ((a - 1)^2 (a - 2))``; inf for a <= 2."""
        a = where(self.alpha > 2, self.alpha, 3.0)
        return where(self.alpha > 2, self.scale ** 2 * a / ((a - 1) ** 2 * (a - 2)), math.inf)

    def entropy(self):
        """``log(m / a) + 1 + 1/a``."""
        return (self.scale / self.alpha).log() + (1 + self.alpha.reciprocal())
