"""Relaxed (concrete) Bernoulli distributions: differentiable stand-ins for coin flips at a ``temperature``.

``LogitRelaxedBernoulli`` draws the logit ``(l + log u - log(1 - u)) / temperature`` (``u`` uniform: logistic
noise), so ``rsample`` carries gradients to the logits; ``RelaxedBernoulli`` is its sigmoid, a value in
(0, 1) that approaches a 0/1 flip as the temperature goes to 0 (Maddison et al., Jang et al., 2017).
"""
import numbers

from ..api import Size
from ..creation import rand, tensor
from . import constraints
from .bernoulli import Bernoulli
from .distribution import Distribution
from .transformed_distribution import TransformedDistribution
from .transforms import SigmoidTransform
from .utils import clamp_probs

__all__ = ["LogitRelaxedBernoulli", "RelaxedBernoulli"]


def as_temperature(temperature, like):
    """``temperature`` as a tensor of ``like``'s dtype and device (a number is converted; a tensor kept)."""
    if isinstance(temperature, numbers.Real):
        return tensor(float(temperature), dtype=like.dtype, device=like.device)
    return temperature


class LogitRelaxedBernoulli(Distribution):
    """The logit of a relaxed Bernoulli: ``log p(x) = log t + d - 2 softplus(d)`` with ``d = l - t x``.

    >>> import minitorch
    >>> from minitorch.distributions.relaxed_bernoulli import LogitRelaxedBernoulli
    >>> round(LogitRelaxedBernoulli(1.0, logits=0.0).log_prob(minitorch.tensor(0.0)).item(), 4)
    -1.3863
    """

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.real
    has_rsample = True

    def __init__(self, temperature, probs=None, logits=None, validate_args=None):
        self._bernoulli = Bernoulli(probs, logits, validate_args=validate_args)
        self.temperature = as_temperature(temperature, self._bernoulli._param)
        super().__init__(self._bernoulli.batch_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self.__new__(type(self)) if _instance is None else _instance
        new._bernoulli = self._bernoulli.expand(batch_shape)
        new.temperature = self.temperature
        Distribution.__init__(new, Size(batch_shape), validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def probs(self):
        """P(1) of the coin that the temperature relaxes."""
        return self._bernoulli.probs

    @property
    def logits(self):
        """The log-odds of the coin that the temperature relaxes."""
        return self._bernoulli.logits

    @property
    def param_shape(self):
        """The shape of ``probs`` (or ``logits``)."""
        return self._bernoulli.param_shape

    def rsample(self, sample_shape=Size()):
        """``(logits + log u - log(1 - u)) / temperature``, ``u ~ U(0, 1)``: differentiable in the logits."""
        logits = self.logits
        u = clamp_probs(rand(self._extended_shape(sample_shape), dtype=logits.dtype, device=logits.device))
        return (u.log() - (-u).log1p() + logits) / self.temperature

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        diff = self.logits - value * self.temperature
        return self.temperature.log() + diff - 2 * diff.exp().log1p()


class RelaxedBernoulli(TransformedDistribution):
    """A relaxed coin flip in (0, 1): the sigmoid of a ``LogitRelaxedBernoulli``.

    >>> import minitorch
    >>> from minitorch.distributions import RelaxedBernoulli
    >>> d = RelaxedBernoulli(minitorch.tensor(0.5), probs=minitorch.tensor([0.1, 0.9]))
    >>> d.rsample().shape
    minitorch.Size([2])
    """

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.unit_interval

    def __init__(self, temperature, probs=None, logits=None, validate_args=None):
        super().__init__(LogitRelaxedBernoulli(temperature, probs, logits), SigmoidTransform(),
                         validate_args=validate_args)

    @property
    def temperature(self):
        """How soft the flip is: near 0, draws approach 0 or 1."""
        return self.base_dist.temperature

    @property
    def probs(self):
        """P(1) of the coin that the temperature relaxes."""
        return self.base_dist.probs

    @property
    def logits(self):
        """The log-odds of the coin that the temperature relaxes."""
        return self.base_dist.logits
