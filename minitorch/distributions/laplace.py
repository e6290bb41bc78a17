"""The Laplace (double exponential) distribution."""
from .. import dtypes
from ..api import Size
from ..creation import rand
from .distribution import Distribution
from .utils import LocationScale

__all__ = ["Laplace"]


class Laplace(LocationScale, Distribution):
    """Laplace(loc, scale): ``log p(x) = -log(2 scale) - |x - loc| / scale``; variance ``2 scale^2``.

    >>> import minitorch
    >>> from minitorch.distributions import Laplace
    >>> round(Laplace(0.0, 1.0).log_prob(minitorch.tensor(1.0)).item(), 4)
    -1.6931
    """

    @property
    def mean(self):
        return self.loc

    @property
    def variance(self):
        return 2 * self.scale ** 2

    @property
    def stddev(self):
        return 2 ** 0.5 * self.scale

    def rsample(self, sample_shape=Size()):
        """``loc - scale sign(u) log(1 - |u|)``, ``u ~ U(-1, 1)``: differentiable in ``loc`` and ``scale``."""
        eps = dtypes.finfo(self.loc.dtype).eps
        u = rand(self._extended_shape(sample_shape), dtype=self.loc.dtype, device=self.loc.device)
        u = u * (2 - eps) + (eps - 1)  # in [eps - 1, 1): log1p(-|u|) stays finite
        return self.loc - self.scale * u.sign() * (-u.abs()).log1p()

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return -(2 * self.scale).log() - (value - self.loc).abs() / self.scale

    def cdf(self, value):
        """``1/2 - sign(x - loc) expm1(-|x - loc| / scale) / 2``."""
        if self._validate_args:
            self._validate_sample(value)
        return 0.5 - 0.5 * (value - self.loc).sign() * (-(value - self.loc).abs() / self.scale).expm1()

    def icdf(self, value):
        """``loc - scale sign(p - 1/2) log(1 - 2 |p - 1/2|)``."""
        term = value - 0.5
        return self.loc - self.scale * term.sign() * (-2 * term.abs()).log1p()

    def entropy(self):
        """``1 + log(2 scale)``."""
        return 1 + (2 * self.scale).log()
