"""Binary arithmetic with broadcasting: ``+ - * / **`` and negation.

Each backward multiplies the incoming gradient by the local derivative, then
``unbroadcast`` sums it back to the input's shape (see ``_util.unbroadcast``).
Either operand may be a plain Python number; it then gets no gradient.
"""
import math

import numpy as np

from ..autograd.function import Op
from ._util import broadcast_shapes, unbroadcast


def _shape(x):
    """The shape of an array (numpy or cupy), or () for a Python number.

    (An attribute lookup: ``np.shape`` does the same through numpy's dispatch,
    which costs more than a whole small addition.)"""
    return getattr(x, "shape", ())


def _check_broadcast(op, a, b):
    shape_a, shape_b = _shape(a), _shape(b)
    if shape_a != shape_b:
        broadcast_shapes(op, shape_a, shape_b)
    return shape_a, shape_b


class Add(Op):
    """z = a + b;  dz/da = 1, dz/db = 1."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.shapes = _check_broadcast("add", a, b)
        return a + b

    @staticmethod
    def backward(ctx, grad):
        shape_a, shape_b = ctx.shapes
        return unbroadcast(grad, shape_a), unbroadcast(grad, shape_b)


class Sub(Op):
    """z = a - b;  dz/da = 1, dz/db = -1."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.shapes = _check_broadcast("sub", a, b)
        return a - b

    @staticmethod
    def backward(ctx, grad):
        shape_a, shape_b = ctx.shapes
        grad_b = unbroadcast(-grad, shape_b) if ctx.needs_input_grad[1] else None
        return unbroadcast(grad, shape_a), grad_b


class Mul(Op):
    """z = a * b;  dz/da = b, dz/db = a."""

    @staticmethod
    def forward(ctx, a, b):
        _check_broadcast("mul", a, b)
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_arrays
        ### BEGIN SOLUTION 2.2: grad_a, grad_b of z = a * b (None unless needed), unbroadcast to a's, b's shapes
        grad_a = unbroadcast(grad * b, _shape(a)) if ctx.needs_input_grad[0] else None
        grad_b = unbroadcast(grad * a, _shape(b)) if ctx.needs_input_grad[1] else None
        ### END SOLUTION
        return grad_a, grad_b


class Div(Op):
    """z = a / b;  dz/da = 1/b, dz/db = -a/b^2."""

    @staticmethod
    def forward(ctx, a, b):
        _check_broadcast("div", a, b)
        ctx.save_for_backward(a, b)
        return a / b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_arrays
        ### BEGIN SOLUTION 2.3: grad_a, grad_b of z = a / b (None unless needed), unbroadcast to a's, b's shapes
        grad_a = unbroadcast(grad / b, _shape(a)) if ctx.needs_input_grad[0] else None
        grad_b = unbroadcast(-grad * a / (b * b), _shape(b)) if ctx.needs_input_grad[1] else None
        ### END SOLUTION
        return grad_a, grad_b


class Pow(Op):
    """z = a ** b;  dz/da = b * a^(b-1), dz/db = a^b * ln(a)."""

    @staticmethod
    def forward(ctx, a, b):
        _check_broadcast("pow", a, b)
        out = a**b
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b, out = ctx.saved_arrays
        grad_a = unbroadcast(grad * b * a ** (b - 1), _shape(a)) if ctx.needs_input_grad[0] else None
        grad_b = None
        if ctx.needs_input_grad[1]:
            if isinstance(a, (int, float)):  # 2 ** x: a Python number (a host array would not mix with cupy)
                log_a = math.log(a) if a > 0 else 0.0
            else:
                with np.errstate(divide="ignore", invalid="ignore"):
                    log_a = np.where(a > 0, np.log(np.where(a > 0, a, 1)), 0)
            grad_b = unbroadcast(grad * out * log_a, _shape(b))
        return grad_a, grad_b


class Neg(Op):
    """z = -a;  dz/da = -1."""

    @staticmethod
    def forward(ctx, a):
        return -a

    @staticmethod
    def backward(ctx, grad):
        return -grad
