"""The Weibull distribution: ``scale E^(1/concentration)`` for a standard exponential E (lifetimes)."""
from ..creation import ones_like
from . import constraints
from .exponential import Exponential
from .gumbel import EULER_GAMMA
from .transformed_distribution import TransformedDistribution
from .transforms import AffineTransform, PowerTransform
from .utils import broadcast_all

__all__ = ["Weibull"]


class Weibull(TransformedDistribution):
    """Weibull(scale l, concentration k): ``log p(x) = log(k / l) + (k - 1) log(x / l) - (x / l)^k`` for x > 0;
    mean ``l Gamma(1 + 1/k)``.

    >>> import minitorch
    >>> from minitorch.distributions import Weibull
    >>> round(Weibull(1.0, 1.0).log_prob(minitorch.tensor(1.0)).item(), 4)  # k = 1: the exponential
    -1.0
    """

    arg_constraints = {"scale": constraints.positive, "concentration": constraints.positive}
    support = constraints.positive

    def __init__(self, scale, concentration, validate_args=None):
        self.scale, self.concentration = broadcast_all(scale, concentration)
        self.concentration_reciprocal = self.concentration.reciprocal()
        super().__init__(Exponential(ones_like(self.scale), validate_args=validate_args),
                         [PowerTransform(self.concentration_reciprocal), AffineTransform(0, self.scale)],
                         validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self.__new__(type(self)) if _instance is None else _instance
        new.scale, new.concentration = self.scale.expand(batch_shape), self.concentration.expand(batch_shape)
        new.concentration_reciprocal = new.concentration.reciprocal()
        return super().expand(batch_shape, _instance=new)

    @property
    def mean(self):
        return self.scale * (1 + self.concentration_reciprocal).lgamma().exp()

    @property
    def mode(self):
        """``l ((k - 1) / k)^(1/k)`` (NaN for k < 1, as PyTorch)."""
        return self.scale * ((self.concentration - 1) / self.concentration) ** self.concentration_reciprocal

    @property
    def variance(self):
        return self.scale ** 2 * ((1 + 2 * self.concentration_reciprocal).lgamma().exp() -
                                  (2 * (1 + self.concentration_reciprocal).lgamma()).exp())

    def entropy(self):
        """``gamma (1 - 1/k) + log(l / k) + 1``."""
        return EULER_GAMMA * (1 - self.concentration_reciprocal) + (self.scale * self.concentration_reciprocal).log() + 1
