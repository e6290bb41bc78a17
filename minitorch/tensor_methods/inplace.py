"""In-place updates (``add_``, ``fill_``, ``x[i] = v``...): no graph node, the version counter bumps.

A mixin of ``minitorch.Tensor`` (``minitorch/tensor.py``): the methods check their arguments
(``minitorch.checks``) and call one op's ``Op.apply`` (``minitorch.functions``, here ``ops``).
"""
import numpy as np

from .. import dtypes
from ..autograd.function import tensor_class
from ..autograd.grad_mode import _GradMode, no_grad
from ..device import move
from ..functions import inplace
from ..functions.indexing import torch_steps
from ..random import rng
from .arithmetic import PYTHON_NUMBERS, _not_bool, result_type
from .shape import _unwrap_index


class InPlaceMethods:
    """In-place updates (``add_``, ``fill_``, ``x[i] = v``...): no graph node, the version counter bumps."""

    __slots__ = ()

    def _writable(self, op):
        """Check that ``op`` may change this tensor in place, and bump its version."""
        if self.requires_grad and _GradMode.enabled:
            what = "a leaf tensor that requires grad" if self._node is None else "a tensor in the graph"
            raise RuntimeError(
                f"{op}: cannot change {what} in place while gradients are recorded: backward would "
                f"use the wrong values. Write x = x + y instead of x += y, or wrap parameter updates "
                f"in `with minitorch.no_grad():`."
            )
        array = self._array
        # numpy marks broadcast views read-only; cupy has no such flag, so look for repeated elements
        # (an empty array has none, whatever its strides)
        broadcast = array.size > 0 and any(stride == 0 and size > 1 for stride, size in zip(array.strides, array.shape))
        if broadcast or not getattr(array.flags, "writeable", True):
            raise RuntimeError(
                f"{op}: this tensor is a read-only view (made by expand or broadcasting); call "
                f".clone() first to get a copy you can change."
            )
        self._version[0] += 1
        return array

    def _in_place(self, op, ufunc, other):
        array = self._writable(op)
        dtype = array.dtype  # a float tensor holds any result; for others, PyTorch's result dtype
        if dtype.kind != "f":
            dtype = result_type(self, other)
            dtype = dtypes.get_default_dtype().np_dtype if ufunc is np.true_divide else dtype
        inplace.combine(op, array, ufunc, other._array if isinstance(other, tensor_class()) else other, dtype)
        return self

    def add_(self, other, alpha=1):
        """self += alpha * other, in place (``other`` must broadcast to self's shape); returns self.

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, 2.0])
        >>> x.add_(minitorch.tensor([1.0, 1.0]), alpha=2).tolist()
        [3.0, 4.0]
        """
        return self._in_place("add_", np.add, other if alpha == 1 else other * alpha)

    def sub_(self, other, alpha=1):
        """self -= alpha * other, in place; returns self.

        >>> import minitorch
        >>> x = minitorch.tensor([1.0, 2.0])
        >>> x -= 1
        >>> x.tolist()
        [0.0, 1.0]
        """
        other = _not_bool("Subtraction", self, other if alpha == 1 else other * alpha)
        return self._in_place("sub_", np.subtract, other)

    def mul_(self, other):
        """self *= other, in place; returns self.

        >>> import minitorch
        >>> minitorch.tensor([1.0, 2.0]).mul_(3).tolist()
        [3.0, 6.0]
        """
        return self._in_place("mul_", np.multiply, other)

    def div_(self, other):
        """self /= other, in place; returns self.

        >>> import minitorch
        >>> minitorch.tensor([1.0, 2.0]).div_(2).tolist()
        [0.5, 1.0]
        """
        return self._in_place("div_", np.true_divide, other)

    __iadd__, __isub__, __imul__, __itruediv__ = add_, sub_, mul_, div_
    multiply_, subtract_ = mul_, sub_

    def _store(self, op, result):
        """Write ``result``, the out-of-place value of ``op`` on self, into self; returns self."""
        inplace.assign(op, self._writable(op), result._array)
        return self

    def _on_my_device(self, value):
        """``value`` (a Tensor on any device, a numpy array, nested lists) as an array on this
        tensor's device, to be written into it (cupy refuses host arrays there)."""
        if not isinstance(value, tensor_class()):
            value = tensor_class()._make(np.asarray(value), False, None)
        return value._array if value._device == self._device else move(value._array, self._device)

    def copy_(self, source):
        """Copy ``source``'s values (broadcast to this shape) in, from any device.

        >>> import minitorch
        >>> x = minitorch.zeros(2, 2)
        >>> x.copy_(minitorch.tensor([1.0, 2.0])).tolist()
        [[1.0, 2.0], [1.0, 2.0]]
        """
        self._writable("copy_")[...] = self._on_my_device(source)
        return self

    def _reshaped(self, op, view):
        """Make self ``view`` (a view of self's elements in another shape), in place; returns self."""
        self._writable(op)
        self._array = view(self)._array
        return self

    def unsqueeze_(self, dim):
        """In place: self becomes ``self.unsqueeze(dim)`` (a new dimension of size 1); returns self.

        >>> import minitorch
        >>> minitorch.zeros(2).unsqueeze_(0).shape
        minitorch.Size([1, 2])
        """
        return self._reshaped("unsqueeze_", lambda x: x.unsqueeze(dim))

    def squeeze_(self, dim=None):
        """In place: self becomes ``self.squeeze(dim)`` (size-1 dimensions dropped); returns self.

        >>> import minitorch
        >>> minitorch.zeros(1, 2, 1).squeeze_().shape
        minitorch.Size([2])
        """
        return self._reshaped("squeeze_", lambda x: x.squeeze() if dim is None else x.squeeze(dim))

    def t_(self):
        """In place: self becomes ``self.t()`` (a matrix transposed); returns self.

        >>> import minitorch
        >>> minitorch.zeros(2, 3).t_().shape
        minitorch.Size([3, 2])
        """
        return self._reshaped("t_", lambda x: x.t())

    def fill_(self, value):
        """Every element set to ``value``, in place; returns self.

        >>> import minitorch
        >>> minitorch.zeros(3).fill_(7).tolist()
        [7.0, 7.0, 7.0]
        """
        self._writable("fill_")[...] = value
        return self

    def zero_(self):
        """Every element set to 0, in place; returns self.

        >>> import minitorch
        >>> minitorch.ones(2).zero_().tolist()
        [0.0, 0.0]
        """
        return self.fill_(0)

    def clamp_(self, min=None, max=None):
        """Each element limited to [min, max], in place; returns self.

        >>> import minitorch
        >>> minitorch.tensor([-2.0, 0.5, 3.0]).clamp_(min=0.0).tolist()
        [0.0, 0.5, 3.0]
        """
        inplace.clamp(self._writable("clamp_"), min, max)
        return self

    def uniform_(self, a=0.0, b=1.0, generator=None):
        """Filled in place with draws from U(a, b) (``minitorch.manual_seed`` makes them repeatable).

        >>> import minitorch
        >>> x = minitorch.zeros(100).uniform_(-1.0, 1.0)
        >>> bool(((x >= -1) & (x < 1)).all())
        True
        """
        self._writable("uniform_")[...] = self._on_my_device(rng(generator).uniform(a, b, self.shape))
        return self

    def normal_(self, mean=0.0, std=1.0, generator=None):
        """Filled in place with draws from N(mean, std^2).

        >>> import minitorch
        >>> minitorch.zeros(2, 3).normal_(mean=0.0, std=0.02).shape
        minitorch.Size([2, 3])
        """
        self._writable("normal_")[...] = self._on_my_device(rng(generator).normal(mean, std, self.shape))
        return self

    def __setitem__(self, index, value):
        """In place: x[index] = value (a number, or values broadcast to the selection); bumps the version.

        >>> import minitorch
        >>> x = minitorch.zeros(2, 3)
        >>> x[0, 1:] = 5.0
        >>> x[1] = minitorch.tensor([1.0, 2.0, 3.0])
        >>> x.tolist()
        [[0.0, 5.0, 5.0], [1.0, 2.0, 3.0]]
        """
        if isinstance(value, tensor_class()) and value.requires_grad and _GradMode.enabled:
            raise RuntimeError(
                "__setitem__: assigning a tensor that requires grad into another tensor would cut it "
                "out of the graph (no gradient would reach it). Build the result with minitorch.cat, "
                "stack, where or masked_fill instead, or assign value.detach() if that is intended."
            )
        array = self._writable("__setitem__")
        if not isinstance(value, PYTHON_NUMBERS):
            value = self._on_my_device(value)
        *basic, last = torch_steps(_unwrap_index(index))  # PyTorch's placement of index arrays
        for step in basic:
            array = array[step]
        array[last] = value


