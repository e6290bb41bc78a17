"""The geometric distribution: the number of failures before the first success of coins with P(success) = ``probs``."""
from .. import dtypes
from ..api import Size
from ..autograd import no_grad
from ..creation import rand, zeros_like
from ..namespace import where
from ..nn.functional import binary_cross_entropy_with_logits
from . import constraints
from .distribution import Distribution
from .utils import BinaryProbability

__all__ = ["Geometric"]


class Geometric(BinaryProbability, Distribution):
    """Geom(p): ``log p(k) = k log(1 - p) + log p`` for k = 0, 1, 2, ...; mean ``1/p - 1``.

    >>> import minitorch
    >>> from minitorch.distributions import Geometric
    >>> d = Geometric(0.25)
    >>> d.mean.item(), round(d.log_prob(minitorch.tensor(2.0)).item(), 4)
    (3.0, -1.9617)
    """

    arg_constraints = {"probs": constraints.interval(0.0, 1.0), "logits": constraints.real}
    support = constraints.nonnegative_integer

    def __init__(self, probs=None, logits=None, validate_args=None):
        (param,) = self._take_probability(probs, logits)
        super().__init__(param.size(), validate_args=validate_args)

    @property
    def mean(self):
        return 1.0 / self.probs - 1.0

    @property
    def mode(self):
        return zeros_like(self.probs)

    @property
    def variance(self):
        return (1.0 / self.probs - 1.0) / self.probs

    def sample(self, sample_shape=Size()):
        """``floor(log u / log(1 - p))``, ``u ~ U(0, 1)`` (no gradient)."""
        with no_grad():
            probs = self.probs.expand(self._extended_shape(sample_shape))
            u = rand(probs.shape, dtype=probs.dtype, device=probs.device).clamp(min=dtypes.finfo(probs.dtype).tiny)
            return (u.log() / (-probs).log1p()).floor()

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        certain = (self.probs == 1) & (value == 0)  # 0 log 0 = 0: a sure success at the first try
        return value * (-where(certain, 0.0, self.probs)).log1p() + self.probs.log()

    def entropy(self):
        """``BCE(logits, p) / p``: the coin's entropy per expected try."""
        return binary_cross_entropy_with_logits(self.logits, self.probs, reduction="none") / self.probs
