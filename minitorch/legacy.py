"""PyTorch's legacy spellings, still common in teaching code: the typed constructors
``FloatTensor``, ``DoubleTensor``, ``LongTensor``, ``IntTensor``, ``ByteTensor``, ``BoolTensor``
(``minitorch.FloatTensor(2, 3)``, ``minitorch.LongTensor([1, 2])``, ``isinstance(x, FloatTensor)``)
and ``autograd.Variable`` (today just a tensor).
"""
import numbers

from . import dtypes
from .api import Size
from .creation import empty, tensor
from .tensor import Tensor


class _TypedTensor(type):
    """Metaclass of the legacy constructors: calling one makes a tensor of its dtype; ``isinstance``
    is True for CPU tensors of that dtype."""

    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj.dtype == cls.dtype and not obj.is_cuda

    def __call__(cls, *args, device=None):
        return legacy_new(cls.__name__, cls.dtype, args, device)


def legacy_new(name, dtype, args, device=None):
    """What PyTorch's legacy constructors make of their arguments: nothing, an empty tensor; ints or
    a ``Size``, an uninitialised tensor of that shape; one sequence, array or tensor, its values
    converted to ``dtype`` (a copy)."""
    if len(args) == 1 and isinstance(args[0], Size):
        args = tuple(args[0])
    if not args:
        args = (0,)
    if all(isinstance(a, numbers.Integral) and not isinstance(a, bool) for a in args):
        if any(a < 0 for a in args):
            raise RuntimeError(f"{name}(): Trying to create tensor with negative dimension "
                               f"{min(args)}: {list(args)}. Sizes must be >= 0.")
        return empty(*args, dtype=dtype, device=device)  # sizes, uninitialised as in PyTorch
    if len(args) != 1 or isinstance(args[0], (numbers.Number, str)):
        raise TypeError(f"{name}(): pass sizes (ints, e.g. {name}(2, 3)) or one sequence of values "
                        f"(e.g. {name}([1, 2])), got {args!r}.")
    data = args[0]
    return tensor(data.tolist() if isinstance(data, Tensor) else data, dtype=dtype, device=device)


def _typed(name, dtype, doc):
    return _TypedTensor(name, (), {"dtype": dtype, "__doc__": doc, "__module__": __name__})


FloatTensor = _typed("FloatTensor", dtypes.float32, """float32 tensors: ``FloatTensor(2, 3)`` (sizes, uninitialised)
or ``FloatTensor([1, 2])`` (values); ``isinstance(x, FloatTensor)`` tests the dtype.

>>> import minitorch
>>> minitorch.FloatTensor([1, 2]), isinstance(minitorch.zeros(2), minitorch.FloatTensor)
(tensor([1., 2.]), True)
""")
DoubleTensor = _typed("DoubleTensor", dtypes.float64, "float64 tensors, as ``FloatTensor``.")
LongTensor = _typed("LongTensor", dtypes.int64, """int64 tensors, as ``FloatTensor``.

>>> import minitorch
>>> minitorch.LongTensor([1, 2]).dtype
minitorch.int64
""")
IntTensor = _typed("IntTensor", dtypes.int32, "int32 tensors, as ``FloatTensor``.")
ByteTensor = _typed("ByteTensor", dtypes.uint8, "uint8 tensors, as ``FloatTensor``.")
BoolTensor = _typed("BoolTensor", dtypes.bool_, "bool tensors, as ``FloatTensor``.")


class _VariableType(type):
    """Metaclass of ``Variable``: every tensor is an instance, and calling it returns a tensor."""

    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor)

    def __call__(cls, data, requires_grad=False, volatile=False):
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}.")
        return data.detach().requires_grad_(requires_grad) if requires_grad else data.detach()


class Variable(metaclass=_VariableType):
    """PyTorch's deprecated wrapper from before tensors had autograd: ``Variable(t, requires_grad=True)``
    returns ``t``'s values as a new leaf tensor (``requires_grad`` as given; ``volatile`` is ignored),
    and every tensor counts as a Variable.

    >>> import minitorch
    >>> from minitorch.autograd import Variable
    >>> Variable(minitorch.ones(2), requires_grad=True)
    tensor([1., 1.], requires_grad=True)
    """


__all__ = ["FloatTensor", "DoubleTensor", "LongTensor", "IntTensor", "ByteTensor", "BoolTensor"]
