"""The binomial distribution: the number of successes in ``total_count`` coins with P(success) = ``probs``."""
from ..api import Size
from ..autograd import no_grad
from ..creation import arange, rand
from . import constraints
from .distribution import Distribution
from .utils import BinaryProbability

__all__ = ["Binomial"]


class Binomial(BinaryProbability, Distribution):
    """Bin(n, p): ``log p(k) = log C(n, k) + k l - n log(1 + e^l)`` for logits ``l`` and k = 0..n.

    >>> import minitorch
    >>> from minitorch.distributions import Binomial
    >>> d = Binomial(4, minitorch.tensor(0.5))
    >>> d.mean.item(), round(d.log_prob(minitorch.tensor(2.0)).exp().item(), 4)
    (2.0, 0.375)
    """

    arg_constraints = {"total_count": constraints.nonnegative_integer, "probs": constraints.half_open_interval(0.0, 1.0),
                       "logits": constraints.real}
    has_enumerate_support = True

    def __init__(self, total_count=1, probs=None, logits=None, validate_args=None):
        total_count, param = self._take_probability(probs, logits, total_count)
        self.total_count = total_count.to(param.dtype)
        super().__init__(param.size(), validate_args=validate_args)

    @constraints.dependent_property(is_discrete=True, event_dim=0)
    def support(self):
        """The whole numbers 0 to ``total_count``."""
        return constraints.integer_interval(0, self.total_count)

    @property
    def mean(self):
        return self.total_count * self.probs

    @property
    def mode(self):
        return ((self.total_count + 1) * self.probs).floor().clamp(max=self.total_count)

    @property
    def variance(self):
        return self.total_count * self.probs * (1 - self.probs)

    def sample(self, sample_shape=Size()):
        """The count of ``u_i < p`` among ``total_count`` uniforms ``u_i`` (no gradient)."""
        shape = self._extended_shape(sample_shape)
        with no_grad():
            probs, n = self.probs.expand(shape), self.total_count.expand(shape)
            most = int(n.max().item()) if n.numel() else 0
            u = rand(tuple(shape) + (most,), dtype=probs.dtype, device=probs.device)
            tries = arange(most, dtype=probs.dtype, device=probs.device)
            return ((u < probs.unsqueeze(-1)) & (tries < n.unsqueeze(-1))).to(probs.dtype).sum(-1)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        n, logits = self.total_count, self.logits
        log_choose = (n + 1).lgamma() - (value + 1).lgamma() - (n - value + 1).lgamma()
        # n log(1 + e^l), written so that no exp overflows: n (max(l, 0) + log1p(e^-|l|)), with max(l, 0) as
        # (l + |l|) / 2 so that at l = 0 the gradient is the true sigmoid(0) = 1/2 (clamp's would give 1)
        normalize = n * ((logits + logits.abs()) / 2 + (-logits.abs()).exp().log1p())
        return log_choose + value * logits - normalize

    def _homogeneous_count(self, name):
        """``total_count`` as one int; NotImplementedError when it varies over the batch."""
        most = int(self.total_count.max().item())
        if int(self.total_count.min().item()) != most:
            raise NotImplementedError(f"Inhomogeneous total count not supported by `{name}`.")
        return most

    def enumerate_support(self, expand=True):
        """The counts 0..n along dim 0, expanded over the batch if ``expand`` (one n for the whole batch)."""
        n = self._homogeneous_count("enumerate_support")
        values = arange(1 + n, dtype=self._param.dtype, device=self._param.device)
        values = values.reshape((-1,) + (1,) * len(self._batch_shape))
        return values.expand((-1,) + tuple(self._batch_shape)) if expand else values

    def entropy(self):
        """``-sum_k p(k) log p(k)`` over k = 0..n (one n for the whole batch)."""
        self._homogeneous_count("entropy")
        log_prob = self.log_prob(self.enumerate_support(False))
        return -(log_prob.exp() * log_prob).sum(0)
