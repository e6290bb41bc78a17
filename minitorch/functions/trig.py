"""Trigonometric and hyperbolic functions, their inverses, atan2, hypot and sinc.

Each is y = f(x) elementwise with the backward dL/dx = dL/dy * f'(x) (``pointwise.py`` holds
sin and tanh). The inverses' derivatives are written with the input x, as PyTorch writes them,
so that they agree with PyTorch up to rounding even near the ends of the domain.
"""
import math

import numpy as np

from ..autograd.function import Op
from ._util import unbroadcast
from .arithmetic import _check_broadcast, _shape


class Cos(Op):
    """y = cos x;  dy/dx = -sin x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.cos(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_arrays
        return -grad * np.sin(x)


class Tan(Op):
    """y = tan x;  dy/dx = 1 + tan^2 x = 1 + y^2."""

    @staticmethod
    def forward(ctx, x):
        y = np.tan(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_arrays
        return grad * (1 + y * y)


class Asin(Op):
    """y = arcsin x;  dy/dx = 1 / sqrt(1 - x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.arcsin(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_arrays
        return grad / np.sqrt(1 - x * x)


class Acos(Op):
    """y = arccos x;  dy/dx = -1 / sqrt(1 - x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.arccos(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_arrays
        return -grad / np.sqrt(1 - x * x)


class Atan(Op):
    """y = arctan x;  dy/dx = 1 / (1 + x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.arctan(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_arrays
        return grad / (1 + x * x)


class Sinh(Op):
    """y = sinh x;  dy/dx = cosh x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.sinh(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_arrays
        return grad * np.cosh(x)


class Cosh(Op):
    """y = cosh x;  dy/dx = sinh x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.cosh(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_arrays
        return grad * np.sinh(x)


class Asinh(Op):
    """y = arsinh x;  dy/dx = 1 / sqrt(x^2 + 1)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.arcsinh(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_arrays
        return grad / np.sqrt(x * x + 1)


class Acosh(Op):
    """y = arcosh x (x >= 1);  dy/dx = 1 / sqrt(x^2 - 1)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.arccosh(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_arrays
        return grad / np.sqrt(x * x - 1)


class Atanh(Op):
    """y = artanh x (|x| < 1);  dy/dx = 1 / (1 - x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.arctanh(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_arrays
        return grad / (1 - x * x)


class Atan2(Op):
    """z = atan2(a, b), the angle of the point (b, a);  dz/da = b / (a^2 + b^2), dz/db = -a / (a^2 + b^2).

    At the origin, where the angle has no derivative, both gradients are 0, as in PyTorch.
    """

    @staticmethod
    def forward(ctx, a, b):
        _check_broadcast("atan2", a, b)
        ctx.save_for_backward(a, b)
        return np.arctan2(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_arrays
        r2 = a * a + b * b
        scale = np.where(r2 == 0, 0, grad / np.where(r2 == 0, 1, r2))
        grad_a = unbroadcast(scale * b, _shape(a)) if ctx.needs_input_grad[0] else None
        grad_b = unbroadcast(-scale * a, _shape(b)) if ctx.needs_input_grad[1] else None
        return grad_a, grad_b


class Hypot(Op):
    """z = sqrt(a^2 + b^2), without overflow for large a, b;  dz/da = a / z, dz/db = b / z."""

    @staticmethod
    def forward(ctx, a, b):
        _check_broadcast("hypot", a, b)
        z = np.hypot(a, b)
        ctx.save_for_backward(a, b, z)
        return z

    @staticmethod
    def backward(ctx, grad):
        a, b, z = ctx.saved_arrays
        grad_a = unbroadcast(grad * a / z, _shape(a)) if ctx.needs_input_grad[0] else None
        grad_b = unbroadcast(grad * b / z, _shape(b)) if ctx.needs_input_grad[1] else None
        return grad_a, grad_b


class Sinc(Op):
    """y = sin(pi x) / (pi x), 1 at x = 0;  dy/dx = (cos(pi x) - y) / x, 0 at x = 0."""

    @staticmethod
    def forward(ctx, x):
        y = np.sinc(x)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_arrays
        safe_x = np.where(x == 0, 1, x)
        return np.where(x == 0, 0, grad * (np.cos(math.pi * x) - y) / safe_x)
