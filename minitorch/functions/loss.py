"""Binary cross-entropy on probabilities, as one op so that saturated inputs stay finite.

For a probability x in [0, 1] and a target t in [0, 1]:

    l = -(t log x + (1 - t) log(1 - x)),   each log clamped to >= -100 (as PyTorch does)
    dl/dx = (x - t) / (x (1 - x)),         the denominator kept >= 1e-12
    dl/dt = log(1 - x) - log x             (with the same clamps)

Why not compose Log and Clamp? A sigmoid in float32 rounds to exactly 1.0 for
inputs above about 17. At x = 1 the composed graph's backward meets 0 / 0 = nan
inside log(1 - x); this op's backward uses the formula above instead, whose
slope stays finite (+-1e12 at worst), as PyTorch's does.
"""
import numpy as np

from ..autograd.function import Op

LOG_FLOOR = -100.0
EPSILON = 1e-12


class BinaryCrossEntropy(Op):
    """l = -(t log x + (1 - t) log(1 - x)) elementwise; x and t have the same shape."""

    @staticmethod
    def forward(ctx, x, t):
        ### BEGIN SOLUTION 3.15: l = -(t log x + (1 - t) log(1 - x)) with each log clamped to >= LOG_FLOOR, no warning at log 0
        with np.errstate(divide="ignore"):
            log_x = np.maximum(np.log(x), LOG_FLOOR)
            log_1mx = np.maximum(np.log1p(-x), LOG_FLOOR)
        ctx.save_for_backward(x, t, log_x, log_1mx)
        return -(t * log_x + (1 - t) * log_1mx)
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 3.15: dL/dx and dL/dt (None unless needed), finite at x = 0 and x = 1 (denominator >= EPSILON)
        x, t, log_x, log_1mx = ctx.saved_arrays
        grad_x = grad_t = None
        if ctx.needs_input_grad[0]:
            grad_x = grad * (x - t) / np.maximum(x * (1 - x), EPSILON)
        if ctx.needs_input_grad[1]:
            grad_t = grad * (log_1mx - log_x)
        return grad_x, grad_t
        ### END SOLUTION
