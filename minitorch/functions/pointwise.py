"""Elementwise functions: exp, log, sqrt, rsqrt, reciprocal, sin, abs, tanh, sigmoid, relu, gelu,
clamp, nan_to_num, and the elementwise picks and blends of two tensors: maximum, minimum, fmax,
fmin, copysign, lerp.

For y = f(x) applied elementwise, the chain rule is dL/dx = dL/dy * f'(x):
each backward below is one line that multiplies the gradient by f'. (Trigonometry is in
``trig.py``, other exponentials and logarithms in ``explog.py``, step functions in ``rounding.py``.)
"""
import math

import numpy as np

from ..autograd.function import Op
from ._util import broadcast_shapes, masked, unbroadcast
from .arithmetic import _check_broadcast, _shape
from .special import erf


class Exp(Op):
    """y = e^x;  dy/dx = e^x = y."""

    @staticmethod
    def forward(ctx, x):
        ### BEGIN SOLUTION 2.3: return y = e^x, saving what backward needs
        y = np.exp(x)
        ctx.save_for_backward(y)
        return y
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 2.3: return dL/dx
        (y,) = ctx.saved_arrays
        return grad * y
        ### END SOLUTION


class Log(Op):
    """y = ln x;  dy/dx = 1/x."""

    @staticmethod
    def forward(ctx, x):
        ### BEGIN SOLUTION 2.3: return y = ln x, saving what backward needs
        ctx.save_for_backward(x)
        return np.log(x)
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 2.3: return dL/dx
        (x,) = ctx.saved_arrays
        return grad / x
        ### END SOLUTION


