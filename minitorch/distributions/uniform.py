"""The continuous uniform distribution on the half-open interval [low, high)."""
import math

from ..api import Size
from ..creation import rand
from ..namespace import where
from . import constraints
from .distribution import Distribution
from .utils import broadcast_all

__all__ = ["Uniform"]


class Uniform(Distribution):
    """U(low, high): ``log p(x) = -log(high - low)`` inside, ``-inf`` outside (with validation off).

    >>> import minitorch
    >>> from minitorch.distributions import Uniform
    >>> d = Uniform(0.0, 4.0)
    >>> d
    Uniform(low: 0.0, high: 4.0)
    >>> round(d.entropy().item(), 4), d.mean.item()
    (1.3863, 2.0)
    """

    has_rsample = True

    def __init__(self, low, high, validate_args=None):
        self.low, self.high = broadcast_all(low, high)
        super().__init__(self.low.size(), validate_args=validate_args)

    @property
    def arg_constraints(self):
        """``low < high``: each bound is checked against the other."""
        return {"low": constraints.less_than(self.high), "high": constraints.greater_than(self.low)}

    @constraints.dependent_property(is_discrete=False, event_dim=0)
    def support(self):
        """The interval [low, high]."""
        return constraints.interval(self.low, self.high)

    @property
    def mean(self):
        return (self.high + self.low) / 2

    @property
    def mode(self):
        """NaN: every point of the interval is as likely."""
        return math.nan * self.high

    @property
    def stddev(self):
        return (self.high - self.low) / 12 ** 0.5

    @property
    def variance(self):
        return (self.high - self.low) ** 2 / 12

    def rsample(self, sample_shape=Size()):
        """``low + u (high - low)``, ``u ~ U[0, 1)``: differentiable in ``low`` and ``high``."""
        u = rand(self._extended_shape(sample_shape), dtype=self.low.dtype, device=self.low.device)
        return self.low + u * (self.high - self.low)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        inside = (self.low <= value) & (self.high > value)
        return where(inside, -(self.high - self.low).log(), -math.inf)

    def cdf(self, value):
        """``(x - low) / (high - low)``, clamped to [0, 1]."""
        if self._validate_args:
            self._validate_sample(value)
        return ((value - self.low) / (self.high - self.low)).clamp(min=0, max=1)

    def icdf(self, value):
        """``low + p (high - low)``."""
        return value * (self.high - self.low) + self.low

    def entropy(self):
        """``log(high - low)``."""
        return (self.high - self.low).log()
