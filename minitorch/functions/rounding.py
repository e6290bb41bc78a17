"""Step functions and rounded division: floor, ceil, trunc, round, sign, heaviside, fmod, remainder, //.

A step function is flat between its jumps, so its derivative is 0 wherever it exists; PyTorch
returns 0 at the jumps too, and so do these ops (``Step``). The remainders are saw-tooth
functions: slope 1 in the dividend, and -q in the divisor, where q is the rounded quotient.

Integer division follows PyTorch: ``remainder`` and ``//`` round the quotient down (Python's
rule: ``-7 // 2 == -4``, ``-7 % 2 == 1``), ``fmod`` and ``div(rounding_mode='trunc')`` round it
towards zero (C's rule: ``fmod(-7, 2) == -1``), and dividing an integer by 0 is an error.
"""
import numpy as np

from .. import device_checks
from ..autograd.function import Op
from ._util import unbroadcast
from .arithmetic import _check_broadcast, _shape


class Step(Op):
    """Base of the step functions: y = ufunc(x), dy/dx = 0 (also at the jumps, as in PyTorch)."""

    ufunc = None  # the numpy ufunc that computes it

    @staticmethod
    def forward(ctx, x):
        return type(ctx).ufunc(x)

    @staticmethod
    def backward(ctx, grad):
        return np.zeros_like(grad)


class Floor(Step):
    """y = floor x, the largest integer <= x;  dy/dx = 0."""

    ufunc = np.floor


class Ceil(Step):
    """y = ceil x, the smallest integer >= x;  dy/dx = 0."""

    ufunc = np.ceil


class Trunc(Step):
    """y = trunc x, x rounded towards zero;  dy/dx = 0."""

    ufunc = np.trunc


def _sign(x):
    """-1, 0 or 1 by the sign of x, and 0 for NaN, as PyTorch (numpy's sign keeps NaN)."""
    return np.where(np.isnan(x), 0, np.sign(x)) if x.dtype.kind == "f" else np.sign(x)


class Sign(Step):
    """y = sign x (-1, 0 or 1; 0 for NaN);  dy/dx = 0."""

    ufunc = _sign


class Round(Op):
    """y = x rounded to ``decimals`` decimal places, halves to even;  dy/dx = 0.

    As PyTorch: round(x * 10^d) / 10^d for d > 0, round(x / 10^-d) * 10^-d for d < 0, in x's dtype.
    """

    @staticmethod
    def forward(ctx, x, decimals):
        if decimals == 0:
            return np.round(x)
        scale = 10.0 ** abs(decimals)
        return np.round(x * scale) / scale if decimals > 0 else np.round(x / scale) * scale

    @staticmethod
    def backward(ctx, grad):
        return np.zeros_like(grad), None


class Heaviside(Op):
    """y = 0 for x < 0, ``values`` for x = 0, 1 for x > 0 (no gradient, as in PyTorch)."""

    differentiable = False

    @staticmethod
    def forward(ctx, x, values):
        _check_broadcast("heaviside", x, values)
        return np.where(x == 0, values, x > 0).astype(x.dtype, copy=False)


def _check_integer_divisor(op, a, b):
    """Integer division by zero has no value: PyTorch raises (numpy would give 0 and a warning);
    on a GPU the check is deferred (``device_checks``) and the quotient meanwhile meaningless."""
    dtype = a.dtype if hasattr(a, "dtype") else b.dtype
    if dtype.kind != "f":
        device_checks.fail_if(np.equal(b, 0), RuntimeError, lambda: (
            f"{op}: integer division by zero (ZeroDivisionError). Divide floats to get inf or nan."))


class Fmod(Op):
    """z = a - b trunc(a / b), the remainder with a's sign (C's fmod);  dz/da = 1, dz/db = -trunc(a / b)."""

    @staticmethod
    def forward(ctx, a, b):
        _check_broadcast("fmod", a, b)
        _check_integer_divisor("fmod", a, b)
        ctx.save_for_backward(a, b)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.fmod(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_arrays
        grad_a = unbroadcast(grad, _shape(a)) if ctx.needs_input_grad[0] else None
        grad_b = unbroadcast(-grad * np.trunc(a / b), _shape(b)) if ctx.needs_input_grad[1] else None
        return grad_a, grad_b


class Remainder(Op):
    """z = a - b floor(a / b), the remainder with b's sign (Python's %);  dz/da = 1, dz/db = -floor(a / b)."""

    @staticmethod
    def forward(ctx, a, b):
        _check_broadcast("remainder", a, b)
        _check_integer_divisor("remainder", a, b)
        ctx.save_for_backward(a, b)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.remainder(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_arrays
        grad_a = unbroadcast(grad, _shape(a)) if ctx.needs_input_grad[0] else None
        grad_b = unbroadcast(-grad * np.floor_divide(a, b), _shape(b)) if ctx.needs_input_grad[1] else None
        return grad_a, grad_b


class RoundedDivision(Op):
    """Base of the rounded quotients: a step function of a and b, so dz/da = dz/db = 0."""

    @staticmethod
    def backward(ctx, grad):
        return tuple(unbroadcast(np.zeros_like(grad), shape) for shape in ctx.shapes)


class FloorDivide(RoundedDivision):
    """z = floor(a / b) (``a // b``, ``div(rounding_mode='floor')``);  dz/da = dz/db = 0."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.shapes = _check_broadcast("floor_divide", a, b)
        _check_integer_divisor("floor_divide", a, b)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.floor_divide(a, b)


class TruncDivide(RoundedDivision):
    """z = trunc(a / b) (``div(rounding_mode='trunc')``, C's integer division);  dz/da = dz/db = 0."""

    op_name = "div"  # for error messages

    @staticmethod
    def forward(ctx, a, b):
        ctx.shapes = _check_broadcast("div", a, b)
        _check_integer_divisor("div", a, b)
        with np.errstate(invalid="ignore", divide="ignore"):
            if (a.dtype if hasattr(a, "dtype") else b.dtype).kind == "f":
                return np.trunc(a / b)
            return (a - np.fmod(a, b)) // b  # a multiple of b, divided exactly
