"""Activations that need an op of their own for stability: softplus (and through it
logsigmoid and mish) and the exponential-linear family elu, selu, celu.

Composed from Exp and Log, both would overflow: log(1 + e^x) is inf for x > 709 in float64
(x > 88 in float32), and the unused branch e^x of ``where(x > 0, x, e^x - 1)`` sends
0 * inf = nan into the gradient. The ops below evaluate only finite forms. The other
activations (leaky_relu, silu, hardtanh, ...) are compositions in ``nn/functional/activation.py``.
"""
import numpy as np

from ..autograd.function import Op


class Softplus(Op):
    """y = log(1 + e^(b x)) / b, y = x where b x > threshold;  dy/dx = sigmoid(b x) (1 there).

    Computed as (max(z, 0) + log1p(e^-|z|)) / b with z = b x, finite for any x; the slope
    sigmoid(z) is e^(z - softplus(z)), whose exponent is never positive.
    """

    @staticmethod
    def forward(ctx, x, beta, threshold):
        ### BEGIN SOLUTION 3.23: return softplus(x) (beta, threshold), finite for every x; save what backward needs
        z = x * beta
        softplus_z = np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))
        linear = z > threshold
        ctx.save_for_backward(linear, np.exp(z - softplus_z))
        return np.where(linear, x, softplus_z / beta).astype(x.dtype, copy=False)
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 3.23: return (dL/dx, None, None)
        linear, slope = ctx.saved_arrays
        return np.where(linear, grad, grad * slope), None, None
        ### END SOLUTION


class ELU(Op):
    """y = s x for x > 0, else s a (e^(k x) - 1);  dy/dx = s for x > 0, else s a k e^(k x).

    s = ``scale``, a = ``alpha``, k = ``input_scale``: elu is (a, 1, 1), celu (a, 1, 1/a), selu
    (1.6733, 1.0507, 1). expm1 sees min(x, 0) only: it never overflows, and is exact near 0.
    """

    @staticmethod
    def forward(ctx, x, alpha, scale, input_scale):
        ### BEGIN SOLUTION 3.23: return elu(x) (alpha, scale, input_scale), finite for every x; save what backward needs
        positive = x > 0
        scaled = np.minimum(x, 0) * input_scale
        ctx.save_for_backward(positive, np.exp(scaled))
        ctx.constants = alpha, scale, input_scale
        return np.where(positive, scale * x, (scale * alpha) * np.expm1(scaled)).astype(x.dtype, copy=False)
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 3.23: return (dL/dx, None, None, None)
        positive, exp_neg = ctx.saved_arrays
        alpha, scale, input_scale = ctx.constants
        return np.where(positive, grad * scale, grad * (scale * alpha * input_scale) * exp_neg), None, None, None
        ### END SOLUTION
