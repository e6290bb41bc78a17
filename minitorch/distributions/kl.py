"""``kl_divergence(p, q)``: KL(p || q) = E_p[log p - log q], in closed form for the registered pairs.

``register_kl(TypeP, TypeQ)`` adds a pair (a decorator, as in PyTorch); the most specific
registered pair of base classes is used for subclasses. Each formula is a composition of tensor
ops, so its gradient (the VAE's KL term) comes from the ops' hand-written backwards.

    >>> import minitorch
    >>> from minitorch.distributions import Normal, kl_divergence
    >>> round(kl_divergence(Normal(1.0, 1.0), Normal(0.0, 1.0)).item(), 4)
    0.5
"""
import math
import warnings

from ..linalg import solve_triangular
from ..namespace import where
from ..numerics import broadcast_shapes
from ..nn.functional import softplus
from .bernoulli import Bernoulli
from .beta import Beta
from .binomial import Binomial
from .cauchy import Cauchy
from .categorical import Categorical, OneHotCategorical
from .dirichlet import Dirichlet
from .distribution import Distribution
from .exponential import Exponential
from .gamma import Gamma
from .geometric import Geometric
from .half_normal import HalfNormal
from .independent import Independent
from .laplace import Laplace
from .lowrank_multivariate_normal import LowRankMultivariateNormal
from .multivariate_normal import MultivariateNormal, _batch_mahalanobis, _half_log_det
from .normal import LogNormal, Normal
from .poisson import Poisson
from .transformed_distribution import TransformedDistribution
from .uniform import Uniform
from .utils import sum_rightmost

__all__ = ["kl_divergence", "register_kl"]

_KL_REGISTRY = {}  # (type_p, type_q) -> function(p, q)
_KL_MEMOIZE = {}  # the lookup's answer for each pair of concrete types


def register_kl(type_p, type_q):
    """A decorator that registers ``fn(p, q)`` as KL(p || q) for ``p`` of ``type_p`` and ``q`` of ``type_q``."""
    for name, cls in (("type_p", type_p), ("type_q", type_q)):
        if not isinstance(cls, type) or not issubclass(cls, Distribution):
            raise TypeError(f"Expected {name} to be a Distribution subclass but got {cls}")

    def decorator(fn):
        _KL_REGISTRY[type_p, type_q] = fn
        _KL_MEMOIZE.clear()
        return fn

    return decorator


def _dispatch_kl(type_p, type_q):
    """The registered function for the closest pair of base classes, or None."""
    matches = [(p, q) for p, q in _KL_REGISTRY if issubclass(type_p, p) and issubclass(type_q, q)]
    if not matches:
        return None
    p_first = min(matches, key=lambda m: (type_p.__mro__.index(m[0]), type_q.__mro__.index(m[1])))
    q_first = min(matches, key=lambda m: (type_q.__mro__.index(m[1]), type_p.__mro__.index(m[0])))
    if _KL_REGISTRY[p_first] is not _KL_REGISTRY[q_first]:
        warnings.warn(f"Ambiguous kl_divergence({type_p.__name__}, {type_q.__name__}). Please register_kl"
                      f"({p_first[0].__name__}, {q_first[1].__name__})", RuntimeWarning, stacklevel=3)
    return _KL_REGISTRY[p_first]


def kl_divergence(p, q):
    """KL(p || q), of the distributions' batch shape; NotImplementedError for an unregistered pair."""
    key = (type(p), type(q))
    if key not in _KL_MEMOIZE:
        _KL_MEMOIZE[key] = _dispatch_kl(*key)
    fn = _KL_MEMOIZE[key]
    if fn is None:
        raise NotImplementedError(f"No KL(p || q) is implemented for p type {type(p).__name__} "
                                  f"and q type {type(q).__name__}")
    return fn(p, q)


@register_kl(Normal, Normal)
def _kl_normal_normal(p, q):
    """``(r + ((mu_p - mu_q) / s_q)^2 - 1 - log r) / 2`` with ``r = (s_p / s_q)^2``."""
    var_ratio = (p.scale / q.scale) ** 2
    t1 = ((p.loc - q.loc) / q.scale) ** 2
    return 0.5 * (var_ratio + t1 - 1 - var_ratio.log())


@register_kl(HalfNormal, HalfNormal)
def _kl_halfnormal_halfnormal(p, q):
    """The KL of the normals folded (both centred at 0): folding both halves alike changes no divergence."""
    return _kl_normal_normal(p.base_dist, q.base_dist)


