"""The Fisher-Snedecor F distribution: the ratio of two chi-squared variables, each divided by its degrees of freedom."""
import math

from .. import dtypes
from ..api import Size
from ..namespace import where
from . import constraints
from .distribution import Distribution
from .gamma import Gamma
from .utils import broadcast_all

__all__ = ["FisherSnedecor"]


class FisherSnedecor(Distribution):
    """F(d1, d2): with ``h1 = d1 / 2`` and ``h2 = d2 / 2``, ``log p(x) = log B(h1, h2)^-1 + h1 log(d1 / d2) +
    (h1 - 1) log x - (h1 + h2) log(1 + d1 x / d2)``; mean ``d2 / (d2 - 2)`` (NaN for d2 <= 2, as PyTorch).

    >>> import minitorch
    >>> from minitorch.distributions import FisherSnedecor
    >>> round(FisherSnedecor(4.0, 6.0).log_prob(minitorch.tensor(1.0)).item(), 4), FisherSnedecor(4.0, 6.0).mean.item()
    (-0.8802, 1.5)
    """

    arg_constraints = {"df1": constraints.positive, "df2": constraints.positive}
    support = constraints.positive
    has_rsample = True

    def __init__(self, df1, df2, validate_args=None):
        self.df1, self.df2 = broadcast_all(df1, df2)
        self._gamma1 = Gamma(self.df1 * 0.5, self.df1)
        self._gamma2 = Gamma(self.df2 * 0.5, self.df2)
        super().__init__(self.df1.size(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self.__new__(type(self)) if _instance is None else _instance
        batch_shape = Size(batch_shape)
        new.df1, new.df2 = self.df1.expand(batch_shape), self.df2.expand(batch_shape)
        new._gamma1, new._gamma2 = self._gamma1.expand(batch_shape), self._gamma2.expand(batch_shape)
        Distribution.__init__(new, batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def mean(self):
        """``d2 / (d2 - 2)``; NaN for d2 <= 2."""
        df2 = where(self.df2 > 2, self.df2, math.nan)
        return df2 / (df2 - 2)

    @property
    def mode(self):
        """``(d1 - 2) / d1 * d2 / (d2 + 2)``; NaN for d1 <= 2."""
        return where(self.df1 > 2, (self.df1 - 2) / self.df1 * self.df2 / (self.df2 + 2), math.nan)

    @property
    def variance(self):
        """``2 d2^2 (d1 + d2 - 2) / (d1 (d2 - 2)^2 (d2 - 4))``; NaN for d2 <= 4."""
        df2 = where(self.df2 > 4, self.df2, math.nan)
        return 2 * df2 ** 2 * (self.df1 + df2 - 2) / (self.df1 * (df2 - 2) ** 2 * (df2 - 4))

    def rsample(self, sample_shape=Size()):
        """``X1 / X2`` for X1 ~ Gamma(d1 / 2, d1), X2 ~ Gamma(d2 / 2, d2) (each a chi-squared over its df):
        differentiable by the gammas' implicit reparameterization."""
        tiny = dtypes.finfo(self.df1.dtype).tiny
        x1, x2 = self._gamma1.rsample(sample_shape), self._gamma2.rsample(sample_shape)
        return (x1 / x2.clamp(min=tiny)).clamp(min=tiny)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        h1, h2, ratio = self.df1 * 0.5, self.df2 * 0.5, self.df1 / self.df2
        log_beta = h1.lgamma() + h2.lgamma() - (h1 + h2).lgamma()
        return -log_beta + h1 * ratio.log() + (h1 - 1) * value.log() - (h1 + h2) * (ratio * value).log1p()
