"""Trigonometry: cos, tan, the inverses, the hyperbolic functions, atan2, hypot, sinc, degrees.

An integer or bool tensor is made float32 first, as in PyTorch. The ``arc*`` names are NumPy's
spellings of the inverses (``arcsin`` is ``asin``), as PyTorch has them too.

A mixin of ``minitorch.Tensor`` (``minitorch/tensor.py``): the methods check their arguments
(``minitorch.checks``) and call one op's ``Op.apply`` (``minitorch.functions``, here ``ops``).
"""
import math

from .. import checks
from .. import functions as ops
from ..autograd.composite import shown_as
from .arithmetic import floating_operand


class TrigMethods:
    """Trigonometry: cos, tan, the inverses, the hyperbolic functions, atan2, hypot, sinc, degrees."""

    __slots__ = ()

    def cos(self):
        """cos x, elementwise (x in radians); its gradient is -sin x.

        >>> import minitorch
        >>> minitorch.tensor([0.0, 3.14159265]).cos()
        tensor([ 1., -1.])
        """
        return ops.Cos.apply(self._float())

    def tan(self):
        """tan x, elementwise (x in radians); its gradient is 1 + tan^2 x.

        >>> import minitorch
        >>> minitorch.tensor([0.0, 0.78539816]).tan()
        tensor([0., 1.])
        """
        return ops.Tan.apply(self._float())

    def asin(self):
        """arcsin x in [-pi/2, pi/2] for x in [-1, 1] (NaN outside); also ``arcsin``.

        >>> import minitorch
        >>> minitorch.tensor([0.0, 1.0]).asin()
        tensor([0.0000, 1.5708])
        """
        return ops.Asin.apply(self._float())

    def acos(self):
        """arccos x in [0, pi] for x in [-1, 1] (NaN outside); also ``arccos``.

        >>> import minitorch
        >>> minitorch.tensor([1.0, 0.0]).acos()
        tensor([0.0000, 1.5708])
        """
        return ops.Acos.apply(self._float())

    def atan(self):
        """arctan x in (-pi/2, pi/2); also ``arctan``. Its gradient is 1 / (1 + x^2).

        >>> import minitorch
        >>> minitorch.tensor([0.0, 1.0]).atan()
        tensor([0.0000, 0.7854])
        """
        return ops.Atan.apply(self._float())

    def sinh(self):
        """sinh x = (e^x - e^-x) / 2, elementwise.

        >>> import minitorch
        >>> minitorch.tensor([0.0, 1.0]).sinh()
        tensor([0.0000, 1.1752])
        """
        return ops.Sinh.apply(self._float())

    def cosh(self):
        """cosh x = (e^x + e^-x) / 2, elementwise.

        >>> import minitorch
        >>> minitorch.tensor([0.0, 1.0]).cosh()
        tensor([1.0000, 1.5431])
        """
        return ops.Cosh.apply(self._float())

    def asinh(self):
        """arsinh x = ln(x + sqrt(x^2 + 1)), elementwise; also ``arcsinh``.

        >>> import minitorch
        >>> minitorch.tensor([0.0, 1.0]).asinh()
        tensor([0.0000, 0.8814])
        """
        return ops.Asinh.apply(self._float())

    def acosh(self):
        """arcosh x = ln(x + sqrt(x^2 - 1)) for x >= 1 (NaN below); also ``arccosh``.

        >>> import minitorch
        >>> minitorch.tensor([1.0, 2.0]).acosh()
        tensor([0.0000, 1.3170])
        """
        return ops.Acosh.apply(self._float())

    def atanh(self):
        """artanh x = ln((1 + x) / (1 - x)) / 2 for |x| < 1 (+-inf at +-1, NaN beyond); also ``arctanh``.

        >>> import minitorch
        >>> minitorch.tensor([0.0, 0.5]).atanh()
        tensor([0.0000, 0.5493])
        """
        return ops.Atanh.apply(self._float())

    arcsin, arccos, arctan = asin, acos, atan
    arcsinh, arccosh, arctanh = asinh, acosh, atanh

    def atan2(self, other):
        """The angle of the point (other, self) in (-pi, pi], elementwise, broadcast; also ``arctan2``.

        >>> import minitorch
        >>> minitorch.tensor([1.0, 1.0, -1.0]).atan2(minitorch.tensor([1.0, -1.0, 0.0]))
        tensor([ 0.7854,  2.3562, -1.5708])
        """
        return self._binary(ops.Atan2, checks.tensor("atan2", "other", other), floating=True)

    arctan2 = atan2

    def hypot(self, other):
        """sqrt(self^2 + other^2), elementwise, broadcast, without overflow for large values.

        >>> import minitorch
        >>> minitorch.tensor([3.0, 5.0]).hypot(minitorch.tensor([4.0, 12.0]))
        tensor([ 5., 13.])
        """
        return self._binary(ops.Hypot, floating_operand("hypot", self, checks.tensor("hypot", "other", other)))

    def sinc(self):
        """sin(pi x) / (pi x), the normalized sinc, 1 at x = 0.

        >>> import minitorch
        >>> minitorch.tensor([0.0, 0.5]).sinc()
        tensor([1.0000, 0.6366])
        """
        return ops.Sinc.apply(self._float())

    @shown_as("Deg2RadBackward0")
    def deg2rad(self):
        """Degrees to radians: x * pi / 180.

        >>> import minitorch
        >>> minitorch.tensor([180.0, 90.0]).deg2rad()
        tensor([3.1416, 1.5708])
        """
        return self._float() * (math.pi / 180)

    def rad2deg(self):
        """Radians to degrees: x * 180 / pi.

        >>> import minitorch
        >>> minitorch.tensor([3.14159265, 1.0]).rad2deg()
        tensor([180.0000,  57.2958])
        """
        return self._float() * (180 / math.pi)
