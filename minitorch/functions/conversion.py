"""Copies: ``clone``, dtype casts (``.double()``) and device moves (``.cuda()``), all differentiable."""
from ..autograd.function import Op
from ..device import move


class Clone(Op):
    """y = a copy of x;  dL/dx = dL/dy."""

    @staticmethod
    def forward(ctx, x):
        return x.copy()

    @staticmethod
    def backward(ctx, grad):
        return grad


class Cast(Op):
    """y = x converted to ``dtype``;  dL/dx = dL/dy converted back to x's dtype."""

    @staticmethod
    def forward(ctx, x, dtype):
        ctx.in_dtype = x.dtype
        return x.astype(dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad.astype(ctx.in_dtype), None


class ToDevice(Op):
    """y = x copied to ``device``;  dL/dx = dL/dy copied back to x's device."""

    @staticmethod
    def forward(ctx, x, device):
        ctx.out_device = device
        return move(x, device)

    @staticmethod
    def backward(ctx, grad):
        return move(grad, ctx.device), None
