"""The exponential distribution: the waiting time of a process with constant ``rate``."""
from ..api import Size
from ..creation import rand, zeros_like
from . import constraints
from .distribution import Distribution
from .utils import broadcast_all

__all__ = ["Exponential"]


class Exponential(Distribution):
    """Exp(rate): ``log p(x) = log(rate) - rate x`` for x >= 0; mean ``1 / rate``.

    >>> import minitorch
    >>> from minitorch.distributions import Exponential
    >>> d = Exponential(2.0)
    >>> d.mean.item(), round(d.log_prob(minitorch.tensor(1.0)).item(), 4)
    (0.5, -1.3069)
    """

    arg_constraints = {"rate": constraints.positive}
    support = constraints.nonnegative
    has_rsample = True

    def __init__(self, rate, validate_args=None):
        (self.rate,) = broadcast_all(rate)
        super().__init__(self.rate.size(), validate_args=validate_args)

    @property
    def mean(self):
        return self.rate.reciprocal()

    @property
    def mode(self):
        return zeros_like(self.rate)

    @property
    def stddev(self):
        return self.rate.reciprocal()

    @property
    def variance(self):
        return self.rate ** -2

    def rsample(self, sample_shape=Size()):
        """``-log(1 - u) / rate``, ``u ~ U[0, 1)``: differentiable in ``rate``."""
        u = rand(self._extended_shape(sample_shape), dtype=self.rate.dtype, device=self.rate.device)
        return -(-u).log1p() / self.rate

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return self.rate.log() - self.rate * value

    def cdf(self, value):
        """``1 - exp(-rate x)``."""
        if self._validate_args:
            self._validate_sample(value)
        return 1 - (-self.rate * value).exp()

    def icdf(self, value):
        """``-log(1 - p) / rate``."""
        return -(-value).log1p() / self.rate

    def entropy(self):
        """``1 - log(rate)``."""
        return 1.0 - self.rate.log()
