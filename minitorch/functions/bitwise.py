"""Bitwise ops on integer and bool tensors: ``& | ^ ~ << >>``, and gcd and lcm on integers (no
gradient flows).

On bool tensors and, or, xor and not are the logical ones. Shifts follow PyTorch: a shift by
the type's width or more gives 0 (or -1 for a negative number shifted right), and so does a
negative shift amount, where C leaves the result undefined.
"""
import numpy as np

from ..autograd.function import Op
from ._util import broadcast_shapes


def _in_range(b, width, fallback):
    """The shift amounts b, each outside [0, width) replaced by ``fallback``, and where they were.

    A Python number stays a Python number: a numpy array would not mix with cupy arrays, and
    would make a uint8 tensor shifted by it int64 (numpy keeps only Python numbers "weak")."""
    outside = (b < 0) | (b >= width)
    if isinstance(b, int):
        return (fallback if outside else b), outside
    return np.where(outside, fallback, b), outside


def _left_shift(a, b):
    amount, outside = _in_range(b, (a.dtype if hasattr(a, "dtype") else b.dtype).itemsize * 8, 0)
    return np.where(outside, 0, np.left_shift(a, amount))


def _right_shift(a, b):
    dtype = a.dtype if hasattr(a, "dtype") else b.dtype
    amount, outside = _in_range(b, dtype.itemsize * 8, dtype.itemsize * 8 - 1)
    out = np.right_shift(a, amount)  # by width - 1: 0, or -1 if a < 0
    return np.where(outside, 0, out) if dtype.kind == "u" else out


class Bitwise(Op):
    """Base of the binary bitwise ops: ``ufunc(a, b)`` broadcast, in the dtype the operands share."""

    differentiable = False
    op_name = None  # PyTorch's name, for error messages
    ufunc = None  # the numpy ufunc (or function of two arrays) that computes it

    @staticmethod
    def forward(ctx, a, b):
        broadcast_shapes(type(ctx).op_name, np.shape(a), np.shape(b))
        return type(ctx).ufunc(a, b)


class BitwiseAnd(Bitwise):
    """a & b, bit by bit (logical and on bool)."""

    op_name = "bitwise_and"
    ufunc = np.bitwise_and


class BitwiseOr(Bitwise):
    """a | b, bit by bit (logical or on bool)."""

    op_name = "bitwise_or"
    ufunc = np.bitwise_or


class BitwiseXor(Bitwise):
    """a ^ b, bit by bit (logical xor on bool)."""

    op_name = "bitwise_xor"
    ufunc = np.bitwise_xor


class LeftShift(Bitwise):
    """a << b = a * 2^b, wrapping around; 0 for b < 0 or b >= the width in bits."""

    op_name = "bitwise_left_shift"
    ufunc = _left_shift


class RightShift(Bitwise):
    """a >> b = floor(a / 2^b); for b < 0 or b >= the width in bits, 0 (or -1 if a < 0)."""

    op_name = "bitwise_right_shift"
    ufunc = _right_shift


class Gcd(Bitwise):
    """gcd(a, b), the greatest common divisor of |a| and |b| (gcd(0, 0) = 0), on integers."""

    op_name = "gcd"
    ufunc = np.gcd


class Lcm(Bitwise):
    """lcm(a, b), the least common multiple of |a| and |b| (0 if either is 0), on integers."""

    op_name = "lcm"
    ufunc = np.lcm


class BitwiseNot(Op):
    """~x, every bit flipped (-x - 1 for signed integers; logical not on bool)."""

    differentiable = False

    @staticmethod
    def forward(ctx, x):
        return np.invert(x)
