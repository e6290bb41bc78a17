"""KL(p || q) through the cross-entropy: the pairs of different families that PyTorch registers among
minitorch's families, and Gumbel-Gumbel and Pareto-Pareto.

Each finite one is ``KL(p || q) = -H(p) + CE(p, q)``, p's entropy and the cross-entropy
``CE(p, q) = -E_p[log q(x)]``, and the cross-entropy needs only a few moments of p: for a normal q its mean
and variance, for a gamma q ``E[x]`` and ``E[log x]``, for a beta q ``E[log x]`` and ``E[log(1 - x)]``, for a
Gumbel q p's moment-generating function at ``-1/scale_q``.
Where q's support misses part of p's (a normal p against an exponential q, a uniform p reaching below 0
against a gamma q) the divergence is ``+inf``, without gradient, as in PyTorch.

    >>> from minitorch.distributions import Exponential, Normal, kl_divergence
    >>> round(kl_divergence(Exponential(1.0), Normal(0.0, 1.0)).item(), 4)
    0.9189
    >>> kl_divergence(Normal(0.0, 1.0), Exponential(1.0)).item()
    inf
"""
import math

from ..creation import full
from ..namespace import where, xlogy
from .bernoulli import Bernoulli
from .beta import Beta
from .binomial import Binomial
from .exponential import Exponential
from .gamma import Gamma
from .gumbel import EULER_GAMMA, Gumbel
from .kl import register_kl
from .laplace import Laplace
from .normal import Normal
from .pareto import Pareto
from .poisson import Poisson
from .uniform import Uniform

__all__ = []

def _mean_log(p):
    """``E_p[log x]`` for a p on the positive numbers."""
    if isinstance(p, Beta):
        return p.concentration1.digamma() - (p.concentration1 + p.concentration0).digamma()
    if isinstance(p, Gamma):
        return p.concentration.digamma() - p.rate.log()
    if isinstance(p, Exponential):
        return -EULER_GAMMA - p.rate.log()
    if isinstance(p, Pareto):
        return p.scale.log() + p.alpha.reciprocal()
    width = p.high - p.low  # Uniform: the mean of the antiderivative x log x - x over [low, high]
    return (xlogy(p.high, p.high) - xlogy(p.low, p.low)) / width - 1


def _mean_log1m(p):
    """``E_p[log(1 - x)]`` for a p on [0, 1]."""
    if isinstance(p, Beta):
        return p.concentration0.digamma() - (p.concentration1 + p.concentration0).digamma()
    width = p.high - p.low  # Uniform, by the substitution t = 1 - x
    return (xlogy(1 - p.low, 1 - p.low) - xlogy(1 - p.high, 1 - p.high)) / width - 1


def _mgf(p, t):
    """``E_p[e^(t x)]``, p's moment-generating function at ``t < 0`` (a tensor)."""
    if isinstance(p, Exponential):
        return p.rate / (p.rate - t)
    if isinstance(p, Gamma):
        return (1 - t / p.rate) ** -p.concentration
    if isinstance(p, Normal):
        return (t * p.loc + 0.5 * (t * p.scale) ** 2).exp()
    if isinstance(p, Gumbel):  # x = loc - scale log E, E ~ Exp(1): E[E^-(t scale)] = Gamma(1 - t scale)
        return (t * p.loc).exp() * (1 - t * p.scale).lgamma().exp()
    return ((t * p.high).exp() - (t * p.low).exp()) / (t * (p.high - p.low))  # Uniform


def _ce_normal(p, q):
    """``log(s sqrt(2 pi)) + (Var_p + (E_p x - mu)^2) / (2 s^2)``."""
    return (q.scale * math.sqrt(2 * math.pi)).log() + (p.variance + (p.mean - q.loc) ** 2) / (2 * q.scale ** 2)


def _ce_exponential(p, q):
    """``-log(rate) + rate E_p x``."""
    return -q.rate.log() + q.rate * p.mean


def _ce_gamma(p, q):
    """``lgamma(a) - a log(b) - (a - 1) E_p[log x] + b E_p x``."""
    a, b = q.concentration, q.rate
    return a.lgamma() - a * b.log() - (a - 1) * _mean_log(p) + b * p.mean


def _ce_beta(p, q):
    """``log B(a, b) - (a - 1) E_p[log x] - (b - 1) E_p[log(1 - x)]``."""
    a, b = q.concentration1, q.concentration0
    log_beta = a.lgamma() + b.lgamma() - (a + b).lgamma()
    return log_beta - (a - 1) * _mean_log(p) - (b - 1) * _mean_log1m(p)


def _ce_uniform(p, q):
    """``log(high - low)``."""
    return (q.high - q.low).log()


