"""The Gumbel distribution: the law of the maximum of many draws (the Gumbel-max trick's noise)."""
import math

from .. import dtypes
from ..creation import full_like
from . import constraints
from .transformed_distribution import TransformedDistribution
from .transforms import AffineTransform, ExpTransform
from .uniform import Uniform
from .utils import broadcast_all

__all__ = ["Gumbel"]

EULER_GAMMA = 0.5772156649015329


class Gumbel(TransformedDistribution):
    """Gumbel(loc, scale) = ``loc - scale log(-log u)`` for ``u ~ U(0, 1)``: with ``z = (loc - x) / scale``,
    ``log p(x) = z - e^z - log scale``; mean ``loc + scale gamma`` (Euler's constant).

    >>> import minitorch
    >>> from minitorch.distributions import Gumbel
    >>> round(Gumbel(0.0, 1.0).log_prob(minitorch.tensor(0.0)).item(), 4)
    -1.0
    """

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real

    def __init__(self, loc, scale, validate_args=None):
        self.loc, self.scale = broadcast_all(loc, scale)
        info = dtypes.finfo(self.loc.dtype)
        base = Uniform(full_like(self.loc, info.tiny), full_like(self.loc, 1 - info.eps), validate_args=validate_args)
        minus_one = full_like(self.loc, -1.0)
        super().__init__(base, [ExpTransform().inv, AffineTransform(0, minus_one), ExpTransform().inv,
                                AffineTransform(self.loc, -self.scale)], validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self.__new__(type(self)) if _instance is None else _instance
        new.loc, new.scale = self.loc.expand(batch_shape), self.scale.expand(batch_shape)
        return super().expand(batch_shape, _instance=new)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        z = (self.loc - value) / self.scale
        return (z - z.exp()) - self.scale.log()

    @property
    def mean(self):
        return self.loc + self.scale * EULER_GAMMA

    @property
    def mode(self):
        return self.loc

    @property
    def stddev(self):
        return math.pi / math.sqrt(6) * self.scale

    @property
    def variance(self):
        return self.stddev ** 2

    def entropy(self):
        """``log scale + 1 + gamma``."""
        return self.scale.log() + (1 + EULER_GAMMA)
