"""The Poisson distribution: the number of events in an interval where they occur at ``rate``."""
from ..api import Size
from ..autograd import no_grad
from ..namespace import xlogy
from ..sampling import poisson
from . import constraints
from .distribution import Distribution
from .utils import broadcast_all

__all__ = ["Poisson"]


class Poisson(Distribution):
    """Poisson(rate): ``log p(k) = k log(rate) - rate - lgamma(k + 1)`` for k = 0, 1, 2, ...

    >>> import minitorch
    >>> from minitorch.distributions import Poisson
    >>> d = Poisson(2.0)
    >>> d
    Poisson(rate: 2.0)
    >>> round(d.log_prob(minitorch.tensor(3.0)).item(), 4)
    -1.7123
    """

    arg_constraints = {"rate": constraints.nonnegative}
    support = constraints.nonnegative_integer

    def __init__(self, rate, validate_args=None):
        (self.rate,) = broadcast_all(rate)
        super().__init__(self.rate.size(), validate_args=validate_args)

    @property
    def mean(self):
        return self.rate

    @property
    def mode(self):
        return self.rate.floor()

    @property
    def variance(self):
        return self.rate

    def sample(self, sample_shape=Size()):
        """Counts drawn by ``minitorch.poisson`` (no gradient), as floats of the rate's dtype."""
        with no_grad():
            return poisson(self.rate.expand(self._extended_shape(sample_shape)))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return xlogy(value, self.rate) - self.rate - (value + 1).lgamma()
