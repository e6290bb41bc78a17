"""The gamma distribution, with Marsaglia and Tsang's sampler (``chi2.Chi2`` is a gamma with rate 1/2).

``rsample`` differentiates the draw by implicit reparameterization, as PyTorch does: the derivative of a
draw with respect to the concentration comes from the gamma CDF (``implicit.StandardGamma``), so it
needs no invertible sampler; the rate scales the draw.
"""
import math

from .. import dtypes
from ..api import Size
from ..autograd import no_grad
from ..creation import rand, randn
from ..namespace import where, xlogy
from . import constraints
from .distribution import Distribution
from .implicit import GammaCdf, StandardGamma
from .utils import broadcast_all

__all__ = ["Gamma", "rsample_standard_gamma", "standard_gamma"]


def standard_gamma(concentration):
    """Draws of Gamma(concentration, 1), one per element, by Marsaglia and Tsang's rejection method (no gradient).

    With ``d = a - 1/3`` and ``c = 1 / sqrt(9 d)``, a normal ``x`` proposes ``v = (1 + c x)^3``; ``d v`` is kept
    when ``log u < x^2 / 2 + d - d v + d log v`` (``u`` uniform). A concentration ``a < 1`` draws with ``a + 1``
    and multiplies by ``u^(1/a)``. The loop redraws only until every element has been accepted.
    """
    with no_grad():
        a = concentration.detach()
        boosted = a < 1
        d = where(boosted, a + 1, a) - 1 / 3
        c = (9 * d).rsqrt()
        done = ~(a > 0)  # no draw exists for a <= 0 or NaN (unvalidated): those give NaN, not an endless loop
        result = where(done, math.nan, a.new_zeros(a.shape))
        while not bool(done.all()):
            x = randn(a.shape, dtype=a.dtype, device=a.device)
            v = (1 + c * x) ** 3
            u = rand(a.shape, dtype=a.dtype, device=a.device)
            log_v = where(v > 0, v, 1.0).log()
            accept = ~done & (v > 0) & (u.log() < 0.5 * x * x + d - d * v + d * log_v)
            result = where(accept, d * v, result)
            done = done | accept
        u = rand(a.shape, dtype=a.dtype, device=a.device)
        result = where(boosted, result * u ** a.reciprocal(), result)
        return result.clamp(min=dtypes.finfo(a.dtype).tiny)  # as PyTorch: never exactly 0


def rsample_standard_gamma(concentration):
    """Draws of Gamma(concentration, 1), one per element, differentiable in ``concentration`` (implicit
    reparameterization: ``implicit.StandardGamma``)."""
    return StandardGamma.apply(concentration, standard_gamma(concentration))


class Gamma(Distribution):
    """Gamma(a, b): ``log p(x) = a log b + (a - 1) log x - b x - lgamma(a)`` for x > 0; mean ``a / b``.

    >>> import minitorch
    >>> from minitorch.distributions import Gamma
    >>> d = Gamma(2.0, 4.0)
    >>> d
    Gamma(concentration: 2.0, rate: 4.0)
    >>> d.mean.item(), round(d.log_prob(minitorch.tensor(1.0)).item(), 4)
    (0.5, -1.2274)
    """

    arg_constraints = {"concentration": constraints.positive, "rate": constraints.positive}
    support = constraints.nonnegative
    has_rsample = True

    def __init__(self, concentration, rate, validate_args=None):
        self.concentration, self.rate = broadcast_all(concentration, rate)
        super().__init__(self.concentration.size(), validate_args=validate_args)

    @property
    def mean(self):
        return self.concentration / self.rate

    @property
    def mode(self):
        return ((self.concentration - 1) / self.rate).clamp(min=0)

    @property
    def variance(self):
        return self.concentration / self.rate ** 2

    def rsample(self, sample_shape=Size()):
        """Marsaglia-Tsang draws of Gamma(concentration, 1), divided by ``rate``: differentiable in both
        (implicit reparameterization for the concentration)."""
        shape = self._extended_shape(sample_shape)
        return rsample_standard_gamma(self.concentration.expand(shape)) / self.rate.expand(shape)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        a, b = self.concentration, self.rate
        return xlogy(a, b) + xlogy(a - 1, value) - b * value - a.lgamma()

    def cdf(self, value):
        """``P(a, b x)``, the regularized lower incomplete gamma function: differentiable in a, b and x."""
        if self._validate_args:
            self._validate_sample(value)
        return GammaCdf.apply(self.concentration, self.rate * value)

    def entropy(self):
        """``a - log b + lgamma(a) + (1 - a) digamma(a)``."""
        a = self.concentration
        return a - self.rate.log() + a.lgamma() + (1.0 - a) * a.digamma()