#: The ops whose in-place form ``<name>_`` computes ``self.<name>(...)`` and writes it into self
#: (``x.floor_()``, ``x.bitwise_and_(y)``, ``x %= 3``), as PyTorch's in-place forms of them do; each
#: with the arguments of its doctested example (``x`` and ``y`` two tensors of the example's dtype).
IN_PLACE_FORMS = {
    **dict.fromkeys((
        "exp", "log", "sqrt", "rsqrt", "reciprocal", "square", "sin", "abs", "absolute", "neg", "negative",
        "tanh", "sigmoid", "log2", "log10", "log1p", "exp2", "expm1", "erf", "erfc", "erfinv", "nan_to_num",
        "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "arcsin", "arccos",
        "arctan", "arcsinh", "arccosh", "arctanh", "sinc", "deg2rad", "rad2deg", "floor", "ceil", "trunc",
        "fix", "round", "frac", "sign", "sgn",
    ), ""),
    **dict.fromkeys((
        "xlogy", "copysign", "divide", "true_divide", "atan2", "arctan2", "hypot", "heaviside", "fmod",
        "remainder", "floor_divide",
    ), "y"),
    "pow": "2", "lerp": "y, 0.5", "addcmul": "y, y", "addcdiv": "y, y",
    "masked_fill": "x > 1, 0.0", "index_add": "0, minitorch.tensor([1]), y[:1]",
    "index_fill": "0, minitorch.tensor([0]), -1.0",
    **dict.fromkeys(("bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_left_shift", "bitwise_right_shift"),
                    "y"),
    "bitwise_not": "",
}
_EXAMPLE_VALUES = {"float": "[0.5, 2.0]), minitorch.tensor([1.5, 3.0])", "int": "[5, 12]), minitorch.tensor([3, 2])"}


