"""Data types: thin, printable names over numpy's dtypes.

``minitorch.float32`` is the default for Python floats (as in PyTorch);
``float64`` is kept when the input already is float64 (a numpy array, say);
integer and boolean tensors hold labels, indices and masks.
"""
import builtins

import numpy as np


class DType:
    """A tensor's element type: ``minitorch.float32`` prints as such and wraps ``np.float32``."""

    __slots__ = ("name", "np_dtype", "is_floating_point")

    def __init__(self, name, np_dtype):
        self.name = name
        self.np_dtype = np.dtype(np_dtype)
        self.is_floating_point = self.np_dtype.kind == "f"

    def __repr__(self):
        return f"minitorch.{self.name}"

    def __reduce__(self):
        return (to_dtype, (self.name,))


float16 = DType("float16", np.float16)
float32 = DType("float32", np.float32)
float64 = DType("float64", np.float64)
int8 = DType("int8", np.int8)
uint8 = DType("uint8", np.uint8)
int16 = DType("int16", np.int16)
int32 = DType("int32", np.int32)
int64 = DType("int64", np.int64)
bool_ = DType("bool", np.bool_)

half, float, double, long, int = float16, float32, float64, int64, int32

_BY_NUMPY = {d.np_dtype: d for d in (float16, float32, float64, int8, uint8, int16, int32, int64, bool_)}
_BY_NAME = {d.name: d for d in _BY_NUMPY.values()}


def from_numpy_dtype(np_dtype):
    """The DType for a numpy dtype; raises a clear error for types minitorch does not support."""
    try:
        np_dtype = np.dtype(np_dtype)
        return _BY_NUMPY[np_dtype]
    except (KeyError, TypeError):  # TypeError: numpy does not know the name either ('foo')
        supported = ", ".join(sorted(_BY_NAME))
        raise TypeError(
            f"minitorch does not support dtype {np_dtype!s}; "
            f"supported dtypes are: {supported}. Convert with array.astype(...) first."
        ) from None


def to_dtype(dtype):
    """Accept a DType, a numpy dtype, a Python type or a name ('float32') and return a DType."""
    if dtype is None or isinstance(dtype, DType):
        return dtype
    if isinstance(dtype, str) and dtype in _BY_NAME:
        return _BY_NAME[dtype]
    python_types = {builtins.float: float32, builtins.int: int64, builtins.bool: bool_}
    if dtype in python_types:
        return python_types[dtype]
    return from_numpy_dtype(dtype)


def as_array(data, dtype=None):
    """``data`` (a numpy array, nested lists, a number) as a fresh numpy array of a supported dtype.

    A Tensor's callers pass its host array (``tensor(t)`` copies ``t``'s values).
    """
    dtype = to_dtype(dtype)
    if isinstance(data, (np.ndarray, np.generic)):
        array = np.array(data)
    else:
        try:
            array = np.array(data)
        except ValueError as e:
            raise ValueError(
                f"tensor(): cannot build a tensor from this {type(data).__name__}: nested lists must be "
                f"rectangular (every row the same length). numpy says: {e}"
            ) from None
        if array.dtype == np.float64 and dtype is None:  # with a dtype, keep every digit for it
            array = array.astype(np.float32)
        elif array.dtype.kind == "i":
            array = array.astype(np.int64)
    if array.dtype == object or array.dtype.kind in "USV":
        raise TypeError(
            f"tensor(): could not turn {type(data).__name__} into a numeric array "
            f"(got numpy dtype {array.dtype}). Nested lists must be rectangular and hold numbers."
        )
    if dtype is not None:
        array = array.astype(dtype.np_dtype, copy=False)
    from_numpy_dtype(array.dtype)  # raises a clear error for unsupported dtypes
    return array
