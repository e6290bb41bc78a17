"""The arithmetic operators and their named forms: ``+ - * / ** @``, ``add``, ``pow``, ``abs``...

Binary ops promote dtypes as PyTorch does (``_promote``) before calling the op's ``Op.apply``.

A mixin of ``minitorch.Tensor`` (``minitorch/tensor.py``): the methods check their arguments
(``minitorch.checks``) and call one op's ``Op.apply`` (``minitorch.functions``, here ``ops``).
"""
import numpy as np

from .. import dtypes
from .. import functions as ops
from ..autograd.function import tensor_class


PYTHON_NUMBERS = (int, float, bool, np.number, np.bool_)


def _promote(fn, a, b):
    """PyTorch's type promotion where it differs from numpy's, for a binary op on tensor ``a``.

    An integer tensor meeting a float tensor takes the float's dtype; meeting a Python
    float it becomes float32; true division of integers gives float32.
    """
    b_is_tensor = isinstance(b, tensor_class())
    b_float = b._array.dtype.kind == "f" if b_is_tensor else isinstance(b, (float, np.floating))
    a_float = a._array.dtype.kind == "f"
    if a_float and b_is_tensor and not b_float:
        b = b.to(a.dtype)
    elif not a_float and b_float:
        a = a.to(b.dtype if b_is_tensor else dtypes.float32)
    elif not a_float and not b_float and fn is ops.Div:
        a = a.float()
        b = b.float() if b_is_tensor else b
    return a, b


class ArithmeticMethods:
    """The arithmetic operators and their named forms: ``+ - * / ** @``, ``add``, ``pow``, ``abs``..."""

    __slots__ = ()

    def _binary(self, fn, other, reflected=False):
        if isinstance(other, np.generic):  # a numpy scalar such as np.sqrt(d) acts as a Python
            other = other.item()  # number, as in PyTorch: x / np.sqrt(d) stays float32
        if not isinstance(other, (tensor_class(), *PYTHON_NUMBERS)):
            other = tensor_class()._make(np.asarray(other), False, None).to(self._device)
        a = self
        if a._array.dtype.kind != "f" or (isinstance(other, tensor_class()) and other._array.dtype.kind != "f"):
            a, other = _promote(fn, a, other)
        return fn.apply(other, a) if reflected else fn.apply(a, other)

    def __add__(self, other):
        """self + other, elementwise, broadcast (also ``x.add(other)``); integers meeting floats promote as in PyTorch.

        >>> import minitorch
        >>> (minitorch.tensor([1.0, 2.0]) + minitorch.tensor([[10.0], [20.0]])).tolist()
        [[11.0, 12.0], [21.0, 22.0]]
        """
        return self._binary(ops.Add, other)

    def __radd__(self, other):
        return self._binary(ops.Add, other, reflected=True)

    def __sub__(self, other):
        """self - other, elementwise, broadcast (also ``x.sub(other)``).

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, 2.0])
        >>> x.sub(minitorch.tensor([0.5, 3.0])).tolist(), (1 - x).tolist()
        ([0.5, -1.0], [0.0, -1.0])
        """
        return self._binary(ops.Sub, other)

    def __rsub__(self, other):
        return self._binary(ops.Sub, other, reflected=True)

    def __mul__(self, other):
        """self * other, elementwise, broadcast (also ``x.mul(other)``).

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, 2.0])
        >>> x.mul(minitorch.tensor([3.0, 4.0])).tolist(), (2 * x).tolist()
        ([3.0, 8.0], [2.0, 4.0])
        """
        return self._binary(ops.Mul, other)

    def __rmul__(self, other):
        return self._binary(ops.Mul, other, reflected=True)

    def __truediv__(self, other):
        """self / other, elementwise, broadcast (also ``x.div(other)``); integers divide to float32, as in PyTorch.

        >>> import minitorch
        >>> minitorch.tensor([1, 3]).div(2)
        tensor([0.5, 1.5])
        >>> (1 / minitorch.tensor([2.0, 4.0])).tolist()
        [0.5, 0.25]
        """
        return self._binary(ops.Div, other)

    def __rtruediv__(self, other):
        return self._binary(ops.Div, other, reflected=True)

    def __pow__(self, other):
        """self ** other, elementwise, broadcasting (see ``pow``).

        >>> import minitorch
        >>> (minitorch.tensor([1.0, 2.0, 3.0]) ** 2).tolist()
        [1.0, 4.0, 9.0]
        """
        return self._binary(ops.Pow, other)

    def pow(self, exponent):
        """self ** exponent, elementwise (``exponent`` a tensor or a number).

        >>> import minitorch
        >>> minitorch.tensor([1.0, 2.0, 3.0]).pow(2).tolist()
        [1.0, 4.0, 9.0]
        >>> minitorch.tensor([4.0, 9.0]).pow(0.5).tolist()
        [2.0, 3.0]
        """
        return self._binary(ops.Pow, exponent)

    def __rpow__(self, other):
        return self._binary(ops.Pow, other, reflected=True)

    def __matmul__(self, other):
        """The matrix product self @ other (also ``x.matmul(other)``): 1-D, 2-D, batched and broadcast, as ``torch.matmul``.

        >>> import minitorch
        >>> a = minitorch.tensor([[1.0, 2.0], [3.0, 4.0]])
        >>> a.matmul(minitorch.tensor([[1.0], [1.0]])).tolist()
        [[3.0], [7.0]]
        >>> (a @ minitorch.tensor([1.0, 0.0])).tolist()
        [1.0, 3.0]
        """
        return self._binary(ops.MatMul, other)

    def __rmatmul__(self, other):
        return self._binary(ops.MatMul, other, reflected=True)

    def __neg__(self):
        """-self, elementwise (also ``x.neg()``).

        >>> import minitorch
        >>> minitorch.tensor([1.0, -2.0]).neg().tolist()
        [-1.0, 2.0]
        """
        return ops.Neg.apply(self)

    def __abs__(self):
        """|self|, elementwise (also ``x.abs()``); its gradient is sign(x), 0 at x = 0.

        >>> import minitorch
        >>> minitorch.tensor([-1, 2]).abs().tolist()
        [1, 2]
        >>> abs(minitorch.tensor([-1.5]))
        tensor([1.5])
        """
        return ops.Abs.apply(self)

    add = __add__
    sub = __sub__
    mul = __mul__
    div = __truediv__
    matmul = __matmul__
    neg = __neg__
    abs = __abs__