def _in_place_form(name, example_args):
    """``<name>_``: ``self.<name>(*args, **kwargs)`` computed without a graph node and written into self."""

    def method(self, *args, **kwargs):
        with no_grad():
            result = getattr(self, name)(*args, **kwargs)
        return self._store(f"{name}_", result)

    values = _EXAMPLE_VALUES["int" if name.startswith("bitwise") else "float"]
    method.__name__ = method.__qualname__ = f"{name}_"
    method.__doc__ = (
        f"In place: self = self.{name}(...), written into self (same shape, a dtype self can hold); "
        f"returns self. See ``{name}``.\n\n"
        f"        >>> import minitorch\n"
        f"        >>> x, y = minitorch.tensor({values}\n"
        f"        >>> expected = x.{name}({example_args})\n"
        f"        >>> x.{name}_({example_args}) is x, minitorch.allclose(x.double(), expected.double(), equal_nan=True)\n"
        f"        (True, True)\n"
    )
    return method


for _name, _args in IN_PLACE_FORMS.items():
    setattr(InPlaceMethods, f"{_name}_", _in_place_form(_name, _args))
del _name, _args
InPlaceMethods.__imod__ = InPlaceMethods.remainder_
InPlaceMethods.__ifloordiv__ = InPlaceMethods.floor_divide_
InPlaceMethods.__ipow__ = InPlaceMethods.pow_
InPlaceMethods.__iand__, InPlaceMethods.__ior__ = InPlaceMethods.bitwise_and_, InPlaceMethods.bitwise_or_
InPlaceMethods.__ixor__ = InPlaceMethods.bitwise_xor_
InPlaceMethods.__ilshift__ = InPlaceMethods.bitwise_left_shift_
InPlaceMethods.__irshift__ = InPlaceMethods.bitwise_right_shift_
