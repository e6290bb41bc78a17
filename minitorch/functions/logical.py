"""Comparisons, logic, tests of values and arg-reductions: the ops that no gradient flows through.

Each is an ``Op`` with ``differentiable = False``: ``apply`` never records it in the
graph, and its result never requires grad (the result is bool or int64, and a step function
has derivative zero wherever it has one). They still go through ``apply`` so that device
checks and the CUDA path are the same as for every other op.
"""
import numpy as np

from ..autograd.function import Op
from ._util import broadcast_shapes


class Comparison(Op):
    """Base of the elementwise comparisons: ``a <op> b`` broadcast, a bool result."""

    differentiable = False
    ufunc = None  # the numpy ufunc that compares

    @staticmethod
    def forward(ctx, a, b):
        broadcast_shapes(type(ctx).__name__.lower(), np.shape(a), np.shape(b))
        return type(ctx).ufunc(a, b)


class Eq(Comparison):
    """a == b, elementwise."""

    ufunc = np.equal


class Ne(Comparison):
    """a != b, elementwise."""

    ufunc = np.not_equal


class Lt(Comparison):
    """a < b, elementwise."""

    ufunc = np.less


class Le(Comparison):
    """a <= b, elementwise."""

    ufunc = np.less_equal


class Gt(Comparison):
    """a > b, elementwise."""

    ufunc = np.greater


class Ge(Comparison):
    """a >= b, elementwise."""

    ufunc = np.greater_equal


class LogicalAnd(Comparison):
    """a and b, elementwise (nonzero counts as True)."""

    ufunc = np.logical_and


class LogicalOr(Comparison):
    """a or b, elementwise (nonzero counts as True)."""

    ufunc = np.logical_or


class LogicalXor(Comparison):
    """a xor b, elementwise (nonzero counts as True)."""

    ufunc = np.logical_xor


class LogicalNot(Op):
    """not x, elementwise."""

    differentiable = False

    @staticmethod
    def forward(ctx, x):
        return np.logical_not(x)


class IsNan(Op):
    """x != x: True where x is NaN."""

    differentiable = False

    @staticmethod
    def forward(ctx, x):
        return np.isnan(x)


class IsFinite(Op):
    """True where x is neither NaN nor +-inf."""

    differentiable = False

    @staticmethod
    def forward(ctx, x):
        return np.isfinite(x)


class IsInf(Op):
    """True where x is +inf or -inf."""

    differentiable = False

    @staticmethod
    def forward(ctx, x):
        return np.isinf(x)


class IsPosInf(Op):
    """True where x is +inf."""

    differentiable = False

    @staticmethod
    def forward(ctx, x):
        return np.isposinf(x)


class IsNegInf(Op):
    """True where x is -inf."""

    differentiable = False

    @staticmethod
    def forward(ctx, x):
        return np.isneginf(x)


class IsReal(Op):
    """True where x has no imaginary part: everywhere, as minitorch's tensors are real."""

    differentiable = False

    @staticmethod
    def forward(ctx, x):
        return np.ones_like(x, dtype=bool)


class SignBit(Op):
    """True where x's sign bit is set: x < 0, and also -0.0 and NaNs with the sign bit."""

    differentiable = False

    @staticmethod
    def forward(ctx, x):
        return np.signbit(x)


class IsClose(Op):
    """|a - b| <= atol + rtol * |b|, elementwise (NaNs equal only with ``equal_nan``)."""

    op_name = "isclose"  # for error messages

    differentiable = False

    @staticmethod
    def forward(ctx, a, b, rtol, atol, equal_nan):
        broadcast_shapes("isclose", np.shape(a), np.shape(b))
        return np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)


class All(Op):
    """True if every element over ``axes`` is nonzero (bool; uint8 for uint8 input, as in PyTorch)."""

    differentiable = False
    reduce = staticmethod(np.all)

    @classmethod
    def forward(cls, ctx, x, axes, keepdim):
        out = cls.reduce(x, axis=axes, keepdims=keepdim)
        return out.astype(np.uint8) if x.dtype == np.uint8 else out


class Any(All):
    """True if some element over ``axes`` is nonzero (bool; uint8 for uint8 input)."""

    reduce = staticmethod(np.any)


class ArgMax(Op):
    """The index of the largest element along ``axis`` (of the flattened tensor for None), int64."""

    differentiable = False

    @staticmethod
    def forward(ctx, x, axis, keepdim):
        return np.argmax(x, axis=axis, keepdims=keepdim).astype(np.int64)


class ArgMin(Op):
    """The index of the smallest element along ``axis`` (of the flattened tensor for None), int64."""

    differentiable = False

    @staticmethod
    def forward(ctx, x, axis, keepdim):
        return np.argmin(x, axis=axis, keepdims=keepdim).astype(np.int64)
