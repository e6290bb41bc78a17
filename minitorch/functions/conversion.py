"""Copies: ``clone`` and dtype casts (``to(float64)``, ``.double()``), both differentiable."""
from ..autograd.function import Function


class Clone(Function):
    """y = a copy of x;  dL/dx = dL/dy."""

    @staticmethod
    def forward(ctx, x):
        return x.copy()

    @staticmethod
    def backward(ctx, grad):
        return grad


class Cast(Function):
    """y = x converted to ``dtype``;  dL/dx = dL/dy converted back to x's dtype."""

    @staticmethod
    def forward(ctx, x, dtype):
        ctx.in_dtype = x.dtype
        return x.astype(dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad.astype(ctx.in_dtype), None
