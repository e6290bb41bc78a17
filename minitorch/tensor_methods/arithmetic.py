"""The arithmetic operators and their named forms: ``+ - * / ** @``, ``add``, ``pow``, ``abs``...

Binary ops promote dtypes as PyTorch does (``minitorch.result_type``) before calling the op's ``Op.apply``.

A mixin of ``minitorch.Tensor`` (``minitorch/tensor.py``): the methods check their arguments
(``minitorch.checks``) and call one op's ``Op.apply`` (``minitorch.functions``, here ``ops``).
"""
import numpy as np

from .. import checks, dtypes
from .. import functions as ops
from ..autograd.composite import composite
from ..autograd.names import renamed
from ..autograd.function import tensor_class


PYTHON_NUMBERS = (int, float, bool, np.number, np.bool_)
_SYMBOLS = {"Add": "add (+)", "Sub": "sub (-)", "Mul": "mul (*)", "Div": "div (/)"}


def _operand_array(fn, other):
    """``other`` (not a Tensor nor a number: a list, a numpy array) as a numeric array, else a TypeError
    naming the op and the type (``x + None``, ``x + 'a'``, ``x + 1j``: minitorch has no complex dtypes)."""
    array = np.asarray(other) if isinstance(other, (list, tuple, np.ndarray)) else None
    if array is None or array.dtype.kind not in "biuf":
        op = _SYMBOLS.get(fn.__name__, fn.__name__.lower())
        raise TypeError(f"{op}: unsupported operand of type {type(other).__name__} ({other!r}); "
                        f"expected a Tensor or a real number.")
    return array


def result_type(tensor, other):
    """The numpy dtype of an elementwise op on ``tensor`` and ``other``, by PyTorch's rule
    (``minitorch.result_type``): ``int_tensor * 2.5`` is float32, ``uint8_tensor - 1`` stays uint8."""
    return dtypes.result_type(tensor, other).np_dtype


def _as_dtype(value, dtype):
    """A tensor or Python number as an operand of ``dtype``: a tensor cast (a graph node if it needs
    grad), a Python integer out of an integer dtype's range wrapped around as PyTorch does."""
    if isinstance(value, tensor_class()):
        return value if value._array.dtype == dtype else value.to(dtypes.from_numpy_dtype(dtype))
    if dtype.kind in "iu" and isinstance(value, int) and not isinstance(value, bool):
        info = np.iinfo(dtype)
        if not info.min <= value <= info.max:
            return np.array(value & ((1 << info.bits) - 1)).astype(dtype)[()]  # a numpy scalar of dtype
    return value


def floating_operand(op, tensor, other):
    """``other``, once checked that ``op(tensor, other)`` computes in floating point (for the ops
    that PyTorch defines for floats only, such as hypot: an integer tensor may meet a float one)."""
    dtype = result_type(tensor, other)
    if dtype.kind != "f":
        raise TypeError(
            f"{op}: expected floating-point inputs, got {dtypes.from_numpy_dtype(dtype)!r} ones. Use .float() first."
        )
    return other


#: PyTorch's node for ``a @ b`` by the operands' numbers of dimensions (batched products: UnsafeView).
_MATMUL_NAMES = {(2, 2): "MmBackward0", (2, 1): "MvBackward0", (1, 1): "DotBackward0", (1, 2): "SqueezeBackward4"}


def _matmul_operand(tensor, other):
    """``other``, once checked that ``tensor @ other`` is defined in PyTorch: both of one dtype
    (matmul never promotes), and not bool."""
    if checks.tensor("matmul", "other", other)._array.dtype != tensor._array.dtype:  # (the common case: no call)
        checks.same_dtype("matmul", input=tensor, other=other)
    if tensor._array.dtype == np.bool_:
        raise RuntimeError("matmul: bool tensors have no matrix product (as in PyTorch); convert with .long() "
                           "or .float() first.")
    return other


