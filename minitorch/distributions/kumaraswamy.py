"""The Kumaraswamy distribution on [0, 1]: like a beta, but with a closed-form CDF and so an easy sampler."""
import math

from ..creation import full_like
from ..namespace import where
from . import constraints
from .gumbel import EULER_GAMMA
from .transformed_distribution import TransformedDistribution
from .transforms import AffineTransform, PowerTransform
from .uniform import Uniform
from .utils import broadcast_all

__all__ = ["Kumaraswamy"]


def _moment(a, b, n):
    """``E[x^n] = b B(1 + n/a, b)``."""
    shifted = 1 + n / a
    return b * (shifted.lgamma() + b.lgamma() - (shifted + b).lgamma()).exp()


class Kumaraswamy(TransformedDistribution):
    """Kumaraswamy(a, b): ``p(x) = a b x^(a-1) (1 - x^a)^(b-1)`` on [0, 1], ``F(x) = 1 - (1 - x^a)^b``; a draw is
    ``(1 - u^(1/b))^(1/a)`` for a uniform u.

    >>> import minitorch
    >>> from minitorch.distributions import Kumaraswamy
    >>> round(Kumaraswamy(2.0, 3.0).log_prob(minitorch.tensor(0.5)).item(), 4), round(Kumaraswamy(1.0, 1.0).mean.item(), 4)
    (0.5232, 0.5)
    """

    arg_constraints = {"concentration1": constraints.positive, "concentration0": constraints.positive}
    support = constraints.unit_interval
    has_rsample = True

    def __init__(self, concentration1, concentration0, validate_args=None):
        self.concentration1, self.concentration0 = broadcast_all(concentration1, concentration0)
        base = Uniform(full_like(self.concentration0, 0), full_like(self.concentration0, 1), validate_args=validate_args)
        super().__init__(base, [PowerTransform(self.concentration0.reciprocal()), AffineTransform(1.0, -1.0),
                                PowerTransform(self.concentration1.reciprocal())], validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self.__new__(type(self)) if _instance is None else _instance
        new.concentration1 = self.concentration1.expand(batch_shape)
        new.concentration0 = self.concentration0.expand(batch_shape)
        return super().expand(batch_shape, _instance=new)

    @property
    def mean(self):
        return _moment(self.concentration1, self.concentration0, 1)

    @property
    def mode(self):
        """``((a - 1) / (a b - 1))^(1/a)`` for a, b >= 1 (not both 1); NaN otherwise. (PyTorch 2.13's formula gives
        NaN for b > 1 too: it takes ``log1p(-b)``.)"""
        a, b = self.concentration1, self.concentration0
        defined = (a >= 1) & (b >= 1) & ((a > 1) | (b > 1))
        safe_a = where(defined, a, 2.0)
        ratio = (safe_a - 1) / (safe_a * where(defined, b, 2.0) - 1)
        return where(defined, ratio ** safe_a.reciprocal(), math.nan)

    @property
    def variance(self):
        return _moment(self.concentration1, self.concentration0, 2) - self.mean ** 2

    def entropy(self):
        """``(1 - 1/b) + (1 - 1/a) H_b - log(a b)``, ``H_b = digamma(b + 1) + gamma`` (the harmonic number)."""
        a, b = self.concentration1, self.concentration0
        harmonic = (b + 1).digamma() + EULER_GAMMA
        return (1 - b.reciprocal()) + (1 - a.reciprocal()) * harmonic - a.log() - b.log()
