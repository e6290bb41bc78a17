"""Binary arithmetic with broadcasting: ``+ - * / **`` and negation.

Each backward multiplies the incoming gradient by the local derivative, then
``unbroadcast`` sums it back to the input's shape (see ``_util.unbroadcast``).
Either operand may be a plain Python number; it then gets no gradient.
"""
import numpy as np

from ..autograd.function import Op
from ._util import broadcast_shapes, unbroadcast


def _shape(x):
    """The shape of an array (numpy or cupy), or () for a Python number.

    (An attribute lookup: ``np.shape`` does the same through numpy's dispatch,
    which costs more than a whole small addition.)"""
    return getattr(x, "shape", ())


def _if_needed(ctx, x, i):
    """``x`` to save for backward if the gradient of input ``i`` needs its values, else a stand-in of
    its shape (a zero-strided array): an input that only another one's gradient reads is not kept,
    so it may change in place before backward (``h.copy_(h * 3)``), as in PyTorch."""
    if i < len(ctx.needs_input_grad) and ctx.needs_input_grad[i] or not hasattr(x, "shape"):
        return x
    return np.broadcast_to(x.dtype.type(0), x.shape)


def _check_broadcast(op, a, b):
    shape_a, shape_b = _shape(a), _shape(b)
    if shape_a != shape_b:
        broadcast_shapes(op, shape_a, shape_b)
    return shape_a, shape_b


class Add(Op):
    """z = a + b;  dz/da = 1, dz/db = 1."""

    @staticmethod
    def forward(ctx, a, b):
        ### BEGIN SOLUTION 2.2: return z = a + b, keeping what backward needs (shapes that do not broadcast are a ShapeError naming add)
        ctx.shapes = _check_broadcast("add", a, b)
        return a + b
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 2.2: return dL/da, dL/db, each in its input's shape
        shape_a, shape_b = ctx.shapes
        return unbroadcast(grad, shape_a), unbroadcast(grad, shape_b)
        ### END SOLUTION


class Sub(Op):
    """z = a - b;  dz/da = 1, dz/db = -1."""

    @staticmethod
    def forward(ctx, a, b):
        ### BEGIN SOLUTION 2.2: return z = a - b, keeping what backward needs (shapes that do not broadcast are a ShapeError naming sub)
        ctx.shapes = _check_broadcast("sub", a, b)
        return a - b
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 2.2: return dL/da, dL/db (None where not needed), each in its input's shape
        shape_a, shape_b = ctx.shapes
        grad_b = unbroadcast(-grad, shape_b) if ctx.needs_input_grad[1] else None
        return unbroadcast(grad, shape_a), grad_b
        ### END SOLUTION


class Mul(Op):
    """z = a * b;  dz/da = b, dz/db = a."""

    @staticmethod
    def forward(ctx, a, b):
        ### BEGIN SOLUTION 2.2: return z = a * b, saving only what the needed gradients read (_if_needed); shapes checked as in add
        _check_broadcast("mul", a, b)
        ctx.save_for_backward(_if_needed(ctx, a, 1), _if_needed(ctx, b, 0))
        return a * b
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 2.2: return dL/da, dL/db (None where not needed), each in its input's shape
        a, b = ctx.saved_arrays
        grad_a = unbroadcast(grad * b, _shape(a)) if ctx.needs_input_grad[0] else None
        grad_b = unbroadcast(grad * a, _shape(b)) if ctx.needs_input_grad[1] else None
        return grad_a, grad_b
        ### END SOLUTION


class Div(Op):
    """z = a / b;  dz/da = 1/b, dz/db = -a/b^2."""

    @staticmethod
    def forward(ctx, a, b):
        ### BEGIN SOLUTION 2.3: return z = a / b, saving what backward needs (a only if b's gradient is needed); shapes checked as in add
        _check_broadcast("div", a, b)
        ctx.save_for_backward(_if_needed(ctx, a, 1), b)
        return a / b
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 2.3: return dL/da, dL/db (None where not needed), each in its input's shape
        a, b = ctx.saved_arrays
        grad_a = unbroadcast(grad / b, _shape(a)) if ctx.needs_input_grad[0] else None
        grad_b = unbroadcast(-grad * a / (b * b), _shape(b)) if ctx.needs_input_grad[1] else None
        return grad_a, grad_b
        ### END SOLUTION


def _integer_power(a, b):
    """a ** b on integers, as PyTorch: a negative exponent in a tensor gives 1 / a^|b| rounded
    towards zero (+-1 for a = +-1, else 0; numpy raises), a negative Python number is an error."""
    ### BEGIN SOLUTION 2.3: return a ** b for integers as PyTorch (a negative Python exponent is a RuntimeError; in a tensor it rounds 1/a^|b| towards zero)
    if isinstance(b, int):
        if b < 0:
            raise RuntimeError(f"pow: integers to negative integer powers are not allowed, got exponent {b}. Use a float base.")
        return a**b
    magnitude = a ** np.abs(b)
    return np.where((b >= 0) | (a == 1) | (a == -1), magnitude, 0)
    ### END SOLUTION


class Pow(Op):
    """z = a ** b;  dz/da = b * a^(b-1) (0 where b = 0), dz/db = a^b * ln(a) (0 where a = 0 and b >= 0).

    The two masks are PyTorch's: x ** 0 is the constant 1 (slope 0 even at x = 0, where
    0 * 0^-1 would give nan), and 0 ** y is the constant 0 for y > 0 (1 at y = 0). Elsewhere
    the formulas stand as they are: 0 ** y for y < 0 has slope -inf in y, and a negative
    base has no real logarithm, so d/dy (-2) ** y is nan.
    """

    @staticmethod
    def forward(ctx, a, b):
        ### BEGIN SOLUTION 2.3: return z = a ** b for float, integer (_integer_power) and bool operands, saving what backward needs; shapes checked as in add
        _check_broadcast("pow", a, b)
        kind = getattr(a, "dtype", getattr(b, "dtype", None)).kind
        if kind == "b":  # a bool tensor ** a bool number, as PyTorch: x ** True is x, x ** False is True
            out = a | ~np.asarray(b)
        else:
            out = _integer_power(a, b) if kind in "iu" else a**b
        ctx.save_for_backward(a, b, out)
        return out
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 2.3: return dL/da, dL/db (None where not needed) with PyTorch's values at b = 0 and a = 0, in the inputs' shapes, without warnings
        a, b, out = ctx.saved_arrays
        grad_a = grad_b = None
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if ctx.needs_input_grad[0]:
                grad_a = unbroadcast(np.where(b == 0, 0, grad * b * a ** (b - 1)), _shape(a))
            if ctx.needs_input_grad[1]:
                # a Python number's log as a Python float (a numpy scalar would make float32 grads float64)
                log_a = float(np.log(np.float64(a))) if isinstance(a, (int, float)) else np.log(a)
                grad_b = unbroadcast(np.where((a == 0) & (b >= 0), 0, grad * out * log_a), _shape(b))
        return grad_a, grad_b
        ### END SOLUTION


class Neg(Op):
    """z = -a;  dz/da = -1."""

    @staticmethod
    def forward(ctx, a):
        ### BEGIN SOLUTION 2.2: return z = -a
        return -a
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 2.2: return dL/da
        return -grad
        ### END SOLUTION
