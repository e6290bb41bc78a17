"""Student's t distribution: a normal whose scale is itself uncertain (heavy tails for small ``df``)."""
import math

from ..api import Size
from ..creation import randn
from ..namespace import where
from . import constraints
from .distribution import Distribution
from .gamma import rsample_standard_gamma
from .utils import broadcast_all

__all__ = ["StudentT"]


class StudentT(Distribution):
    """t(df, loc, scale): ``log p(x) = -(df + 1)/2 log(1 + y^2 / df) - log(scale sqrt(df) B(df/2, 1/2))``,
    ``y = (x - loc) / scale``. ``rsample`` is differentiable in all three (gamma's implicit reparameterization
    for ``df``).

    >>> import minitorch
    >>> from minitorch.distributions import StudentT
    >>> round(StudentT(3.0).log_prob(minitorch.tensor(0.0)).item(), 4)
    -1.0009
    """

    arg_constraints = {"df": constraints.positive, "loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True

    def __init__(self, df, loc=0.0, scale=1.0, validate_args=None):
        self.df, self.loc, self.scale = broadcast_all(df, loc, scale)
        super().__init__(self.df.size(), validate_args=validate_args)

    @property
    def mean(self):
        """``loc`` for df > 1, undefined (NaN) otherwise."""
        return where(self.df > 1, self.loc, math.nan)

    @property
    def mode(self):
        return self.loc

    @property
    def variance(self):
        """``scale^2 df / (df - 2)`` for df > 2; inf for 1 < df <= 2; NaN for df <= 1."""
        finite = self.scale ** 2 * self.df / where(self.df > 2, self.df - 2, 1.0)
        return where(self.df > 2, finite, where(self.df > 1, math.inf, math.nan))

    def rsample(self, sample_shape=Size()):
        """``loc + scale x / sqrt(z / df)``, ``x ~ N(0, 1)``, ``z ~ Chi2(df)``: differentiable in every parameter."""
        shape = self._extended_shape(sample_shape)
        df = self.df.expand(shape)
        x = randn(shape, dtype=df.dtype, device=df.device)
        z = 2 * rsample_standard_gamma(0.5 * df)
        return self.loc + self.scale * x * (z / df).rsqrt()

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        y = (value - self.loc) / self.scale
        half_df = 0.5 * self.df
        Z = self.scale.log() + 0.5 * self.df.log() + 0.5 * math.log(math.pi) + half_df.lgamma() - \
            (half_df + 0.5).lgamma()
        return -0.5 * (self.df + 1.0) * (y ** 2 / self.df).log1p() - Z

    def entropy(self):
        """``log scale + (df + 1)/2 (digamma((df + 1)/2) - digamma(df/2)) + log(df)/2 + log B(df/2, 1/2)``."""
        half_df = 0.5 * self.df
        lbeta = half_df.lgamma() + math.lgamma(0.5) - (half_df + 0.5).lgamma()
        return (self.scale.log() + (half_df + 0.5) * ((half_df + 0.5).digamma() - half_df.digamma()) +
                0.5 * self.df.log() + lbeta)