class Sqrt(Op):
    """y = sqrt(x);  dy/dx = 1 / (2 sqrt(x)) = 1 / (2y)."""

    @staticmethod
    def forward(ctx, x):
        y = np.sqrt(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_arrays
        return grad / (2 * y)


class Rsqrt(Op):
    """y = 1 / sqrt(x);  dy/dx = -1 / (2 x^(3/2)) = -y^3 / 2."""

    @staticmethod
    def forward(ctx, x):
        with np.errstate(divide="ignore"):
            y = 1 / np.sqrt(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_arrays
        return -0.5 * grad * y * y * y


class Reciprocal(Op):
    """y = 1 / x;  dy/dx = -1 / x^2 = -y^2."""

    @staticmethod
    def forward(ctx, x):
        with np.errstate(divide="ignore"):
            y = 1 / x
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_arrays
        return -grad * y * y


class Sin(Op):
    """y = sin x;  dy/dx = cos x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.sin(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_arrays
        return grad * np.cos(x)


class Abs(Op):
    """y = |x|;  dy/dx = sign(x) (0 at x = 0, as in PyTorch)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.abs(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_arrays
        return grad * np.sign(x)


class Tanh(Op):
    """y = tanh x;  dy/dx = 1 - tanh^2 x = 1 - y^2."""

    @staticmethod
    def forward(ctx, x):
        y = np.tanh(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_arrays
        return grad * (1 - y * y)


class Sigmoid(Op):
    """y = 1 / (1 + e^-x);  dy/dx = y (1 - y).

    Computed as e^-|x| based forms so that exp never overflows for large |x|:
    x >= 0: 1 / (1 + e^-x);  x < 0: e^x / (1 + e^x).
    """

    @staticmethod
    def forward(ctx, x):
        e = np.exp(-np.abs(x))
        y = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 3.2: return dL/dx from the saved output y = sigmoid(x)
        (y,) = ctx.saved_arrays
        return grad * y * (1 - y)
        ### END SOLUTION


class ReLU(Op):
    """y = max(x, 0);  dy/dx = 1 where x > 0, else 0."""

    @staticmethod
    def forward(ctx, x):
        ctx.mask = x > 0
        return np.maximum(x, 0)

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 3.1: return dL/dx: dL/dy where x > 0 (ctx.mask), else 0
        return masked(grad, ctx.mask)
        ### END SOLUTION


class GELU(Op):
    """y = x Phi(x), Phi the standard normal CDF;  dy/dx = Phi(x) + x phi(x).

    ``approximate="tanh"`` uses Phi(x) ~ (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) / 2,
    as PyTorch does with the same flag.
    """

    SQRT_2_OVER_PI = math.sqrt(2 / math.pi)

    @staticmethod
    def forward(ctx, x, approximate="none"):
        if approximate not in ("none", "tanh"):
            raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}.")
        ### BEGIN SOLUTION 3.21: return y = gelu(x), exact (erf) or approximate="tanh", saving what backward needs
        ctx.approximate_tanh = approximate == "tanh"
        if ctx.approximate_tanh:
            inner = GELU.SQRT_2_OVER_PI * (x + 0.044715 * x**3)
            t = np.tanh(inner)
            ctx.save_for_backward(x, t)
            return 0.5 * x * (1 + t)
        cdf = 0.5 * (1 + erf(x * (1 / math.sqrt(2))))
        ctx.save_for_backward(x, cdf)
        return x * cdf
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 3.21: return (dL/dx, None), differentiating the form forward used
        x, second = ctx.saved_arrays
        if ctx.approximate_tanh:
            t = second
            d_inner = GELU.SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x)
            return grad * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * d_inner), None
        pdf = np.exp(-0.5 * x * x) * (1 / math.sqrt(2 * math.pi))
        return grad * (second + x * pdf), None
        ### END SOLUTION


def check_bool_bounds(op, array, lo, hi):
    """Refuse, as PyTorch (which has no kernel for it), to clamp a bool array by a Python bool."""
    if array.dtype == np.bool_ and any(isinstance(b, bool) for b in (lo, hi)):
        raise NotImplementedError(f"{op}: a bool tensor cannot be clamped by a bool number (PyTorch has no "
                                  f"such kernel); convert it first, e.g. x.int().{op}(...).")


class Clamp(Op):
    """y = min(max(x, lo), hi);  dy/dx = 1 where lo <= x <= hi, dy/dlo = 1 where x < lo < hi,
    dy/dhi = 1 where x > hi or hi < lo, else 0 (lo > hi: y = hi everywhere), as PyTorch."""

    @staticmethod
    def forward(ctx, x, lo, hi):
        check_bool_bounds("clamp", x, lo, hi)
        inside = True  # bounds that are arrays may broadcast x to a larger shape
        if lo is not None:
            inside = inside & (x >= lo)
            ctx.to_lo = (x < lo) & (True if hi is None else lo < hi)
        if hi is not None:
            inside = inside & (x <= hi)
            ctx.to_hi = (x > hi) | (False if lo is None else hi < lo)
        ctx.inside, ctx.shapes = inside, [_shape(a) for a in (x, lo, hi)]
        return np.clip(x, lo, hi).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        needs, shapes = ctx.needs_input_grad, ctx.shapes
        return (unbroadcast(masked(grad, ctx.inside), shapes[0]) if needs[0] else None,
                unbroadcast(masked(grad, ctx.to_lo), shapes[1]) if needs[1] else None,
                unbroadcast(masked(grad, ctx.to_hi), shapes[2]) if needs[2] else None)


class NanToNum(Op):
    """y = x with NaN, +inf and -inf replaced by numbers (by default 0 and the dtype's largest and
    smallest finite values);  dy/dx = 1 where x is finite, else 0."""

    @staticmethod
    def forward(ctx, x, nan, posinf, neginf):
        ctx.finite = np.isfinite(x)
        return np.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.finite, None, None, None


def _split_ties(grad, a, b, a_loses, b_loses):
    """The gradients of a pick between a and b: none to the one not picked, half each at a tie."""
    shared = np.where(a == b, grad / 2, grad)
    return np.where(a_loses, 0, shared), np.where(b_loses, 0, shared)


def _pick_gradients(ctx, grad_a, grad_b):
    """The gradients of a and b (the first two saved arrays), unbroadcast, None where not needed."""
    a, b = ctx.saved_arrays[:2]
    return (unbroadcast(grad_a, _shape(a)) if ctx.needs_input_grad[0] else None,
            unbroadcast(grad_b, _shape(b)) if ctx.needs_input_grad[1] else None)


class Pick(Op):
    """Base of maximum, minimum, fmax and fmin: z = ufunc(a, b), which is a or b at each element."""

    ufunc = None  # the numpy ufunc that picks

    @staticmethod
    def forward(ctx, a, b):
        _check_broadcast(type(ctx).__name__.lower(), a, b)
        ctx.save_for_backward(a, b)
        return type(ctx).ufunc(a, b)


class Maximum(Pick):
    """z = max(a, b), NaN if either is;  dz/da = 1 where a > b, 1/2 where a = b, else 0 (and dz/db the other way)."""

    ufunc = np.maximum

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_arrays
        return _pick_gradients(ctx, *_split_ties(grad, a, b, a < b, a > b))


class Minimum(Pick):
    """z = min(a, b), NaN if either is;  dz/da = 1 where a < b, 1/2 where a = b, else 0 (and dz/db the other way)."""

    ufunc = np.minimum

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_arrays
        return _pick_gradients(ctx, *_split_ties(grad, a, b, a > b, a < b))


class Fmax(Pick):
    """z = max(a, b), ignoring a NaN;  dz/da = 1 where a >= b or b is NaN, else 0; dz/db = 1 - dz/da."""

    ufunc = np.fmax

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_arrays
        to_a = (a >= b) | np.isnan(b)
        return _pick_gradients(ctx, np.where(to_a, grad, 0), np.where(to_a, 0, grad))


class Fmin(Pick):
    """z = min(a, b), ignoring a NaN;  dz/da = 1 where a <= b or b is NaN, else 0; dz/db = 1 - dz/da."""

    ufunc = np.fmin

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_arrays
        to_a = (a <= b) | np.isnan(b)
        return _pick_gradients(ctx, np.where(to_a, grad, 0), np.where(to_a, 0, grad))


class NextAfter(Op):
    """z = the next floating-point value after a in the direction of b (a where a = b);  dz/da = 1,
    dz/db = 0 (PyTorch's: a step of one unit in the last place counts as no change)."""

    @staticmethod
    def forward(ctx, a, b):
        _check_broadcast("nextafter", a, b)
        ctx.shapes = _shape(a), _shape(b)
        return np.nextafter(a, b)

    @staticmethod
    def backward(ctx, grad):
        needs = ctx.needs_input_grad
        return (unbroadcast(grad, ctx.shapes[0]) if needs[0] else None,
                unbroadcast(grad * 0, ctx.shapes[1]) if needs[1] else None)


class CopySign(Op):
    """z = |a| with the sign of b;  dz/da = z / a (+-1; 0 at a = 0), dz/db = 0."""

    op_name = "copysign"  # for error messages

    @staticmethod
    def forward(ctx, a, b):
        _check_broadcast("copysign", a, b)
        z = np.copysign(a, b)
        ctx.save_for_backward(a, b, z)
        return z

    @staticmethod
    def backward(ctx, grad):
        a, b, z = ctx.saved_arrays
        grad_a = np.where(a == 0, 0, grad * z / np.where(a == 0, 1, a))
        return _pick_gradients(ctx, grad_a, np.zeros_like(grad))


class Lerp(Op):
    """z = a + w (b - a), linear interpolation from a to b;  dz/da = 1 - w, dz/db = w, dz/dw = b - a.

    Computed as b - (b - a)(1 - w) for |w| >= 1/2, as PyTorch does, so that w = 1 gives b exactly.
    """

    @staticmethod
    def forward(ctx, a, b, w):
        broadcast_shapes("lerp", _shape(a), _shape(b), _shape(w))
        ctx.save_for_backward(a, b, w)
        diff = b - a
        return np.where(abs(w) < 0.5, a + w * diff, b - diff * (1 - w))

    @staticmethod
    def backward(ctx, grad):
        a, b, w = ctx.saved_arrays
        needs = ctx.needs_input_grad
        return (unbroadcast(grad * (1 - w), _shape(a)) if needs[0] else None,
                unbroadcast(grad * w, _shape(b)) if needs[1] else None,
                unbroadcast(grad * (b - a), _shape(w)) if needs[2] else None)
