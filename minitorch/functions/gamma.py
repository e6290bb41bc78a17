"""The gamma family: lgamma = ln|Gamma(x)|, digamma = lgamma', polygamma(n, x) = the n-th derivative of
digamma. numpy has none of them, so they are written here, vectorised, for numpy and cupy alike.

The method is the textbook one. For large x each has an asymptotic (Stirling) series that is
accurate to float64 rounding once x >= 10; a smaller x is first moved up with the recurrence
Gamma(x + 1) = x Gamma(x) (so lgamma(x) = lgamma(x + k) - ln(x (x + 1) ... (x + k - 1)), and
digamma, polygamma gain a sum of 1 / (x + j)^(n + 1)); a negative x is reflected to 1 - x
with Gamma(x) Gamma(1 - x) = pi / sin(pi x) and its derivatives. Near lgamma's roots 1 and 2,
where the shift would cancel, lgamma is its Taylor series about 1 instead. Each is accurate to
about 1e-15 relative (absolute near digamma's root 1.4616...). The gradients chain down the
family: lgamma' = digamma, digamma' = polygamma(1, .), polygamma(n, .)' = polygamma(n + 1, .).
"""
import functools
import math

import numpy as np

from ..autograd.function import Op
from ..device import array_module
from ._util import unbroadcast

#: Shift x up to here before the asymptotic series (polygamma of order n: to _LARGE + n, where the
#: series' terms, growing with n, still fall to float64 rounding).
_LARGE = 10.0
#: Near its roots 1 and 2, lgamma is its Taylor series about 1 (this many terms, for |x - r| <= 1/2).
_ROOT_TERMS = 60
#: The Bernoulli numbers B_2, B_4, ..., B_16 of the Stirling series.
_BERNOULLI = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510)
_HALF_LN_2PI = 0.5 * math.log(2 * math.pi)


def _floating(x):
    """x as a float array: float32 stays float32 (computed in float64), anything else float64."""
    return x.astype(np.float64), (x.dtype if x.dtype in (np.float32, np.float64) else np.float64)


def sinpi(x):
    """sin(pi x), exactly 0 at the integers: sin(pi x) = (-1)^k sin(pi (x - k)) for the nearest
    integer k, so that pi multiplies only the remainder in [-1/2, 1/2]."""
    k = np.round(x)
    return (1 - 2 * np.mod(k, 2)) * np.sin(math.pi * (x - k))


def cospi(x):
    """cos(pi x), exact at the half-integers."""
    return sinpi(x + 0.5)


def _shift(x, large=_LARGE):
    """(x moved up to >= large by whole steps, the list of the values stepped over, as masks)."""
    xp = array_module(x)
    steps = []
    while True:
        below = x < large
        if not bool(xp.any(below)):
            return x, steps
        steps.append((x, below))
        x = xp.where(below, x + 1, x)


def _lgamma_positive(x):
    """ln Gamma(x) for x > 0: the shift, then Stirling's series."""
    xp = array_module(x)
    big, steps = _shift(x)
    product = xp.ones_like(x)
    for value, below in steps:
        product = xp.where(below, product * value, product)
    inverse, inverse2 = 1 / big, 1 / (big * big)
    series, power = 0.0, inverse
    for k, b in enumerate(_BERNOULLI, start=1):
        series = series + b / (2 * k * (2 * k - 1)) * power
        power = power * inverse2
    return (big - 0.5) * np.log(big) - big + _HALF_LN_2PI + series - np.log(product)


def lgamma(x):
    """ln |Gamma(x)|, elementwise; +inf at 0 and the negative integers."""
    xp = array_module(x)
    x, dtype = _floating(x)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        reflect = x < 0.5
        positive = _lgamma_positive(xp.where(reflect, 1 - x, x))
        reflected = math.log(math.pi) - np.log(np.abs(sinpi(x))) - positive
        y = xp.where(reflect, reflected, positive)
        y = xp.where(np.isinf(x), xp.inf, y)
        near_one, near_two = np.abs(x - 1) <= 0.5, np.abs(x - 2) < 0.5
        z = xp.where(near_one, x - 1, xp.where(near_two, x - 2, 0.0))
        series = _lgamma_near_one(z)
        y = xp.where(near_one, series, xp.where(near_two, series + np.log1p(z), y))
    return y.astype(dtype)


def _lgamma_near_one(z):
    """lgamma(1 + z) = sum_k psi^(k-1)(1) z^k / k!, by Horner's rule: exact where lgamma(1 + z) is
    tiny, where the shift's ln Gamma(x + k) - ln(x ... (x + k - 1)) would cancel."""
    y = 0.0
    for a in _taylor_about_one()[::-1]:
        y = (y + a) * z
    return y + 0.0  # (+0 rather than -0 at the roots, as PyTorch)


@functools.lru_cache(maxsize=1)
def _taylor_about_one():
    """The coefficients psi^(k-1)(1) / k! of lgamma(1 + z), k = 1 .. _ROOT_TERMS."""
    one = np.ones(1)
    return [float(polygamma(k - 1, one)[0]) / math.factorial(k) for k in range(1, _ROOT_TERMS + 1)]


