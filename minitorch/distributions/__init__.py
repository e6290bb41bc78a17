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

Modules, as PyTorch names them: ``distribution``, ``constraints``, ``utils``, ``categorical`` (Categorical,
OneHotCategorical), ``normal`` (Normal, LogNormal), ``bernoulli``, ``uniform``, ``exponential``, ``laplace``,
``independent``, ``gamma``, ``chi2``, ``dirichlet``, ``beta``, ``poisson``, ``binomial``, ``geometric``,
``studentT``, ``cauchy``, ``half_normal``, ``half_cauchy``, ``gumbel``, ``weibull``, ``pareto``, ``multinomial``,
``negative_binomial``, ``logistic_normal``, ``inverse_gamma``, ``fishersnedecor``, ``kumaraswamy``,
``lowrank_multivariate_normal``, ``multivariate_normal``, ``mixture_same_family``, ``transforms``,
``transformed_distribution``, ``relaxed_bernoulli``, ``relaxed_categorical``, ``kl``, ``constraint_registry``.
"""
from . import constraints, transforms, utils
from .bernoulli import Bernoulli
from .beta import Beta
from .binomial import Binomial
from .cauchy import Cauchy
from .categorical import Categorical, OneHotCategorical, OneHotCategoricalStraightThrough
from .chi2 import Chi2
from .constraint_registry import biject_to, transform_to
from .dirichlet import Dirichlet
from .distribution import Distribution
from .exponential import Exponential
from .fishersnedecor import FisherSnedecor
from .gamma import Gamma
from .geometric import Geometric
from .gumbel import Gumbel
from .half_cauchy import HalfCauchy
from .half_normal import HalfNormal
from .independent import Independent
from .inverse_gamma import InverseGamma
from .kumaraswamy import Kumaraswamy
from .kl import kl_divergence, register_kl
from . import kl_cross_entropy  # noqa: E402,F401  (registers the KL pairs of different families)
from .laplace import Laplace
from .logistic_normal import LogisticNormal
from .lowrank_multivariate_normal import LowRankMultivariateNormal
from .mixture_same_family import MixtureSameFamily
from .multinomial import Multinomial
from .multivariate_normal import MultivariateNormal
from .negative_binomial import NegativeBinomial
from .normal import LogNormal, Normal
from .pareto import Pareto
from .poisson import Poisson
from .relaxed_bernoulli import RelaxedBernoulli
from .relaxed_categorical import RelaxedOneHotCategorical
from .studentT import StudentT
from .transformed_distribution import TransformedDistribution
from .transforms import (
    AbsTransform, AffineTransform, ComposeTransform, CumulativeDistributionTransform, ExpTransform, IndependentTransform,
    LowerCholeskyTransform, PowerTransform, ReshapeTransform, SigmoidTransform, SoftmaxTransform, SoftplusTransform,
    StickBreakingTransform, TanhTransform, Transform, identity_transform,
)
from .uniform import Uniform
from .weibull import Weibull

__all__ = [
    "AbsTransform", "AffineTransform", "Bernoulli", "Beta", "Binomial", "Categorical", "Cauchy", "Chi2",
    "ComposeTransform", "CumulativeDistributionTransform", "Dirichlet", "Distribution", "ExpTransform",
    "Exponential", "FisherSnedecor", "Gamma", "Geometric", "Gumbel", "HalfCauchy", "HalfNormal", "Independent",
    "IndependentTransform", "InverseGamma", "Kumaraswamy", "Laplace", "LogNormal", "LogisticNormal",
    "LowRankMultivariateNormal", "LowerCholeskyTransform", "MixtureSameFamily", "Multinomial", "MultivariateNormal",
    "NegativeBinomial", "Normal", "OneHotCategorical", "OneHotCategoricalStraightThrough", "Pareto", "Poisson",
    "PowerTransform", "RelaxedBernoulli", "RelaxedOneHotCategorical", "ReshapeTransform", "SigmoidTransform",
    "SoftmaxTransform", "SoftplusTransform", "StickBreakingTransform", "StudentT", "TanhTransform", "Transform",
    "TransformedDistribution", "Uniform", "Weibull", "biject_to", "constraints", "identity_transform",
    "kl_divergence", "register_kl", "transform_to", "transforms", "utils",
]
