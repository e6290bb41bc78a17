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
from .utils import InnerParameters, clamp_probs

__all__ = ["LogitRelaxedBernoulli", "RelaxedBernoulli", "Relaxed", "RelaxedWrapper"]


def as_temperature(temperature, like):
    """``temperature`` as a tensor of ``like``'s dtype and device (a number is converted; a tensor kept)."""
    if isinstance(temperature, numbers.Real):
        return tensor(float(temperature), dtype=like.dtype, device=like.device)
    return temperature


class Relaxed(InnerParameters):
    """A relaxation at a ``temperature`` of an exact distribution ``self._exact`` (a Bernoulli, a Categorical),
    whose parameters it shows as its own."""

    _inner_name = "_exact"

    def _relax(self, exact, temperature, event_shape, validate_args):
        """Keep ``exact`` and ``temperature`` (a number becomes a tensor like the parameters)."""
        self._exact = exact
        self.temperature = as_temperature(temperature, exact._param)
        Distribution.__init__(self, exact.batch_shape, event_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self.__new__(type(self)) if _instance is None else _instance
        new._exact = self._exact.expand(batch_shape)
        new.temperature = self.temperature
        Distribution.__init__(new, Size(batch_shape), self._event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new


class RelaxedWrapper(InnerParameters):
    """A transformed relaxation (``RelaxedBernoulli``, ``RelaxedOneHotCategorical``): the temperature and the
    parameters are those of its base distribution, a ``Relaxed`` one."""

    _inner_name = "base_dist"

    @property
    def temperature(self):
        """How soft a draw is: near 0, draws approach the exact distribution's."""
        return self.base_dist.temperature


class LogitRelaxedBernoulli(Relaxed, Distribution):
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
        self._relax(Bernoulli(probs, logits, validate_args=validate_args), temperature, (), validate_args)

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


class RelaxedBernoulli(RelaxedWrapper, TransformedDistribution):
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
