"""Probability distributions with PyTorch's interface: ``import minitorch.distributions as D``.

Each distribution is a set of parameter tensors with ``sample``/``rsample`` (shape
``sample_shape + batch_shape + event_shape``), ``log_prob``, ``entropy``, ``mean``, ``mode``,
``variance``, ``stddev`` and ``expand``; ``kl_divergence(p, q)`` gives KL(p || q). Densities, entropies
and divergences are compositions of minitorch's tensor ops, so their gradients come from the ops'
hand-written backwards; draws come from minitorch's seeded generator (``minitorch.manual_seed``).

The REINFORCE policy gradient, as PyTorch's reinforcement-learning examples write it:

    >>> import minitorch
    >>> from minitorch.distributions import Categorical
    >>> logits = minitorch.zeros(4, requires_grad=True)
    >>> m = Categorical(logits=logits)
    >>> action = m.sample()
    >>> (-m.log_prob(action) * 1.0).backward()
    >>> round(logits.grad.sum().item(), 6)
    0.0

Modules, as PyTorch names them: ``distribution``, ``constraints``, ``utils``, ``categorical``
(Categorical, OneHotCategorical), ``normal`` (Normal, LogNormal), ``bernoulli``, ``uniform``,
``exponential``, ``laplace``, ``independent``, ``gamma``, ``chi2``, ``dirichlet``, ``beta``,
``poisson``, ``binomial``, ``geometric``, ``studentT``, ``multivariate_normal``, ``mixture_same_family``, ``transforms``, ``transformed_distribution``,
``relaxed_bernoulli``, ``relaxed_categorical``, ``kl``.
"""
from . import constraints, transforms, utils
from .bernoulli import Bernoulli
from .beta import Beta
from .binomial import Binomial
from .categorical import Categorical, OneHotCategorical
from .chi2 import Chi2
from .dirichlet import Dirichlet
from .distribution import Distribution
from .exponential import Exponential
from .gamma import Gamma
from .geometric import Geometric
from .independent import Independent
from .kl import kl_divergence, register_kl
from .laplace import Laplace
from .mixture_same_family import MixtureSameFamily
from .multivariate_normal import MultivariateNormal
from .normal import LogNormal, Normal
from .poisson import Poisson
from .relaxed_bernoulli import RelaxedBernoulli
from .relaxed_categorical import RelaxedOneHotCategorical
from .studentT import StudentT
from .transformed_distribution import TransformedDistribution
from .transforms import AffineTransform, ExpTransform, SigmoidTransform, TanhTransform, Transform
from .uniform import Uniform

__all__ = [
    "AffineTransform", "Bernoulli", "Beta", "Binomial", "Categorical", "Chi2", "Dirichlet", "Distribution", "ExpTransform",
    "Exponential", "Gamma", "Geometric", "Independent", "Laplace", "LogNormal", "MixtureSameFamily", "MultivariateNormal", "Normal",
    "OneHotCategorical", "Poisson", "RelaxedBernoulli", "RelaxedOneHotCategorical", "SigmoidTransform", "StudentT", "TanhTransform",
    "Transform", "TransformedDistribution", "Uniform", "constraints", "kl_divergence", "register_kl", "transforms",
    "utils",
]
