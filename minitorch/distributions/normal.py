"""The normal (Gaussian) distribution and the log-normal one (the exp of a normal variable).

Both sample by reparameterization: ``loc + scale * eps`` with ``eps ~ N(0, 1)`` drawn from
minitorch's seeded generator, so ``rsample`` carries gradients to ``loc`` and ``scale`` (the VAE trick).
"""
import math

from ..api import Size
from ..creation import randn
from . import constraints
from .distribution import Distribution
from .utils import LocationScale

__all__ = ["LogNormal", "Normal"]


class Normal(LocationScale, Distribution):
    """N(loc, scale^2): ``log p(x) = -(x - loc)^2 / (2 scale^2) - log(scale) - log(2 pi) / 2``.

    >>> import minitorch
    >>> from minitorch.distributions import Normal
    >>> d = Normal(0.0, 1.0)
    >>> d
    Normal(loc: 0.0, scale: 1.0)
    >>> round(d.log_prob(minitorch.tensor(0.0)).item(), 4)
    -0.9189
    """

    @property
    def mean(self):
        return self.loc

    @property
    def stddev(self):
        return self.scale

    @property
    def variance(self):
        return self.scale ** 2

    def rsample(self, sample_shape=Size()):
        """``loc + scale * eps``, ``eps ~ N(0, 1)``: differentiable in ``loc`` and ``scale``."""
        eps = randn(self._extended_shape(sample_shape), dtype=self.loc.dtype, device=self.loc.device)
        return self.loc + eps * self.scale

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return -((value - self.loc) ** 2) / (2 * self.variance) - self.scale.log() - math.log(math.sqrt(2 * math.pi))

    def cdf(self, value):
        """``(1 + erf((x - loc) / (scale sqrt 2))) / 2``."""
        if self._validate_args:
            self._validate_sample(value)
        return 0.5 * (1 + ((value - self.loc) * self.scale.reciprocal() / math.sqrt(2)).erf())

    def icdf(self, value):
        """``loc + scale sqrt(2) erfinv(2 p - 1)``."""
        return self.loc + self.scale * (2 * value - 1).erfinv() * math.sqrt(2)

    def entropy(self):
        """``1/2 + log(2 pi) / 2 + log(scale)``."""
        return 0.5 + 0.5 * math.log(2 * math.pi) + self.scale.log()


class LogNormal(Distribution):
    """exp(X) for X ~ N(loc, scale^2): ``log p(y) = log N(log y; loc, scale) - log y``, for y > 0.

    >>> import minitorch
    >>> from minitorch.distributions import LogNormal
    >>> round(LogNormal(0.0, 1.0).mean.item(), 4)
    1.6487
    """

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.positive
    has_rsample = True

    def __init__(self, loc, scale, validate_args=None):
        self.base_dist = Normal(loc, scale, validate_args=validate_args)
        super().__init__(self.base_dist.batch_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self.__new__(type(self)) if _instance is None else _instance
        new.base_dist = self.base_dist.expand(batch_shape)
        Distribution.__init__(new, new.base_dist.batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def loc(self):
        """The mean of log Y."""
        return self.base_dist.loc

    @property
    def scale(self):
        """The standard deviation of log Y."""
        return self.base_dist.scale

    @property
    def mean(self):
        return (self.loc + self.scale ** 2 / 2).exp()

    @property
    def mode(self):
        return (self.loc - self.scale ** 2).exp()

    @property
    def variance(self):
        scale2 = self.scale ** 2
        return scale2.expm1() * (2 * self.loc + scale2).exp()

    def rsample(self, sample_shape=Size()):
        """``exp(loc + scale * eps)``, differentiable in ``loc`` and ``scale``."""
        return self.base_dist.rsample(sample_shape).exp()

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        log_value = value.log()
        return self.base_dist.log_prob(log_value) - log_value

    def entropy(self):
        """The normal's entropy plus ``loc``."""
        return self.base_dist.entropy() + self.loc
