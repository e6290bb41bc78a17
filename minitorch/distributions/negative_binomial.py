"""The negative binomial distribution: the number of successes before ``total_count`` failures."""
from ..api import Size
from ..autograd import no_grad
from ..namespace import where
from ..nn.functional import logsigmoid
from ..sampling import poisson
from . import constraints
from .distribution import Distribution
from .gamma import Gamma
from .utils import BinaryProbability

__all__ = ["NegativeBinomial"]


class NegativeBinomial(BinaryProbability, Distribution):
    """NB(r, p): ``log p(k) = lgamma(r + k) - lgamma(k + 1) - lgamma(r) + r log(1 - p) + k log p`` (p the
    probability of a success); mean ``r p / (1 - p)``. A gamma-Poisson mixture: it draws a Poisson count with a
    Gamma(r, (1 - p) / p) rate.

    >>> import minitorch
    >>> from minitorch.distributions import NegativeBinomial
    >>> d = NegativeBinomial(3.0, minitorch.tensor(0.5))
    >>> d.mean.item(), round(d.log_prob(minitorch.tensor(0.0)).exp().item(), 4)
    (3.0, 0.125)
    """

    arg_constraints = {"total_count": constraints.greater_than_eq(0), "probs": constraints.half_open_interval(0.0, 1.0),
                       "logits": constraints.real}
    support = constraints.nonnegative_integer

    def __init__(self, total_count, probs=None, logits=None, validate_args=None):
        total_count, param = self._take_probability(probs, logits, total_count)
        self.total_count = total_count.to(param.dtype)
        super().__init__(param.size(), validate_args=validate_args)

    @property
    def mean(self):
        return self.total_count * self.logits.exp()

    @property
    def mode(self):
        return ((self.total_count - 1) * self.logits.exp()).floor().clamp(min=0.0)

    @property
    def variance(self):
        return self.mean / (-self.logits).sigmoid()

    def sample(self, sample_shape=Size()):
        """A Poisson count whose rate is a Gamma(r, e^-logits) draw (no gradient)."""
        with no_grad():
            rate = Gamma(self.total_count, (-self.logits).exp(), validate_args=False).sample(sample_shape)
            return poisson(rate)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        r = self.total_count
        log_unnormalized = r * logsigmoid(-self.logits) + value * logsigmoid(self.logits)
        log_normalization = (1.0 + value).lgamma() + r.lgamma() - (r + value).lgamma()
        return log_unnormalized - where(r + value == 0, 0.0, log_normalization)  # r = 0: k = 0 for sure