def polygamma(n, x):
    """The n-th derivative of digamma (n >= 0; n = 0 is digamma), elementwise."""
    xp = array_module(x)
    x, dtype = _floating(x)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        reflect = x < 0
        y = _polygamma_positive(n, xp.where(reflect, 1 - x, x))
        if bool(xp.any(reflect)):
            # psi^(n)(1 - x) + (-1)^(n+1) psi^(n)(x) = (-1)^n pi d^n/dx^n cot(pi x)
            y = xp.where(reflect, (-1) ** (n + 1) * ((-1) ** n * _cot_derivative(n, x) - y), y)
        if n == 0:
            y = xp.where(x == 0, xp.where(np.signbit(x), xp.inf, -xp.inf), y)
            y = xp.where(x == xp.inf, xp.inf, y)
        else:
            y = xp.where(x == 0, xp.inf, y)
            y = xp.where(x == xp.inf, 0.0, y)
        y = xp.where(reflect & (x == np.round(x)), xp.nan if n == 0 else xp.inf, y)
    return y.astype(dtype)


def _polygamma_positive(n, x):
    """psi^(n)(x) for x > 0: the shift's sum, then the asymptotic series
    psi^(n)(x) ~ (-1)^(n+1) [(n-1)!/x^n + n!/(2x^(n+1)) + sum_k B_2k (2k+n-1)!/(2k)! / x^(2k+n)]
    (for n = 0: ln x - 1/(2x) - sum_k B_2k / (2k x^2k))."""
    xp = array_module(x)
    big, steps = _shift(x, _LARGE + n)
    stepped = xp.zeros_like(x)
    for value, below in steps:
        stepped = xp.where(below, stepped + value ** -(n + 1.0), stepped)
    inverse, inverse2 = 1 / big, 1 / (big * big)
    if n == 0:
        series, power = np.log(big) - 0.5 * inverse, inverse2
        for k, b in enumerate(_BERNOULLI, start=1):
            series = series - b / (2 * k) * power
            power = power * inverse2
        return series - stepped
    power = inverse ** n
    series = math.factorial(n - 1) * power + math.factorial(n) / 2 * power * inverse
    power = power * inverse2
    for k, b in enumerate(_BERNOULLI, start=1):
        series = series + b * math.factorial(2 * k + n - 1) / math.factorial(2 * k) * power
        power = power * inverse2
    return (-1) ** (n + 1) * (series + math.factorial(n) * stepped)


def _cot_derivative(n, x):
    """pi d^n/dx^n cot(pi x): cot's n-th derivative is a polynomial P_n in c = cot(pi x), with
    P_0 = c and P_(k+1) = -pi (1 + c^2) P_k'(c)."""
    coefficients = np.polynomial.Polynomial([0.0, 1.0])
    for _ in range(n):
        coefficients = -math.pi * np.polynomial.Polynomial([1.0, 0.0, 1.0]) * coefficients.deriv()
    c = cospi(x) / sinpi(x)
    y = 0.0
    for a in coefficients.coef[::-1]:  # Horner's rule, on numpy or cupy arrays alike
        y = y * c + a
    return math.pi * y


def zeta(s, q):
    """The Hurwitz zeta function zeta(s, q) = sum_(k >= 0) (q + k)^-s, elementwise, broadcast (s > 1;
    inf at s = 1 and at q = 0, -1, ...; NaN for s < 1, and for q < 0 unless s is an integer), as
    polygamma: the shift's sum up to q + N >= _LARGE + s, then Euler-Maclaurin's tail
    (q+N)^(1-s) / (s-1) + (q+N)^-s / 2 + sum_j B_2j / (2j)! s (s+1) ... (s+2j-2) (q+N)^(-s-2j+1).
    """
    xp = array_module(s)  # (s is an array: the op's input; q may be a number)
    s, q = xp.broadcast_arrays(*((v if hasattr(v, "dtype") else xp.asarray(v)).astype(np.float64) for v in (s, q)))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        big, steps = _shift(q, _LARGE + xp.maximum(s, 0))
        y = big ** (1 - s) / (s - 1) + big ** -s / 2
        rising, power = s, big ** (-s - 1)
        for j, b in enumerate(_BERNOULLI, start=1):
            y = y + b / math.factorial(2 * j) * rising * power
            rising, power = rising * (s + 2 * j - 1) * (s + 2 * j), power / (big * big)
        for value, below in steps:
            y = xp.where(below, y + value ** -s, y)
        y = xp.where((q <= 0) & (q == np.floor(q)), xp.inf, y)
        return xp.where(s == 1, xp.inf, xp.where(s < 1, xp.nan, y))


class Lgamma(Op):
    """y = ln |Gamma(x)|;  dy/dx = digamma(x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return lgamma(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_arrays
        return grad * polygamma(0, x)


class Zeta(Op):
    """z = zeta(s, q) = sum_k (q + k)^-s;  dz/dq = -s zeta(s + 1, q) (dz/ds is not implemented, as in
    PyTorch: it needs the sum of ln(q + k) (q + k)^-s)."""

    @staticmethod
    def forward(ctx, s, q):
        ctx.save_for_backward(s, q)
        return zeta(s, q).astype(np.result_type(s, q))

    @staticmethod
    def backward(ctx, grad):
        s, q = ctx.saved_arrays
        if ctx.needs_input_grad[0]:
            raise NotImplementedError("zeta: the derivative with respect to s (input) is not implemented, as in "
                                      "PyTorch; detach input, or differentiate with respect to q (other) only.")
        return None, unbroadcast(grad * -s * zeta(s + 1, q), np.shape(q)) if ctx.needs_input_grad[1] else None


class Polygamma(Op):
    """y = psi^(n)(x), the (n + 1)-th derivative of ln Gamma (n = 0: digamma);  dy/dx = psi^(n+1)(x)."""

    @staticmethod
    def forward(ctx, n, x):
        ctx.n = n
        ctx.save_for_backward(x)
        return polygamma(n, x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_arrays
        return None, grad * polygamma(ctx.n + 1, x)
