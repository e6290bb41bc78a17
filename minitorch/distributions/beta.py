"""The Beta distribution on [0, 1]: a Dirichlet over the two categories ``(x, 1 - x)``.

A draw is the first coordinate of a Dirichlet draw, so ``rsample`` is differentiable (implicit
reparameterization of the gamma draws underneath), as in PyTorch.
"""
from ..api import Size
from ..joining import stack
from . import constraints
from .dirichlet import Dirichlet
from .distribution import Distribution
from .utils import broadcast_all

__all__ = ["Beta"]


class Beta(Distribution):
    """Beta(a, b) on [0, 1]: ``log p(x) = (a - 1) log x + (b - 1) log(1 - x) - log B(a, b)``.

    >>> import minitorch
    >>> from minitorch.distributions import Beta
    >>> d = Beta(2.0, 2.0)
    >>> d.mean.item(), round(d.log_prob(minitorch.tensor(0.5)).item(), 4)
    (0.5, 0.4055)
    """

    arg_constraints = {"concentration1": constraints.positive, "concentration0": constraints.positive}
    support = constraints.unit_interval
    has_rsample = True

    def __init__(self, concentration1, concentration0, validate_args=None):
        concentration1, concentration0 = broadcast_all(concentration1, concentration0)
        self._dirichlet = Dirichlet(stack([concentration1, concentration0], -1), validate_args=validate_args)
        super().__init__(self._dirichlet.batch_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self.__new__(type(self)) if _instance is None else _instance
        new._dirichlet = self._dirichlet.expand(batch_shape)
        Distribution.__init__(new, new._dirichlet.batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def concentration1(self):
        """The exponent ``a`` of ``x``, plus one."""
        return self._dirichlet.concentration[..., 0]

    @property
    def concentration0(self):
        """The exponent ``b`` of ``1 - x``, plus one."""
        return self._dirichlet.concentration[..., 1]

    @property
    def mean(self):
        return self.concentration1 / (self.concentration1 + self.concentration0)

    @property
    def mode(self):
        return self._dirichlet.mode[..., 0]

    @property
    def variance(self):
        total = self.concentration1 + self.concentration0
        return self.concentration1 * self.concentration0 / (total ** 2 * (total + 1))

    def rsample(self, sample_shape=Size()):
        """The first coordinate of a Dirichlet(a, b) draw: differentiable in both concentrations."""
        return self._dirichlet.rsample(sample_shape)[..., 0]

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return self._dirichlet.log_prob(stack([value, 1.0 - value], -1))

    def entropy(self):
        """The entropy of the Dirichlet(a, b) underneath."""
        return self._dirichlet.entropy()
