"""Comparisons, logic and tests of values (``== < & | ~``, ``isnan``, ``all``...): no gradient flows.

A mixin of ``minitorch.Tensor`` (``minitorch/tensor.py``): the methods check their arguments
(``minitorch.checks``) and call one op's ``Op.apply`` (``minitorch.functions``, here ``ops``).
"""
import numpy as np

from .. import functions as ops


class LogicalMethods:
    """Comparisons, logic and tests of values (``== < & | ~``, ``isnan``, ``all``...): no gradient flows."""

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

    def __invert__(self):
        """~x: logical not of a bool tensor (an integer tensor is refused).

        >>> import minitorch
        >>> (~minitorch.tensor([True, False])).tolist()
        [False, True]
        """
        if self._array.dtype != np.bool_:
            raise TypeError(f"~ is defined for bool tensors only, this one is {self.dtype!r}.")
        return ops.LogicalNot.apply(self)

    def __and__(self, other):
        """self & other: logical and, elementwise, broadcasting (see ``logical_and``).

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, 2.0, 3.0])
        >>> ((x > 1) & (x < 3)).tolist()
        [False, True, False]
        """
        return ops.LogicalAnd.apply(self, other)

    def __or__(self, other):
        """self | other: logical or, elementwise, broadcasting (see ``logical_or``).

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, 2.0, 3.0])
        >>> ((x < 2) | (x > 2)).tolist()
        [True, False, True]
        """
        return ops.LogicalOr.apply(self, other)

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
        return ops.LogicalAnd.apply(self, other)

    def logical_or(self, other):
        """self or other, elementwise, as a bool tensor (``|`` on bool tensors).

        >>> import minitorch
        >>> minitorch.tensor([True, True, False]).logical_or(minitorch.tensor([True, False, False])).tolist()
        [True, True, False]
        """
        return ops.LogicalOr.apply(self, other)

    def all(self):
        """True (a 0-d bool tensor) if every element is nonzero.

        >>> import minitorch
        >>> minitorch.tensor([True, False]).all()
        tensor(False)
        >>> bool(minitorch.tensor([1, 2]).all())
        True
        """
        return ops.All.apply(self)

    def any(self):
        """True (a 0-d bool tensor) if some element is nonzero.

        >>> import minitorch
        >>> minitorch.tensor([True, False]).any()
        tensor(True)
        """
        return ops.Any.apply(self)

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

    def isclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        """|self - other| <= atol + rtol * |other|, elementwise, as a bool tensor.

        >>> import minitorch
        >>> minitorch.tensor([1.0, 2.0]).isclose(minitorch.tensor([1.0 + 1e-7, 2.1])).tolist()
        [True, False]
        """
        return ops.IsClose.apply(self, other, rtol, atol, equal_nan)

    def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        """Whether every element satisfies ``isclose``, as a Python bool.

        >>> import minitorch
        >>> minitorch.tensor([1.0, 2.0]).allclose(minitorch.tensor([1.0, 2.0 + 1e-7]))
        True
        """
        return bool(self.isclose(other, rtol, atol, equal_nan).all())
