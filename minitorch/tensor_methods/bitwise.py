"""Bitwise ops and their operators ``& | ^ ~ << >>`` on integer and bool tensors (no gradient).

On bool tensors ``& | ^ ~`` are logical and, or, xor and not, so ``(x > 0) & (x < 1)`` is the
usual mask; on integers they act on the bits (``6 & 3 == 2``). Float tensors are refused, as in
PyTorch. Operands are promoted as for ``+`` (a bool tensor meeting an int64 one becomes int64).

A mixin of ``minitorch.Tensor`` (``minitorch/tensor.py``): the methods check their arguments
(``minitorch.checks``) and call one op's ``Op.apply`` (``minitorch.functions``, here ``ops``).
"""
from .. import checks, dtypes
from .. import functions as ops
from .arithmetic import result_type


def _integer_operand(op, tensor, other, integers=False):
    """``other``, once checked that ``op(tensor, other)`` computes on integers (or bools, unless
    ``integers``: shifts, gcd and lcm): floats have no bits to combine, as in PyTorch."""
    dtype = result_type(tensor, other)
    if dtype.kind == "f" or (integers and dtype.kind == "b"):
        allowed = "integer" if integers else "integer or bool"
        raise RuntimeError(
            f"{op}: defined for {allowed} tensors only, got {dtypes.from_numpy_dtype(dtype)!r} operands. "
            f"Convert with .long() (or compare, for a mask) first."
        )
    return other


class BitwiseMethods:
    """Bitwise ops and their operators ``& | ^ ~ << >>`` on integer and bool tensors (no gradient)."""

    __slots__ = ()

    def __and__(self, other):
        """self & other, bit by bit, broadcast (logical and on bool tensors); also ``bitwise_and``.

        >>> import minitorch
        >>> minitorch.tensor([1, -8, 6, 12]) & minitorch.tensor([3, 3, 3, 10])
        tensor([1, 0, 2, 8])
        >>> x = minitorch.tensor([1.0, 2.0, 3.0])
        >>> ((x > 1) & (x < 3)).tolist()
        [False, True, False]
        """
        return self._binary(ops.BitwiseAnd, _integer_operand("bitwise_and", self, other))

    def __rand__(self, other):
        return self._binary(ops.BitwiseAnd, _integer_operand("bitwise_and", self, other), reflected=True)

    def __or__(self, other):
        """self | other, bit by bit, broadcast (logical or on bool tensors); also ``bitwise_or``.

        >>> import minitorch
        >>> minitorch.tensor([1, 4, 6]) | 3, minitorch.tensor([True, False]) | minitorch.tensor([False, False])
        (tensor([3, 7, 7]), tensor([ True, False]))
        """
        return self._binary(ops.BitwiseOr, _integer_operand("bitwise_or", self, other))

    def __ror__(self, other):
        return self._binary(ops.BitwiseOr, _integer_operand("bitwise_or", self, other), reflected=True)

    def __xor__(self, other):
        """self ^ other, bit by bit, broadcast (logical xor on bool tensors); also ``bitwise_xor``.

        >>> import minitorch
        >>> minitorch.tensor([1, 4, 6]) ^ 3
        tensor([2, 7, 5])
        """
        return self._binary(ops.BitwiseXor, _integer_operand("bitwise_xor", self, other))

    def __rxor__(self, other):
        return self._binary(ops.BitwiseXor, _integer_operand("bitwise_xor", self, other), reflected=True)

    def __invert__(self):
        """~self: every bit flipped (-x - 1 for signed integers), logical not on bool; also ``bitwise_not``.

        >>> import minitorch
        >>> ~minitorch.tensor([0, 5, -1]), ~minitorch.tensor([True, False])
        (tensor([-1, -6,  0]), tensor([False,  True]))
        """
        if self.is_floating_point():
            raise TypeError(f"~ (bitwise_not) is defined for integer and bool tensors only, this one is "
                            f"{self.dtype!r}. Use logical_not() for a mask.")
        return ops.BitwiseNot.apply(self)

    def __lshift__(self, other):
        """self << other = self * 2^other, on integers (wrapping around; 0 for shifts past the width);
        also ``bitwise_left_shift``.

        >>> import minitorch
        >>> minitorch.tensor([1, 3, -2]) << 2, 1 << minitorch.tensor([0, 4])
        (tensor([ 4, 12, -8]), tensor([ 1, 16]))
        """
        return self._binary(ops.LeftShift, _integer_operand("bitwise_left_shift", self, other, integers=True))

    def __rlshift__(self, other):
        other = _integer_operand("bitwise_left_shift", self, other, integers=True)
        return self._binary(ops.LeftShift, other, reflected=True)

    def __rshift__(self, other):
        """self >> other = floor(self / 2^other), on integers; also ``bitwise_right_shift``.

        >>> import minitorch
        >>> minitorch.tensor([16, 7, -7]) >> 1
        tensor([ 8,  3, -4])
        """
        return self._binary(ops.RightShift, _integer_operand("bitwise_right_shift", self, other, integers=True))

    def __rrshift__(self, other):
        other = _integer_operand("bitwise_right_shift", self, other, integers=True)
        return self._binary(ops.RightShift, other, reflected=True)

    def gcd(self, other):
        """The greatest common divisor of |self| and |other|, elementwise, broadcast (integer tensors;
        gcd(0, 0) = 0).

        >>> import minitorch
        >>> minitorch.tensor([12, -18, 0]).gcd(minitorch.tensor([8, 12, 0])).tolist()
        [4, 6, 0]
        """
        return self._binary(ops.Gcd, _integer_operand("gcd", self, checks.tensor("gcd", "other", other), integers=True))

    def lcm(self, other):
        """The least common multiple of |self| and |other|, elementwise, broadcast (integer tensors;
        0 where either is 0).

        >>> import minitorch
        >>> minitorch.tensor([4, -6, 0]).lcm(minitorch.tensor([6, 4, 5])).tolist()
        [12, 12, 0]
        """
        return self._binary(ops.Lcm, _integer_operand("lcm", self, checks.tensor("lcm", "other", other), integers=True))

    bitwise_and, bitwise_or, bitwise_xor, bitwise_not = __and__, __or__, __xor__, __invert__
    bitwise_left_shift, bitwise_right_shift = __lshift__, __rshift__
