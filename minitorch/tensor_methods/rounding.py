"""Rounding, signs and rounded division: floor, ceil, trunc, round, frac, sign, heaviside, fmod, %, //.

Integer tensors keep their dtype (``floor`` of an integer is itself, ``7 // 2`` is 3), as in
PyTorch; the gradient of a step is 0, and that of a remainder is 1 in the dividend.

A mixin of ``minitorch.Tensor`` (``minitorch/tensor.py``): the methods check their arguments
(``minitorch.checks``) and call one op's ``Op.apply`` (``minitorch.functions``, here ``ops``).
"""
import numpy as np

from .. import checks
from .. import functions as ops
from ..autograd.composite import shown_as
from ..autograd.names import renamed
from ..errors import DTypeError
from .arithmetic import result_type


class RoundingMethods:
    """Rounding, signs and rounded division: floor, ceil, trunc, round, frac, sign, heaviside, fmod, %, //."""

    __slots__ = ()

    def _step(self, op, fn, *args):
        """``fn.apply(self, *args)`` for a float tensor; an integer one is already whole (a copy is returned)."""
        kind = self._array.dtype.kind
        if kind == "b":
            raise TypeError(f"{op}: not defined for bool tensors (as in PyTorch). Use .long() or .float() first.")
        return fn.apply(self, *args) if kind == "f" else self.clone()

    def floor(self):
        """The largest integer <= x, elementwise (the dtype is kept); its gradient is 0.

        >>> import minitorch
        >>> minitorch.tensor([-1.5, 0.5, 2.0]).floor()
        tensor([-2.,  0.,  2.])
        """
        return self._step("floor", ops.Floor)

    def ceil(self):
        """The smallest integer >= x, elementwise (the dtype is kept); its gradient is 0.

        >>> import minitorch
        >>> minitorch.tensor([-1.5, 0.5, 2.0]).ceil()
        tensor([-1.,  1.,  2.])
        """
        return self._step("ceil", ops.Ceil)

    def trunc(self):
        """x rounded towards zero, elementwise (also ``fix``); its gradient is 0.

        >>> import minitorch
        >>> minitorch.tensor([-1.5, 0.5, 2.7]).trunc()
        tensor([-1.,  0.,  2.])
        """
        return self._step("trunc", ops.Trunc)

    fix = trunc

    def round(self, *, decimals=0):
        """x rounded to ``decimals`` decimal places (negative: to tens, hundreds...), halves to even.

        >>> import minitorch
        >>> minitorch.tensor([0.5, 1.5, 2.567]).round()
        tensor([0., 2., 3.])
        >>> minitorch.tensor([2.567, 1234.0]).round(decimals=1), minitorch.tensor([1250.0]).round(decimals=-2)
        (tensor([   2.6000, 1234.0000]), tensor([1200.]))
        """
        decimals = checks.integer("round", "decimals", decimals)
        if decimals != 0 and not self.is_floating_point():
            raise TypeError(f"round: decimals={decimals} needs a floating-point tensor, this one is {self.dtype!r}.")
        return self._step("round", ops.Round, decimals)

    @shown_as("FracBackward0")
    def frac(self):
        """x - trunc(x), the fractional part with x's sign; its gradient is 1.

        >>> import minitorch
        >>> minitorch.tensor([-1.25, 2.5]).frac()
        tensor([-0.2500,  0.5000])
        """
        checks.floating("frac", self)
        return self - self.trunc()

    def sign(self):
        """-1, 0 or 1 by the sign of x (0 for NaN), in x's dtype; its gradient is 0. Also ``sgn``.

        >>> import minitorch
        >>> minitorch.tensor([-2.5, 0.0, 3.0]).sign()
        tensor([-1.,  0.,  1.])
        """
        return self.clone() if self._array.dtype == np.bool_ else ops.Sign.apply(self)

    sgn = renamed("SgnBackward0")(sign)

    def heaviside(self, values):
        """The step 0 for x < 0, 1 for x > 0, and ``values`` (broadcast) where x == 0; no gradient.

        >>> import minitorch
        >>> minitorch.tensor([-1.0, 0.0, 2.0]).heaviside(minitorch.tensor([0.5]))
        tensor([0.0000, 0.5000, 1.0000])
        """
        if checks.tensor("heaviside", "values", values).dtype != self.dtype:
            raise DTypeError(f"heaviside: input and values must have the same dtype, got {self.dtype!r} and "
                               f"{values.dtype!r}.")
        return self._binary(ops.Heaviside, values)

    def fmod(self, other):
        """The remainder of self / other with self's sign (C's fmod: ``fmod(-7, 2) == -1``).

        >>> import minitorch
        >>> minitorch.tensor([-7, 7]).fmod(2), minitorch.tensor([-7.5, 7.5]).fmod(2)
        (tensor([-1,  1]), tensor([-1.5000,  1.5000]))
        """
        return self._binary(ops.Fmod, _no_bool("fmod", self, other))

    def __mod__(self, other):
        """self % other, the remainder with other's sign (Python's rule: ``-7 % 2 == 1``); also ``remainder``.

        >>> import minitorch
        >>> minitorch.tensor([-7, 7]) % 2, minitorch.tensor([-7.5, 7.5]).remainder(-2)
        (tensor([1, 1]), tensor([-1.5000, -0.5000]))
        """
        return self._binary(ops.Remainder, _no_bool("remainder", self, other))

    def __rmod__(self, other):
        return self._binary(ops.Remainder, _no_bool("remainder", self, other), reflected=True)

    remainder = __mod__

    def __floordiv__(self, other):
        """self // other, the quotient rounded down (``-7 // 2 == -4``); also ``floor_divide``. Its gradient is 0.

        >>> import minitorch
        >>> minitorch.tensor([-7, 7]) // 2, minitorch.tensor([7.5]).floor_divide(2)
        (tensor([-4,  3]), tensor([3.]))
        """
        return self._binary(ops.FloorDivide, _no_bool("floor_divide", self, other))

    def __rfloordiv__(self, other):
        return self._binary(ops.FloorDivide, _no_bool("floor_divide", self, other), reflected=True)

    floor_divide = __floordiv__


def _no_bool(op, tensor, other):
    """``other``, once checked that the division is not between bools only (PyTorch has none)."""
    if result_type(tensor, other) == np.bool_:
        raise TypeError(f"{op}: not defined for bool tensors (as in PyTorch). Use .long() first.")
    return other
