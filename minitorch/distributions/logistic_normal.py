"""The logistic-normal distribution: a normal vector mapped onto the simplex by stick-breaking."""
from . import constraints
from .normal import Normal
from .transformed_distribution import TransformedDistribution
from .transforms import StickBreakingTransform

__all__ = ["LogisticNormal"]


class LogisticNormal(TransformedDistribution):
    """``StickBreakingTransform()(x)`` for ``x ~ N(loc, scale^2)`` of K - 1 coordinates: a probability vector of K.

    >>> import minitorch
    >>> from minitorch.distributions import LogisticNormal
    >>> d = LogisticNormal(minitorch.zeros(3), minitorch.ones(3))
    >>> d.event_shape, round(d.sample().sum().item(), 5)
    (minitorch.Size([4]), 1.0)
    """

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.simplex
    has_rsample = True

    def __init__(self, loc, scale, validate_args=None):
        base = Normal(loc, scale, validate_args=validate_args)
        if not base.batch_shape:
            base = base.expand([1])
        super().__init__(base, StickBreakingTransform(), validate_args=validate_args)

    @property
    def loc(self):
        """The mean of the normal underneath."""
        return self.base_dist.base_dist.loc

    @property
    def scale(self):
        """The standard deviation of the normal underneath."""
        return self.base_dist.base_dist.scale