def _not_bool(what, tensor, other=None, both=False):
    """``other``, once checked that no operand of ``what`` is bool (with ``both``: not all of them),
    as PyTorch refuses: ``mask - 1`` and ``-mask`` are errors there, ``~mask`` inverts a mask."""
    bools = [tensor._array.dtype == np.bool_]
    if other is not None:
        bools.append(isinstance(other, (bool, np.bool_)) or getattr(other, "dtype", None) == dtypes.bool_)
    if all(bools) if both else any(bools):
        raise RuntimeError(
            f"{what} with a bool tensor is not supported (as in PyTorch): convert with .long() or .float() "
            f"first (to invert a mask, use ~ or logical_not())."
        )
    return other


def _exponent(tensor, exponent):
    """``exponent``, once checked that PyTorch computes ``tensor ** exponent``: not with a bool tensor
    and a bool tensor, but a bool tensor raised to a bool number stays bool (x ** True is x)."""
    if isinstance(exponent, (bool, np.bool_)) and tensor._array.dtype == np.bool_:
        return bool(exponent)
    return _not_bool("Power", tensor, exponent, both=True)


class ArithmeticMethods:
    """The arithmetic operators and their named forms: ``+ - * / ** @``, ``add``, ``pow``, ``abs``..."""

    __slots__ = ()

    def _binary(self, fn, other, reflected=False, floating=False):
        """``fn.apply(self, other)`` (``(other, self)`` if ``reflected``) with both operands in
        PyTorch's result dtype (``result_type``); ``floating`` ops (true division, atan2, ...)
        compute integer operands in the default float dtype."""
        if isinstance(other, np.generic):  # a numpy scalar such as np.sqrt(d) acts as a Python
            other = other.item()  # number, as in PyTorch: x / np.sqrt(d) stays float32
        Tensor = tensor_class()
        if not isinstance(other, (Tensor, *PYTHON_NUMBERS)):
            other = Tensor._make(_operand_array(fn, other), False, None).to(self._device)
        a, dtype = self, self._array.dtype
        same = other._array.dtype == dtype if isinstance(other, Tensor) else isinstance(other, float)
        if not (same and dtype.kind == "f"):  # else: nothing to promote (the common case, kept fast)
            dtype = result_type(self, other)
            if floating and dtype.kind != "f":
                dtype = dtypes.get_default_dtype().np_dtype
            a, other = _as_dtype(self, dtype), _as_dtype(other, dtype)
        return fn.apply(other, a) if reflected else fn.apply(a, other)

    def __add__(self, other):
        """self + other, elementwise, broadcast (also ``x.add(other)``); integers meeting floats promote as in PyTorch.

        >>> import minitorch
        >>> (minitorch.tensor([1.0, 2.0]) + minitorch.tensor([[10.0], [20.0]])).tolist()
        [[11.0, 12.0], [21.0, 22.0]]
        """
        return self._binary(ops.Add, other)

    def __radd__(self, other):
        return self._binary(ops.Add, other)  # other + self is self + other: PyTorch's node lists self first

    def __sub__(self, other):
        """self - other, elementwise, broadcast (also ``x.sub(other)``).

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, 2.0])
        >>> x.sub(minitorch.tensor([0.5, 3.0])).tolist(), (1 - x).tolist()
        ([0.5, -1.0], [0.0, -1.0])
        """
        return self._binary(ops.Sub, _not_bool("Subtraction", self, other))

    @renamed("RsubBackward1")
    def __rsub__(self, other):
        return self._binary(ops.Sub, _not_bool("Subtraction", self, other), reflected=True)

    def __mul__(self, other):
        """self * other, elementwise, broadcast (also ``x.mul(other)``).

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, 2.0])
        >>> x.mul(minitorch.tensor([3.0, 4.0])).tolist(), (2 * x).tolist()
        ([3.0, 8.0], [2.0, 4.0])
        """
        return self._binary(ops.Mul, other)

    def __rmul__(self, other):
        return self._binary(ops.Mul, other)  # as __radd__

    def __truediv__(self, other):
        """self / other, elementwise, broadcast (also ``x.div(other)``); integers divide to float32, as in PyTorch.

        >>> import minitorch
        >>> minitorch.tensor([1, 3]).div(2)
        tensor([0.5000, 1.5000])
        >>> (1 / minitorch.tensor([2.0, 4.0])).tolist()
        [0.5, 0.25]
        """
        return self._binary(ops.Div, other, floating=True)

    def __rtruediv__(self, other):
        if isinstance(other, (int, float)) and not isinstance(other, bool) and self._array.dtype.kind == "f":
            return self.reciprocal() * other  # PyTorch's number: 1 / self scaled (MulBackward0 of ReciprocalBackward0)
        return self._binary(ops.Div, other, reflected=True, floating=True)

    def div(self, other, *, rounding_mode=None):
        """self / other, elementwise; ``rounding_mode`` "trunc" rounds the quotient towards zero
        (C's integer division), "floor" rounds it down (``//``). Rounded quotients keep integer
        dtypes, and their gradient is 0.

        >>> import minitorch
        >>> x = minitorch.tensor([7, -7])
        >>> x.div(2), x.div(2, rounding_mode="trunc"), x.div(2, rounding_mode="floor")
        (tensor([ 3.5000, -3.5000]), tensor([ 3, -3]), tensor([ 3, -4]))
        """
        checks.choice("div", "rounding_mode", rounding_mode, (None, "trunc", "floor"), error=RuntimeError)
        if rounding_mode is None:
            return self._binary(ops.Div, other, floating=True)
        return self._binary(ops.TruncDivide if rounding_mode == "trunc" else ops.FloorDivide, other)

    def float_power(self, exponent):
        """self ** exponent computed in float64 (the result is float64 whatever the inputs' dtypes).

        >>> import minitorch
        >>> minitorch.tensor([2, 3]).float_power(2)
        tensor([4., 9.], dtype=minitorch.float64)
        """
        exponent = exponent.double() if isinstance(exponent, tensor_class()) else exponent
        return self.double()._binary(ops.Pow, exponent)

    def square(self):
        """self * self, elementwise (``pow(2)``; a bool tensor gives int64, as in PyTorch).

        >>> import minitorch
        >>> minitorch.tensor([-2, 3]).square()
        tensor([4, 9])
        """
        base = self.long() if self._array.dtype == np.bool_ else self
        return base._binary(ops.Pow, 2)

    @renamed(lambda self, other: "PowBackward1" if isinstance(other, tensor_class()) else None)
    def __pow__(self, other):
        """self ** other, elementwise, broadcasting (see ``pow``).

        >>> import minitorch
        >>> (minitorch.tensor([1.0, 2.0, 3.0]) ** 2).tolist()
        [1.0, 4.0, 9.0]
        """
        return self._binary(ops.Pow, _exponent(self, other))

    @renamed(lambda self, exponent: "PowBackward1" if isinstance(exponent, tensor_class()) else None)
    def pow(self, exponent):
        """self ** exponent, elementwise (``exponent`` a tensor or a number).

        >>> import minitorch
        >>> minitorch.tensor([1.0, 2.0, 3.0]).pow(2).tolist()
        [1.0, 4.0, 9.0]
        >>> minitorch.tensor([4.0, 9.0]).pow(0.5).tolist()
        [2.0, 3.0]
        """
        return self._binary(ops.Pow, _exponent(self, exponent))

    @renamed("PowBackward2")
    def __rpow__(self, other):
        return self._binary(ops.Pow, _not_bool("Power", self, other, both=True), reflected=True)

    def __matmul__(self, other):
        """The matrix product self @ other (also ``x.matmul(other)``): 1-D, 2-D, batched and broadcast, as ``torch.matmul``.

        >>> import minitorch
        >>> a = minitorch.tensor([[1.0, 2.0], [3.0, 4.0]])
        >>> a.matmul(minitorch.tensor([[1.0], [1.0]])).tolist()
        [[3.0], [7.0]]
        >>> (a @ minitorch.tensor([1.0, 0.0])).tolist()
        [1.0, 3.0]
        """
        out = self._binary(ops.MatMul, _matmul_operand(self, other))
        if out._node is not None:  # PyTorch's name for this call's node (inline: matmul is the hot path)
            out._node.shown_name = _MATMUL_NAMES.get((self.ndim, other.ndim), "UnsafeViewBackward0")
        return out

    def __rmatmul__(self, other):
        return self._binary(ops.MatMul, _matmul_operand(self, other), reflected=True)

    def __neg__(self):
        """-self, elementwise (also ``x.neg()``).

        >>> import minitorch
        >>> minitorch.tensor([1.0, -2.0]).neg().tolist()
        [-1.0, 2.0]
        """
        _not_bool("Negation", self)
        return ops.Neg.apply(self)

    def __pos__(self):
        """+self: self itself (also ``x.positive()``); refused on bool tensors, as in PyTorch.

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, -2.0])
        >>> (+x) is x, x.positive() is x
        (True, True)
        """
        if self._array.dtype == np.bool_:
            raise RuntimeError("The `+` operator, on a bool tensor is not supported (positive); use .long() first.")
        return self

    def conj(self):
        """The complex conjugate: minitorch has real dtypes only, so self itself (also ``resolve_conj``,
        ``resolve_neg``, ``real``), as PyTorch's on a real tensor.

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, -2.0])
        >>> x.conj() is x, x.real is x, x.is_conj()
        (True, True, False)
        """
        return self

    resolve_conj = resolve_neg = conj

    @property
    def real(self):
        """The real part: self itself (minitorch's dtypes are all real).

        >>> import minitorch
        >>> minitorch.tensor([1.5]).real.tolist()
        [1.5]
        """
        return self

    @property
    def imag(self):
        """The imaginary part: refused, as PyTorch refuses it for real dtypes (minitorch has no complex dtype).

        >>> import minitorch
        >>> minitorch.zeros(1).imag
        Traceback (most recent call last):
        RuntimeError: imag is not implemented for tensors with non-complex dtypes (minitorch has no complex dtypes; the imaginary part of a real tensor is zero: use zeros_like).
        """
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes (minitorch has no complex "
                           "dtypes; the imaginary part of a real tensor is zero: use zeros_like).")

    def is_conj(self):
        """False: no tensor here is a lazily conjugated view (there are no complex dtypes).

        >>> import minitorch
        >>> minitorch.zeros(1).is_conj()
        False
        """
        return False

    def is_neg(self):
        """False: no tensor here is a lazily negated view.

        >>> import minitorch
        >>> minitorch.zeros(1).is_neg()
        False
        """
        return False

    def is_complex(self):
        """False: minitorch has real dtypes only.

        >>> import minitorch
        >>> minitorch.zeros(1).is_complex()
        False
        """
        return False

    def __abs__(self):
        """|self|, elementwise (also ``x.abs()``); its gradient is sign(x), 0 at x = 0.

        >>> import minitorch
        >>> minitorch.tensor([-1, 2]).abs().tolist()
        [1, 2]
        >>> abs(minitorch.tensor([-1.5]))
        tensor([1.5000])
        """
        if self._array.dtype == np.bool_:
            raise TypeError("abs: not defined for bool tensors (as in PyTorch). Use .long() first.")
        return ops.Abs.apply(self)

    def add(self, other, *, alpha=1):
        """self + alpha * other, elementwise, broadcast (``alpha`` scales ``other`` first).

        >>> import minitorch
        >>> minitorch.tensor([1.0, 2.0]).add(minitorch.tensor([1.0, 1.0]), alpha=10)
        tensor([11., 12.])
        """
        return self._scaled(ops.Add, other, alpha, "AddBackward0")

    def sub(self, other, *, alpha=1):
        """self - alpha * other, elementwise, broadcast.

        >>> import minitorch
        >>> minitorch.tensor([1.0, 2.0]).sub(1.0, alpha=2)
        tensor([-1.,  0.])
        """
        return self._scaled(ops.Sub, _not_bool("Subtraction", self, other), alpha, "SubBackward0")

    def _scaled(self, fn, other, alpha, name):
        """``fn.apply(self, alpha * other)``: for a tensor ``other`` and alpha != 1 one node ``name``
        listing self and other, as PyTorch's add/sub with ``alpha``."""
        if alpha == 1:
            return self._binary(fn, other)
        if not isinstance(other, tensor_class()):
            return self._binary(fn, other * alpha)
        return composite(name, lambda a, b: a._binary(fn, b * alpha), self, other)

    mul = multiply = __mul__
    subtract = sub
    divide = div
    true_divide = __truediv__
    matmul = __matmul__
    neg = negative = __neg__
    positive = __pos__
    abs = absolute = __abs__
