"""Implicit reparameterization: the derivative of a gamma draw with respect to its concentration.

A draw ``x`` of Gamma(a, 1) is ``F^-1(u; a)`` for a uniform ``u``, where ``F(x; a) = P(a, x)`` is the gamma CDF
(the regularized lower incomplete gamma function). Holding ``u`` fixed, ``F(x(a); a) = u``, so

    dx/da = -(dP/da)(a, x) / p(x; a)

with ``p`` the gamma density (Figurnov, Mohamed and Mnih, 2018, "Implicit reparameterization gradients").
The sampler itself (Marsaglia and Tsang's rejection method) need not be invertible: only ``x`` and ``a``
enter the derivative. This is how PyTorch differentiates ``Gamma.rsample`` (and so Chi2, Beta, Dirichlet
and StudentT, which are made from gamma draws).

The series ``P(a, x) = sum_n x^(a+n) e^-x / Gamma(a + n + 1)`` converges for every ``x > 0``;
differentiating it term by term and dividing by ``p(x; a) = x^(a-1) e^-x / Gamma(a)`` (``e^-x`` cancels):

    dx/da = -sum_n exp(s_n) (log x - digamma(a + n + 1)),   s_n = (n + 1) log x + lgamma(a) - lgamma(a + n + 1)

Consecutive terms differ by ``s_(n+1) - s_n = log x - log(a + n + 1)``, so they peak at ``n0 ~ x - a - 1``
and fall off on both sides like a Gaussian of width ``sqrt(x)``. The sum starts at the peak (no term
underflows, whatever ``x``) and walks outward in both directions, with ``digamma`` by its recurrence
``digamma(z + 1) = digamma(z) + 1/z``, until every element's terms are below float64 rounding:
about ``20 sqrt(x)`` steps, exact to rounding (PyTorch uses fitted approximations instead).

The same walk sums ``P(a, x) = p(x; a) sum_n exp(s_n)`` itself, so ``GammaCdf`` (``Gamma.cdf``) is an op with
both derivatives: ``dP/dx = p(x; a)`` and ``dP/da = -p(x; a) dx/da``.

    >>> import numpy as np
    >>> from minitorch.distributions.implicit import standard_gamma_grad
    >>> round(float(standard_gamma_grad(np.array([1.0]), np.array([1.0]))[0]), 6)  # d/da F^-1(1 - 1/e; a) at a = 1
    1.173563
"""
import numpy as np

from ..autograd.function import Op
from ..device import array_module
from ..functions._util import unbroadcast
from ..functions.gamma import lgamma, polygamma

__all__ = ["GammaCdf", "StandardGamma", "gamma_cdf", "standard_gamma_grad"]

#: A term is negligible once ``exp(s_n - s_n0)`` is below this (float64 rounding, with a margin).
_NEGLIGIBLE = np.log(1e-18)


def _walk(log_x, a, n, psi, step):
    """The sums of ``exp(s_k - s_n)`` and of ``exp(s_k - s_n) (log x - digamma(a + k + 1))`` for k = n + step,
    n + 2 step, ... (step +1 or -1, down to k = 0), each element until its terms are negligible; ``psi`` is
    ``digamma(a + n + 1)``."""
    xp = array_module(a)
    total, weighted, relative = xp.zeros_like(a), xp.zeros_like(a), xp.zeros_like(a)
    active = n >= 0 if step > 0 else n > 0
    while bool(xp.any(active)):
        if step > 0:
            relative = relative + log_x - np.log(a + n + 1)
            psi = psi + 1 / (a + n + 1)
        else:
            relative = relative - log_x + np.log(a + n)
            psi = psi - 1 / (a + n)
        n = n + step
        term = np.exp(relative)
        total = xp.where(active, total + term, total)
        weighted = xp.where(active, weighted + term * (log_x - psi), weighted)
        active = active & (relative > _NEGLIGIBLE) & (n > 0 if step < 0 else True)
    return total, weighted


