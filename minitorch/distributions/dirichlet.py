"""The Dirichlet distribution over probability vectors (``beta.Beta`` is its two-category case).

It draws normalized gamma draws; ``rsample`` differentiates them by implicit reparameterization
(``gamma.rsample_standard_gamma``), as PyTorch does.
"""
from ..api import Size
from ..namespace import where, xlogy
from ..nn.functional import one_hot
from . import constraints
from .distribution import Distribution
from .gamma import rsample_standard_gamma

__all__ = ["Dirichlet"]


class Dirichlet(Distribution):
    """Dir(a): ``log p(x) = sum (a_i - 1) log x_i + lgamma(sum a_i) - sum lgamma(a_i)`` on the simplex.

    >>> import minitorch
    >>> from minitorch.distributions import Dirichlet
    >>> d = Dirichlet(minitorch.tensor([1.0, 1.0, 2.0]))
    >>> d.mean.tolist()
    [0.25, 0.25, 0.5]
    """

    arg_constraints = {"concentration": constraints.independent(constraints.positive, 1)}
    support = constraints.simplex
    has_rsample = True

    def __init__(self, concentration, validate_args=None):
        if concentration.dim() < 1:
            raise ValueError(f"Dirichlet: concentration must be at least one-dimensional, "
                             f"got shape {tuple(concentration.shape)}.")
        self.concentration = concentration
        super().__init__(concentration.shape[:-1], concentration.shape[-1:], validate_args=validate_args)

    @property
    def mean(self):
        return self.concentration / self.concentration.sum(-1, keepdim=True)

    @property
    def mode(self):
        """``(a - 1)^+`` normalized; where every ``a_i < 1``, the one-hot vector of the largest."""
        excess = (self.concentration - 1).clamp(min=0)
        total = excess.sum(-1, keepdim=True)
        mode = excess / where(total == 0, 1.0, total)  # 0 / 0 would make the corner's gradient NaN
        corner = one_hot(mode.argmax(-1), excess.shape[-1]).to(mode.dtype)
        return where((self.concentration < 1).all(-1, keepdim=True), corner, mode)

    @property
    def variance(self):
        total = self.concentration.sum(-1, keepdim=True)
        return self.concentration * (total - self.concentration) / (total ** 2 * (total + 1))

    def rsample(self, sample_shape=Size()):
        """Gamma(a_i, 1) draws divided by their sum: differentiable in the concentration."""
        draws = rsample_standard_gamma(self.concentration.expand(self._extended_shape(sample_shape)))
        return draws / draws.sum(-1, keepdim=True)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        a = self.concentration
        return xlogy(a - 1, value).sum(-1) + a.sum(-1).lgamma() - a.lgamma().sum(-1)

    def entropy(self):
        """``sum lgamma(a_i) - lgamma(a_0) - (k - a_0) digamma(a_0) - sum (a_i - 1) digamma(a_i)``, a_0 = sum a_i."""
        a = self.concentration
        k, total = a.shape[-1], a.sum(-1)
        return a.lgamma().sum(-1) - total.lgamma() - (k - total) * total.digamma() - ((a - 1) * a.digamma()).sum(-1)
