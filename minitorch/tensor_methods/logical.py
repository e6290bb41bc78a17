"""Comparisons, logic and tests of values (``== <``, ``isnan``, ``all``...): no gradient flows.

``& | ~`` are the bitwise ops (``bitwise.py``), logical on bool tensors as in PyTorch.

A mixin of ``minitorch.Tensor`` (``minitorch/tensor.py``): the methods check their arguments
(``minitorch.checks``) and call one op's ``Op.apply`` (``minitorch.functions``, here ``ops``).
"""
from .. import checks
from .. import functions as ops
from .reduction import dim_alias


class LogicalMethods:
    """Comparisons, logic and tests of values (``== <``, ``isnan``, ``all``...): no gradient flows."""

    __slots__ = ()

    def __eq__(self, other):
        """self == other, elementwise, as a bool tensor (also ``x.eq(other)``); no gradient flows.

        >>> import minitorch
        >>> (minitorch.tensor([1, 2, 3]) == 2).tolist()
        [False, True, False]
        """
        return ops.Eq.apply(self, other)

    def __ne__(self, other):
        """self != other, elementwise, as a bool tensor (also ``x.ne(other)``).

        >>> import minitorch
        >>> (minitorch.tensor([1, 2, 3]) != minitorch.tensor([1, 0, 3])).tolist()
        [False, True, False]
        """
        return ops.Ne.apply(self, other)

    def __lt__(self, other):
        """self < other, elementwise, as a bool tensor (also ``x.lt(other)``).

        >>> import minitorch
        >>> minitorch.tensor([1.0, 2.0, 3.0]).lt(2).tolist()
        [True, False, False]
        """
        return ops.Lt.apply(self, other)

    def __le__(self, other):
        """self <= other, elementwise, as a bool tensor (also ``x.le(other)``).

        >>> import minitorch
        >>> minitorch.tensor([1.0, 2.0, 3.0]).le(2).tolist()
        [True, True, False]
        """
        return ops.Le.apply(self, other)

    def __gt__(self, other):
        """self > other, elementwise, as a bool tensor (also ``x.gt(other)``).

        >>> import minitorch
        >>> (minitorch.tensor([1.0, 2.0, 3.0]) > 2).tolist()
        [False, False, True]
        """
        return ops.Gt.apply(self, other)

    def __ge__(self, other):
        """self >= other, elementwise, as a bool tensor (also ``x.ge(other)``).

        >>> import minitorch
        >>> minitorch.tensor([1.0, 2.0, 3.0]).ge(2).tolist()
        [False, True, True]
        """
        return ops.Ge.apply(self, other)

    eq, ne, lt, le, gt, ge = __eq__, __ne__, __lt__, __le__, __gt__, __ge__
    greater, greater_equal, less, less_equal, not_equal = __gt__, __ge__, __lt__, __le__, __ne__  # NumPy's names

    def logical_not(self):
        """not self, elementwise, as a bool tensor (nonzero counts as True).

        >>> import minitorch
        >>> minitorch.tensor([0, 1, 2]).logical_not().tolist()
        [True, False, False]
        """
        return ops.LogicalNot.apply(self)

    def logical_and(self, other):
        """self and other, elementwise, as a bool tensor (``&`` on bool tensors).

        >>> import minitorch
        >>> minitorch.tensor([True, True, False]).logical_and(minitorch.tensor([True, False, False])).tolist()
        [True, False, False]
        """
        return ops.LogicalAnd.apply(self, checks.tensor("logical_and", "other", other))

    def logical_or(self, other):
        """self or other, elementwise, as a bool tensor (``|`` on bool tensors).

        >>> import minitorch
        >>> minitorch.tensor([True, True, False]).logical_or(minitorch.tensor([True, False, False])).tolist()
        [True, True, False]
        """
        return ops.LogicalOr.apply(self, checks.tensor("logical_or", "other", other))

    def logical_xor(self, other):
        """self xor other, elementwise, as a bool tensor (``^`` on bool tensors).

        >>> import minitorch
        >>> minitorch.tensor([True, True, False]).logical_xor(minitorch.tensor([True, False, False])).tolist()
        [False, True, False]
        """
        return ops.LogicalXor.apply(self, checks.tensor("logical_xor", "other", other))

    @dim_alias
    def all(self, dim=None, keepdim=False):
        """True (a bool tensor) if every element is nonzero: of all, or over ``dim`` (an int or a tuple).

        >>> import minitorch
        >>> minitorch.tensor([True, False]).all()
        tensor(False)
        >>> bool(minitorch.tensor([1, 2]).all())
        True
        >>> minitorch.tensor([[1, 0], [2, 3]]).all(dim=1).tolist()
        [False, True]
        """
        return ops.All.apply(self, checks.dims("all", dim, self.ndim), keepdim)

    @dim_alias
    def any(self, dim=None, keepdim=False):
        """True (a bool tensor) if some element is nonzero: of all, or over ``dim`` (an int or a tuple).

        >>> import minitorch
        >>> minitorch.tensor([True, False]).any()
        tensor(True)
        """
        return ops.Any.apply(self, checks.dims("any", dim, self.ndim), keepdim)

    def isnan(self):
        """True where an element is NaN.

        >>> import minitorch
        >>> minitorch.tensor([1.0, float('nan')]).isnan().tolist()
        [False, True]
        """
        return ops.IsNan.apply(self)

    def isfinite(self):
        """True where an element is neither NaN nor +-inf.

        >>> import minitorch
        >>> minitorch.tensor([1.0, float('inf'), float('nan')]).isfinite().tolist()
        [True, False, False]
        """
        return ops.IsFinite.apply(self)

    def isinf(self):
        """True where an element is +inf or -inf.

        >>> import minitorch
        >>> minitorch.tensor([1.0, float('inf'), -float('inf'), float('nan')]).isinf().tolist()
        [False, True, True, False]
        """
        return ops.IsInf.apply(self)

    def isposinf(self):
        """True where an element is +inf.

        >>> import minitorch
        >>> minitorch.tensor([1.0, float('inf'), -float('inf')]).isposinf().tolist()
        [False, True, False]
        """
        return ops.IsPosInf.apply(self)

    def isneginf(self):
        """True where an element is -inf.

        >>> import minitorch
        >>> minitorch.tensor([1.0, float('inf'), -float('inf')]).isneginf().tolist()
        [False, False, True]
        """
        return ops.IsNegInf.apply(self)

    def isreal(self):
        """True where an element has no imaginary part: everywhere, since minitorch's tensors are real.

        >>> import minitorch
        >>> minitorch.tensor([1.0, float('nan')]).isreal().tolist()
        [True, True]
        """
        return ops.IsReal.apply(self)

    def signbit(self):
        """True where the sign bit is set: negative numbers, and also -0.0.

        >>> import minitorch
        >>> minitorch.tensor([-1.0, -0.0, 0.0, 2.0]).signbit().tolist()
        [True, True, False, False]
        """
        return ops.SignBit.apply(self)

    def isclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        """|self - other| <= atol + rtol * |other|, elementwise, as a bool tensor.

        >>> import minitorch
        >>> minitorch.tensor([1.0, 2.0]).isclose(minitorch.tensor([1.0 + 1e-7, 2.1])).tolist()
        [True, False]
        """
        if checks.tensor("isclose", "other", other).dtype != self.dtype:
            raise RuntimeError(f"isclose: self and other must have the same dtype, got {self.dtype!r} and "
                               f"{other.dtype!r}. Convert one with .to(...) first.")
        return ops.IsClose.apply(self, other, rtol, atol, equal_nan)

    def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        """Whether every element satisfies ``isclose``, as a Python bool.

        >>> import minitorch
        >>> minitorch.tensor([1.0, 2.0]).allclose(minitorch.tensor([1.0, 2.0 + 1e-7]))
        True
        """
        return bool(self.isclose(other, rtol, atol, equal_nan).all())
