"""The multinomial distribution: the counts of each of K categories in ``total_count`` categorical draws."""
import math

from ..api import Size
from ..autograd import no_grad
from ..namespace import where
from ..nn.functional import one_hot
from . import constraints
from .binomial import Binomial
from .categorical import Categorical
from .distribution import Distribution
from .utils import InnerParameters, broadcast_all

__all__ = ["Multinomial"]


class Multinomial(InnerParameters, Distribution):
    """Mult(n, p): ``log p(x) = lgamma(n + 1) - sum lgamma(x_i + 1) + sum x_i log p_i`` for counts ``x`` summing to n.

    >>> import minitorch
    >>> from minitorch.distributions import Multinomial
    >>> d = Multinomial(4, minitorch.tensor([0.25, 0.25, 0.5]))
    >>> d.mean.tolist(), round(d.log_prob(minitorch.tensor([1.0, 1.0, 2.0])).exp().item(), 4)
    ([1.0, 1.0, 2.0], 0.1875)
    """

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}

    def __init__(self, total_count=1, probs=None, logits=None, validate_args=None):
        if not isinstance(total_count, int):
            raise NotImplementedError("inhomogeneous total_count is not supported")
        self.total_count = total_count
        self._categorical = Categorical(probs=probs, logits=logits)
        param_shape = self._categorical.param_shape
        super().__init__(param_shape[:-1], param_shape[-1:], validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self.__new__(type(self)) if _instance is None else _instance
        new.total_count = self.total_count
        new._categorical = self._categorical.expand(batch_shape)
        Distribution.__init__(new, Size(batch_shape), self._event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @constraints.dependent_property(is_discrete=True, event_dim=1)
    def support(self):
        """Vectors of non-negative counts that sum to at most ``total_count``."""
        return constraints.multinomial(self.total_count)

    @property
    def mean(self):
        return self.probs * self.total_count

    @property
    def variance(self):
        return self.total_count * self.probs * (1 - self.probs)

    def sample(self, sample_shape=Size()):
        """The one-hot vectors of ``total_count`` categorical draws, summed (no gradient)."""
        with no_grad():
            draws = self._categorical.sample(Size((self.total_count,) + tuple(Size(sample_shape))))
            return one_hot(draws, self._event_shape[0]).sum(0).to(self.probs.dtype)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        logits = where((value == 0) & (logits == -math.inf), 0.0, logits)  # 0 log 0 = 0
        return (value.sum(-1) + 1).lgamma() - (value + 1).lgamma().sum(-1) + (logits * value).sum(-1)

    def entropy(self):
        """``n H(p) - lgamma(n + 1) + sum_i E[lgamma(x_i + 1)]``, each count ``x_i`` binomial (n, p_i)."""
        n = self.total_count
        binomial = Binomial(n, self.probs, validate_args=False)
        counts = binomial.enumerate_support(expand=False)[1:]
        expected_log_factorials = (binomial.log_prob(counts).exp() * (counts + 1).lgamma()).sum((0, -1))
        return n * self._categorical.entropy() - math.lgamma(n + 1) + expected_log_factorials