def _series(a, x):
    """For float64 arrays ``a, x > 0``: ``log p(x; a) + s_n0``, ``sum_n exp(s_n - s_n0)`` and ``sum_n exp(s_n - s_n0)
    (log x - digamma(a + n + 1))`` (so that ``P(a, x) = p exp(s_n0) * the first sum``, see the module docstring)."""
    log_x = np.log(x)
    n0 = np.floor(np.maximum(x - a - 1, 0.0))  # the largest term, or near it
    s0 = (n0 + 1) * log_x + lgamma(a) - lgamma(a + n0 + 1)
    psi0 = polygamma(0, a + n0 + 1)
    (up, up_weighted), (down, down_weighted) = (_walk(log_x, a, n0, psi0, step) for step in (+1, -1))
    log_density = (a - 1) * log_x - x - lgamma(a)
    return log_density + s0, 1 + up + down, (log_x - psi0) + up_weighted + down_weighted, s0


def _float64(a, x):
    """``a`` and ``x`` broadcast, in float64, with 1 where they leave the domain ``a > 0, x > 0`` (and that mask)."""
    xp = array_module(x)
    a, x = (v.astype(np.float64) for v in xp.broadcast_arrays(a, x))
    valid = (a > 0) & (x > 0)
    return xp.where(valid, a, 1.0), xp.where(valid, x, 1.0), valid


def standard_gamma_grad(a, x):
    """``dx/da`` for draws ``x`` of Gamma(a, 1) at fixed CDF value (arrays of one shape), computed in float64
    and returned in ``x``'s dtype; NaN where ``a <= 0`` or ``x <= 0``."""
    xp = array_module(x)
    dtype = x.dtype
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        a, x, valid = _float64(a, x)
        _, _, weighted, s0 = _series(a, x)
        grad = -np.exp(s0) * weighted
    return xp.where(valid, grad, xp.nan).astype(dtype)


def gamma_cdf(a, x):
    """``(P(a, x), p(x; a), dP/da)``: the gamma CDF (the regularized lower incomplete gamma function), its
    derivative in ``x`` (the density) and in ``a``, in float64; P = 0 for x <= 0, NaN where a <= 0."""
    xp = array_module(x)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        a_raw, x_raw = (v.astype(np.float64) for v in xp.broadcast_arrays(a, x))
        a, x, valid = _float64(a_raw, x_raw)
        log_scale, total, weighted, s0 = _series(a, x)
        cdf = np.minimum(np.exp(log_scale + np.log(total)), 1.0)
        density = np.exp(log_scale - s0)
        grad_a = np.exp(log_scale) * weighted  # -p dx/da
        below = (x_raw <= 0) & (a_raw > 0)
        zero_density = xp.where(a_raw < 1, xp.inf, xp.where(a_raw == 1, 1.0, 0.0))  # p(0; a); 0 below 0
        cdf = xp.where(valid, cdf, xp.where(below, 0.0, xp.nan))
        density = xp.where(valid, density, xp.where(below, xp.where(x_raw == 0, zero_density, 0.0), xp.nan))
        grad_a = xp.where(valid, grad_a, xp.where(below, 0.0, xp.nan))
    return cdf, density, grad_a


class StandardGamma(Op):
    """y = x, a draw of Gamma(a, 1) made without gradient;  dy/da = -(dP/da)(a, x) / p(x; a) (the implicit
    reparameterization gradient, ``standard_gamma_grad``). ``x`` gets no gradient: it is noise."""

    op_name = "_standard_gamma"

    @staticmethod
    def forward(ctx, a, x):
        ctx.save_for_backward(a, x)
        return x.copy()

    @staticmethod
    def backward(ctx, grad):
        a, x = ctx.saved_arrays
        return unbroadcast(grad * standard_gamma_grad(a, x), a.shape), None


class GammaCdf(Op):
    """P = P(a, x), the regularized lower incomplete gamma function (the CDF of Gamma(a, 1));
    dP/dx = p(x; a) = x^(a-1) e^-x / Gamma(a), dP/da = sum_n x^(a+n) e^-x / Gamma(a + n + 1) (log x - digamma(a + n + 1))
    (the series term by term: ``gamma_cdf``). PyTorch's ``gammainc`` has no derivative in ``a``."""

    op_name = "gammainc"

    @staticmethod
    def forward(ctx, a, x):
        cdf, ctx.density, ctx.grad_a = gamma_cdf(a, x)
        ctx.shapes = np.shape(a), np.shape(x)
        return cdf.astype(np.result_type(a, x))

    @staticmethod
    def backward(ctx, grad):
        return (unbroadcast(grad * ctx.grad_a, ctx.shapes[0]).astype(grad.dtype),
                unbroadcast(grad * ctx.density, ctx.shapes[1]).astype(grad.dtype))