@register_kl(Cauchy, Cauchy)
def _kl_cauchy_cauchy(p, q):
    """``log(((s_p + s_q)^2 + (mu_p - mu_q)^2) / (4 s_p s_q))``."""
    return (((p.scale + q.scale) ** 2 + (p.loc - q.loc) ** 2) / (4 * p.scale * q.scale)).log()


@register_kl(LogNormal, LogNormal)
def _kl_lognormal_lognormal(p, q):
    """The normals' KL: exp is one-to-one, so it changes no divergence."""
    return _kl_normal_normal(p.base_dist, q.base_dist)


@register_kl(Categorical, Categorical)
def _kl_categorical_categorical(p, q):
    """``sum p (log p - log q)``: ``+inf`` where q = 0 < p, and 0 where p = 0."""
    t = p.probs * (p.logits - q.logits)
    t = where(q.probs == 0, math.inf, t)
    return where(p.probs == 0, 0.0, t).sum(-1)


@register_kl(OneHotCategorical, OneHotCategorical)
def _kl_onehotcategorical_onehotcategorical(p, q):
    """The categoricals' KL."""
    return _kl_categorical_categorical(p._categorical, q._categorical)


@register_kl(Bernoulli, Bernoulli)
def _kl_bernoulli_bernoulli(p, q):
    """``p log(p / q) + (1 - p) log((1 - p) / (1 - q))``, with softplus of the logits for the logs."""
    t1 = p.probs * (softplus(-q.logits) - softplus(-p.logits))
    t1 = where(p.probs == 0, 0.0, where(q.probs == 0, math.inf, t1))
    t2 = (1 - p.probs) * (softplus(q.logits) - softplus(p.logits))
    t2 = where(p.probs == 1, 0.0, where(q.probs == 1, math.inf, t2))
    return t1 + t2


@register_kl(Uniform, Uniform)
def _kl_uniform_uniform(p, q):
    """``log((high_q - low_q) / (high_p - low_p))``; ``+inf`` unless q's interval holds p's."""
    result = ((q.high - q.low) / (p.high - p.low)).log()
    return where((q.low > p.low) | (q.high < p.high), math.inf, result)


@register_kl(Exponential, Exponential)
def _kl_exponential_exponential(p, q):
    """``r - 1 - log r`` with ``r = rate_q / rate_p``."""
    rate_ratio = q.rate / p.rate
    return rate_ratio - 1 - rate_ratio.log()


@register_kl(Laplace, Laplace)
def _kl_laplace_laplace(p, q):
    """``-log r + |mu_p - mu_q| / s_q + r exp(-|mu_p - mu_q| / s_p) - 1`` with ``r = s_p / s_q``."""
    scale_ratio = p.scale / q.scale
    loc_abs_diff = (p.loc - q.loc).abs()
    return -scale_ratio.log() + loc_abs_diff / q.scale + scale_ratio * (-loc_abs_diff / p.scale).exp() - 1


@register_kl(Independent, Independent)
def _kl_independent_independent(p, q):
    """The bases' KL, summed over the reinterpreted dims."""
    if p.reinterpreted_batch_ndims != q.reinterpreted_batch_ndims:
        raise NotImplementedError("KL(Independent || Independent) needs the same reinterpreted_batch_ndims, got "
                                  f"{p.reinterpreted_batch_ndims} and {q.reinterpreted_batch_ndims}.")
    return sum_rightmost(kl_divergence(p.base_dist, q.base_dist), p.reinterpreted_batch_ndims)


@register_kl(TransformedDistribution, TransformedDistribution)
def _kl_transformed_transformed(p, q):
    """The bases' KL when both push them through equal transforms (a bijection changes no divergence)."""
    if p.transforms != q.transforms:
        raise NotImplementedError("KL(TransformedDistribution || TransformedDistribution) needs equal transforms, got "
                                  f"{p.transforms} and {q.transforms}.")
    if p.event_shape != q.event_shape:
        raise NotImplementedError(f"KL(TransformedDistribution || TransformedDistribution) needs one event shape, got "
                                  f"{tuple(p.event_shape)} and {tuple(q.event_shape)}.")
    return kl_divergence(p.base_dist, q.base_dist)


