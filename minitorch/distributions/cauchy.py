"""The Cauchy (Lorentz) distribution: the ratio of two standard normals, so heavy-tailed that it has no mean."""
import math

from ..api import Size
from ..creation import full, rand
from .distribution import Distribution
from .utils import LocationScale

__all__ = ["Cauchy"]


class Cauchy(LocationScale, Distribution):
    """Cauchy(loc, scale): ``log p(x) = -log(pi scale) - log(1 + ((x - loc) / scale)^2)``; mean and variance
    undefined (NaN and inf, as PyTorch returns them).

    >>> import minitorch
    >>> from minitorch.distributions import Cauchy
    >>> d = Cauchy(0.0, 1.0)
    >>> round(d.log_prob(minitorch.tensor(1.0)).item(), 4), d.cdf(minitorch.tensor(1.0)).item()
    (-1.8379, 0.75)
    """


    def _filled(self, value):
        """A tensor of the batch shape full of ``value``."""
        return full(tuple(self._extended_shape()), value, dtype=self.loc.dtype, device=self.loc.device)

    @property
    def mean(self):
        """NaN: the integral of x p(x) does not converge."""
        return self._filled(math.nan)

    @property
    def variance(self):
        """inf."""
        return self._filled(math.inf)

    def rsample(self, sample_shape=Size()):
        """``loc + scale tan(pi (u - 1/2))``, ``u ~ U[0, 1)``: differentiable in ``loc`` and ``scale``."""
        u = rand(self._extended_shape(sample_shape), dtype=self.loc.dtype, device=self.loc.device)
        return self.loc + self.scale * (math.pi * (u - 0.5)).tan()

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return -math.log(math.pi) - self.scale.log() - (((value - self.loc) / self.scale) ** 2).log1p()

    def cdf(self, value):
        """``atan((x - loc) / scale) / pi + 1/2``."""
        if self._validate_args:
            self._validate_sample(value)
        return ((value - self.loc) / self.scale).atan() / math.pi + 0.5

    def icdf(self, value):
        """``loc + scale tan(pi (p - 1/2))``."""
        return (math.pi * (value - 0.5)).tan() * self.scale + self.loc

    def entropy(self):
        """``log(4 pi scale)``."""
        return math.log(4 * math.pi) + self.scale.log()