def _ce_laplace(p, q):
    """``log(2 s) + E_p|x - mu| / s`` for a normal p: ``E|x - mu| = sigma sqrt(2/pi) e^(-d^2/2sigma^2) +
    d erf(d / (sigma sqrt 2))``, ``d = loc_p - mu``."""
    d = p.loc - q.loc
    mean_abs = p.scale * math.sqrt(2 / math.pi) * (-0.5 * (d / p.scale) ** 2).exp() + \
        d * (d / (p.scale * math.sqrt(2))).erf()
    return (2 * q.scale).log() + mean_abs / q.scale


def _ce_gumbel(p, q):
    """``log scale - (loc - E_p x) / scale + e^(loc / scale) E_p[e^(-x / scale)]``: the Gumbel log-density is
    ``z - e^z - log scale`` with ``z = (loc - x) / scale``."""
    return q.scale.log() - (q.loc - p.mean) / q.scale + (q.loc / q.scale).exp() * _mgf(p, -q.scale.reciprocal())


def _ce_pareto(p, q):
    """``-log(alpha) - alpha log(scale) + (alpha + 1) E_p[log x]``."""
    return -q.alpha.log() - q.alpha * q.scale.log() + (q.alpha + 1) * _mean_log(p)


def _ce_poisson(p, q):
    """``rate - E_p[x] log(rate)`` for a Bernoulli p (``log x! = 0`` for x in {0, 1})."""
    return q.rate - p.probs * q.rate.log()


def _below_zero(p, q):
    """Where the uniform p reaches below 0, outside a q on the positive numbers."""
    return p.low < 0


def _below_scale(p, q):
    """Where p (uniform or Pareto) reaches below the Pareto q's scale, outside its support."""
    return (p.low if isinstance(p, Uniform) else p.scale) < q.scale


def _outside_unit_interval(p, q):
    """Where the uniform p leaves [0, 1], a beta q's support."""
    return (p.low < 0) | (p.high > 1)


def _unit_interval_outside(p, q):
    """Where the uniform q misses part of [0, 1], a beta p's support."""
    return (q.low > 0) | (q.high < 1)


def _register(pairs, cross_entropy, outside=None):
    """Register ``-H(p) + cross_entropy(p, q)`` (``+inf`` where ``outside(p, q)``) for each (P, Q) of ``pairs``."""
    def kl(p, q):
        result = -p.entropy() + cross_entropy(p, q)
        return result if outside is None else where(outside(p, q), math.inf, result)

    for type_p, type_q in pairs:
        register_kl(type_p, type_q)(kl)


def _infinite(p, q):
    """``+inf`` everywhere: q's support misses part of p's whatever the parameters."""
    like = p.mean
    return full(tuple(p.batch_shape), math.inf, dtype=like.dtype, device=like.device)


_register([(Beta, Normal), (Exponential, Normal), (Gamma, Normal), (Laplace, Normal), (Uniform, Normal), (Gumbel, Normal),
           (Pareto, Normal)], _ce_normal)
_register([(Beta, Exponential), (Gamma, Exponential), (Pareto, Exponential)], _ce_exponential)
_register([(Uniform, Exponential)], _ce_exponential, _below_zero)
_register([(Beta, Gamma), (Exponential, Gamma), (Pareto, Gamma)], _ce_gamma)
_register([(Exponential, Gumbel), (Gamma, Gumbel), (Normal, Gumbel), (Uniform, Gumbel), (Gumbel, Gumbel)], _ce_gumbel)
_register([(Uniform, Pareto), (Pareto, Pareto)], _ce_pareto, _below_scale)
_register([(Uniform, Gamma)], _ce_gamma, _below_zero)
_register([(Uniform, Beta)], _ce_beta, _outside_unit_interval)
_register([(Beta, Uniform)], _ce_uniform, _unit_interval_outside)
_register([(Normal, Laplace)], _ce_laplace)
_register([(Bernoulli, Poisson)], _ce_poisson)
for _pair in [(Exponential, Beta), (Exponential, Uniform), (Gamma, Beta), (Gamma, Uniform), (Laplace, Beta),
              (Laplace, Exponential), (Laplace, Gamma), (Laplace, Uniform), (Normal, Beta), (Normal, Exponential),
              (Normal, Gamma), (Normal, Uniform), (Poisson, Bernoulli), (Poisson, Binomial), (Beta, Pareto),
              (Exponential, Pareto), (Gamma, Pareto), (Laplace, Pareto), (Normal, Pareto), (Gumbel, Beta),
              (Gumbel, Exponential), (Gumbel, Gamma), (Gumbel, Pareto), (Gumbel, Uniform), (Pareto, Beta),
              (Pareto, Uniform)]:
    register_kl(*_pair)(_infinite)