@register_kl(Gamma, Gamma)
def _kl_gamma_gamma(p, q):
    """``a_q log(b_p / b_q) + lgamma(a_q) - lgamma(a_p) + (a_p - a_q) digamma(a_p) + (b_q - b_p) a_p / b_p``."""
    t1 = q.concentration * (p.rate / q.rate).log()
    t2 = q.concentration.lgamma() - p.concentration.lgamma()
    t3 = (p.concentration - q.concentration) * p.concentration.digamma()
    t4 = (q.rate - p.rate) * (p.concentration / p.rate)
    return t1 + t2 + t3 + t4


@register_kl(Binomial, Binomial)
def _kl_binomial_binomial(p, q):
    """``n (p log(p / q) + (1 - p) log((1 - p) / (1 - q)))`` for one n; ``+inf`` where p's n exceeds q's."""
    if bool((p.total_count < q.total_count).any()):
        raise NotImplementedError("KL between Binomials where q.total_count > p.total_count is not implemented")
    kl = p.total_count * (p.probs * (p.logits - q.logits) + (-p.probs).log1p() - (-q.probs).log1p())
    return where(p.total_count > q.total_count, math.inf, kl)


@register_kl(Geometric, Geometric)
def _kl_geometric_geometric(p, q):
    """``-H(p) - log(1 - q) / p - logit(q)``."""
    return -p.entropy() - (-q.probs).log1p() / p.probs - q.logits


@register_kl(Dirichlet, Dirichlet)
def _kl_dirichlet_dirichlet(p, q):
    """``lgamma(a_0) - lgamma(b_0) - sum (lgamma(a_i) - lgamma(b_i)) + sum (a_i - b_i)(digamma(a_i) - digamma(a_0))``
    for p = Dir(a), q = Dir(b), a_0 and b_0 their sums."""
    a, b = p.concentration, q.concentration
    a0, b0 = a.sum(-1), b.sum(-1)
    t2 = (a.lgamma() - b.lgamma()).sum(-1)
    return a0.lgamma() - b0.lgamma() - t2 + ((a - b) * (a.digamma() - a0.digamma().unsqueeze(-1))).sum(-1)


@register_kl(Beta, Beta)
def _kl_beta_beta(p, q):
    """The KL of the two-category Dirichlets underneath."""
    return _kl_dirichlet_dirichlet(p._dirichlet, q._dirichlet)


@register_kl(Poisson, Poisson)
def _kl_poisson_poisson(p, q):
    """``rate_p (log rate_p - log rate_q) - (rate_p - rate_q)``."""
    return p.rate * (p.rate.log() - q.rate.log()) - (p.rate - q.rate)


@register_kl(MultivariateNormal, MultivariateNormal)
def _kl_multivariatenormal_multivariatenormal(p, q):
    """``log det L_q - log det L_p + (|L_q^-1 L_p|_F^2 + |L_q^-1 (loc_q - loc_p)|^2 - k) / 2``."""
    if p.event_shape != q.event_shape:
        raise ValueError(f"KL-divergence between two Multivariate Normals with different event shapes cannot be "
                         f"computed: {p.event_shape} vs {q.event_shape}.")
    k = p.event_shape[0]
    shape = tuple(broadcast_shapes(q._unbroadcasted_scale_tril.shape[:-2], p._unbroadcasted_scale_tril.shape[:-2]))
    ratio = solve_triangular(q._unbroadcasted_scale_tril.expand(shape + (k, k)),
                             p._unbroadcasted_scale_tril.expand(shape + (k, k)), upper=False)
    term2 = (ratio ** 2).sum((-2, -1))
    term3 = _batch_mahalanobis(q._unbroadcasted_scale_tril, q.loc - p.loc)
    return _half_log_det(q._unbroadcasted_scale_tril) - _half_log_det(p._unbroadcasted_scale_tril) + \
        0.5 * (term2 + term3 - k)


def _full(d):
    """A LowRankMultivariateNormal as the MultivariateNormal of its full covariance (a MultivariateNormal as is)."""
    return d if isinstance(d, MultivariateNormal) else MultivariateNormal(d.loc, scale_tril=d.scale_tril,
                                                                            validate_args=False)


@register_kl(LowRankMultivariateNormal, LowRankMultivariateNormal)
@register_kl(LowRankMultivariateNormal, MultivariateNormal)
@register_kl(MultivariateNormal, LowRankMultivariateNormal)
def _kl_gaussian_lowrank(p, q):
    """The MultivariateNormal formula on the full covariances (k x k Cholesky factors of W W^T + D)."""
    return _kl_multivariatenormal_multivariatenormal(_full(p), _full(q))
