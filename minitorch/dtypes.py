"""Data types: thin, printable names over numpy's dtypes.

``minitorch.float32`` is the default for Python floats (as in PyTorch);
``float64`` is kept when the input already is float64 (a numpy array, say);
integer and boolean tensors hold labels, indices and masks.
"""
import builtins

import numpy as np

from . import checks


class DType:
    """A tensor's element type: ``minitorch.float32`` prints as such and wraps ``np.float32``.

    ``bfloat16`` and ``complex64`` exist as names (so that code mentioning them imports), but
    numpy has no bfloat16 and minitorch computes no complex numbers: using them as a tensor's
    dtype raises a TypeError that says so (``np_dtype`` is None for them).

    >>> import minitorch
    >>> minitorch.float16.itemsize, minitorch.float16.is_floating_point, minitorch.uint8.is_signed
    (2, True, False)
    """

    __slots__ = ("name", "np_dtype", "is_floating_point", "is_complex", "is_signed", "itemsize")

    def __init__(self, name, np_dtype, kind=None, itemsize=None):
        self.name = name
        self.np_dtype = None if np_dtype is None else np.dtype(np_dtype)
        kind = kind or self.np_dtype.kind
        self.is_floating_point = kind == "f"
        self.is_complex = kind == "c"
        self.is_signed = kind in "fic"
        self.itemsize = itemsize or self.np_dtype.itemsize

    def __repr__(self):
        return f"minitorch.{self.name}"

    def __reduce__(self):
        return (_named, (self.name,))


float16 = DType("float16", np.float16)
float32 = DType("float32", np.float32)
float64 = DType("float64", np.float64)
int8 = DType("int8", np.int8)
uint8 = DType("uint8", np.uint8)
int16 = DType("int16", np.int16)
int32 = DType("int32", np.int32)
int64 = DType("int64", np.int64)
bool_ = DType("bool", np.bool_)
bfloat16 = DType("bfloat16", None, kind="f", itemsize=2)
complex64 = DType("complex64", None, kind="c", itemsize=8)

half, float, double, long, int, short, cfloat = float16, float32, float64, int64, int32, int16, complex64

_BY_NUMPY = {d.np_dtype: d for d in (float16, float32, float64, int8, uint8, int16, int32, int64, bool_)}
_BY_NAME = {d.name: d for d in (*_BY_NUMPY.values(), bfloat16, complex64)}
_WHY_NOT = {
    "bfloat16": "numpy, which minitorch computes with, has no bfloat16; use minitorch.float32 "
                "(or float16 where half precision is wanted)",
    "complex64": "minitorch computes with real numbers only; keep real and imaginary parts in two "
                 "float32 tensors",
}


def _named(name):
    """The DType called ``name`` (how pickles rebuild one)."""
    return _BY_NAME[name]


class _Default:
    dtype = float32


def set_default_dtype(d):
    """Make Python floats and the float factories (``tensor([1.0])``, ``zeros``, ``rand``, ...) use
    ``d`` (float16, float32 or float64), as in PyTorch. The default is float32.

    >>> import minitorch
    >>> minitorch.set_default_dtype(minitorch.float64)
    >>> minitorch.tensor([1.0]).dtype
    minitorch.float64
    >>> minitorch.set_default_dtype(minitorch.float32)
    """
    d = to_dtype(d)
    if d is None or not d.is_floating_point:
        raise TypeError(f"set_default_dtype: only floating-point types can be the default, got {d!r}.")
    _Default.dtype = d


def get_default_dtype():
    """The dtype of Python floats and of the float factories (float32 unless ``set_default_dtype``).

    >>> import minitorch
    >>> minitorch.get_default_dtype()
    minitorch.float32
    """
    return _Default.dtype


def from_numpy_dtype(np_dtype):
    """The DType for a numpy dtype; raises a clear error for types minitorch does not support."""
    try:
        np_dtype = np.dtype(np_dtype)
        return _BY_NUMPY[np_dtype]
    except (KeyError, TypeError):  # TypeError: numpy does not know the name either ('foo')
        raise _unsupported(np_dtype, "Convert with array.astype(...) first.") from None


def _unsupported(name, advice):
    supported = ", ".join(sorted(d.name for d in _BY_NUMPY.values()))
    return TypeError(f"minitorch does not support dtype {name!s}; supported dtypes are: {supported}. {advice}")


def to_dtype(dtype):
    """Accept a DType, a numpy dtype, a Python type or a name ('float32') and return a DType."""
    if isinstance(dtype, str) and dtype in _BY_NAME:
        dtype = _BY_NAME[dtype]
    if dtype is None or isinstance(dtype, DType):
        if dtype is not None and dtype.np_dtype is None:
            raise _unsupported(dtype.name, f"({_WHY_NOT[dtype.name]}.)")
        return dtype
    python_types = {builtins.float: _Default.dtype, builtins.int: int64, builtins.bool: bool_}
    if dtype in python_types:
        return python_types[dtype]
    return from_numpy_dtype(dtype)


_LEGACY_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "bfloat16": "BFloat16", "int64": "Long",
                 "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


def legacy_type_name(dtype):
    """PyTorch's legacy type name of ``dtype``: ``FloatTensor`` for float32, ``LongTensor`` for int64."""
    return _LEGACY_NAMES[dtype.name] + "Tensor"


def from_legacy_type(kind):
    """The dtype a ``Tensor.type(...)`` argument names: a dtype, a legacy type (``FloatTensor``, which
    carries its ``dtype``) or its name (``"torch.cuda.DoubleTensor"``, ``"minitorch.LongTensor"``)."""
    if isinstance(kind, str) and kind.endswith("Tensor"):
        legacy = kind.rsplit(".", 1)[-1][:-len("Tensor")]
        names = {v: k for k, v in _LEGACY_NAMES.items()}
        if legacy not in names:
            raise ValueError(f"type: invalid type {kind!r}; use a dtype or a name such as 'torch.FloatTensor'.")
        return to_dtype(names[legacy])
    return to_dtype(getattr(kind, "dtype", kind) if isinstance(kind, type) else kind)


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
        # PyTorch's inference: a Python float is the default dtype, a Python int int64, a numpy
        # scalar (or array, or tensor) in the list its own dtype, all promoted together
        if array.dtype == np.float64 and dtype is None and not _holds_float64(data):
            array = array.astype(_Default.dtype.np_dtype)  # with a dtype, keep every digit for it
        elif array.dtype.kind == "i" and (dtype is not None or np.array(0).dtype != np.int64):
            array = array.astype(np.int64)  # numpy's own int is 32-bit on some platforms
    if array.dtype == object:
        _refuse_elements(array)
    if array.dtype == object or array.dtype.kind in "USV":
        held = " (it holds a str)" if array.dtype.kind == "U" else ""
        raise TypeError(
            f"tensor(): could not turn {type(data).__name__} into a numeric array{held} "
            f"(got numpy dtype {array.dtype}). Nested lists must be rectangular and hold numbers."
        )
    if dtype is not None:
        if dtype.np_dtype.kind in "iu" and array.dtype != dtype.np_dtype:
            checks.representable("tensor()", array, dtype.np_dtype)
        array = array.astype(dtype.np_dtype, copy=False)
    from_numpy_dtype(array.dtype)  # raises a clear error for unsupported dtypes
    return array


def _holds_float64(data):
    """Whether nested lists hold a float64 element of their own (a numpy float64 scalar or array,
    a float64 tensor): then, as in PyTorch, the tensor is float64 whatever the default dtype."""
    plain = {builtins.float, builtins.int, builtins.bool}
    stack = [data] if isinstance(data, (list, tuple)) else []
    while stack:
        items = stack.pop()
        if set(map(type, items)) <= plain:  # the common case, at C speed
            continue
        for item in items:
            if isinstance(item, (list, tuple)):
                stack.append(item)
            elif type(item) not in plain and np.asarray(item).dtype == np.float64:
                return True
    return False


def _refuse_elements(array):
    """PyTorch's error for a list element numpy keeps as an object: an int beyond 64 bits."""
    for item in array.flat:
        if isinstance(item, builtins.int) and not -2 ** 63 <= item < 2 ** 63:
            raise ValueError(f"tensor(): the integer {item} does not fit in 64 bits (int64 holds "
                             f"{-2 ** 63} to {2 ** 63 - 1}); use a float (e.g. {builtins.float(item):g}) instead.")


# ------------------------------------------------------------------- type promotion
def promote_types(type1, type2):
    """The smallest dtype that holds values of both (PyTorch's rule: a float type wins over any
    integer type, so int64 with float16 is float16).

    >>> import minitorch
    >>> minitorch.promote_types(minitorch.uint8, minitorch.int8), minitorch.promote_types(minitorch.int64, minitorch.float16)
    (minitorch.int16, minitorch.float16)
    """
    a, b = to_dtype(type1), to_dtype(type2)
    if a.is_floating_point != b.is_floating_point:
        return a if a.is_floating_point else b
    return _BY_NUMPY[np.promote_types(a.np_dtype, b.np_dtype)]


def _category(d):
    return 2 if d.is_floating_point else 0 if d is bool_ else 1


def _combine(higher, lower):
    """Join the dtypes of two priority groups: the higher group keeps its dtype unless the lower
    one is of a higher category (bool < integer < float)."""
    if higher is None or lower is None:
        return higher or lower
    return promote_types(higher, lower) if _category(lower) > _category(higher) else higher


def result_type(tensor, other):
    """The dtype of an arithmetic op on ``tensor`` and ``other`` (tensors or Python numbers), by
    PyTorch's rule: tensors with dimensions decide first, then 0-d tensors, then Python numbers,
    and a later group only matters if it is of a higher category (bool < integer < float).

    >>> import minitorch
    >>> minitorch.result_type(minitorch.tensor([1, 2]), 1.0), minitorch.result_type(minitorch.tensor([1], dtype=minitorch.uint8), -1)
    (minitorch.float32, minitorch.uint8)
    """
    return common_dtype(tensor, other)


def common_dtype(*values):
    """``result_type`` of any number of tensors and Python numbers (for cat, stack, where).

    >>> import minitorch
    >>> minitorch.dtypes.common_dtype(minitorch.ones(1), minitorch.tensor([1]), minitorch.tensor([True]))
    minitorch.float32
    """
    groups = [None, None, None]  # dimensioned tensors, 0-d tensors, Python numbers
    for value in values:
        if hasattr(value, "_array"):
            where, d = (0 if value._array.ndim else 1), from_numpy_dtype(value._array.dtype)
        elif isinstance(value, (builtins.bool, np.bool_)):
            where, d = 2, bool_
        elif isinstance(value, (builtins.int, np.integer)):
            where, d = 2, int64
        elif isinstance(value, (builtins.float, np.floating)):
            where, d = 2, _Default.dtype
        else:
            raise TypeError(f"result_type: expected tensors or Python numbers, got {type(value).__name__}.")
        groups[where] = d if groups[where] is None else promote_types(groups[where], d)
    return _combine(groups[0], _combine(groups[1], groups[2]))


def can_cast(from_, to):
    """Whether PyTorch's type promotion may turn ``from_`` into ``to`` in an op's output: it never
    narrows a category (float to integer, or a number to bool).

    >>> import minitorch
    >>> minitorch.can_cast(minitorch.float32, minitorch.int32), minitorch.can_cast(minitorch.int64, minitorch.int8)
    (False, True)
    """
    return _category(to_dtype(from_)) <= _category(to_dtype(to))


# ------------------------------------------------------------ limits of each dtype
def _limit_repr(info, names):
    fields = ", ".join(f"{n}={getattr(info, n):.6g}" for n in names)
    return f"{type(info).__name__}({fields}, dtype={info.dtype})"


class finfo:
    """Limits of a float dtype (default: the default dtype): ``bits``, ``eps`` (the gap above 1.0),
    ``max``, ``min``, ``tiny`` (= ``smallest_normal``), ``resolution``, ``dtype`` (its name).

    >>> import minitorch
    >>> f = minitorch.finfo(minitorch.float32)
    >>> f.bits, f.eps, f.dtype
    (32, 1.1920928955078125e-07, 'float32')
    """

    def __init__(self, type=None):
        d = _Default.dtype if type is None else to_dtype(type)
        if not d.is_floating_point:
            raise TypeError(f"finfo() requires a floating point dtype, got {d!r}; use minitorch.iinfo for it.")
        info = np.finfo(d.np_dtype)
        self.bits, self.dtype = info.bits, d.name
        self.eps, self.max, self.min = builtins.float(info.eps), builtins.float(info.max), builtins.float(info.min)
        self.tiny = self.smallest_normal = builtins.float(info.tiny)
        self.resolution = 10.0 ** -info.precision

    def __repr__(self):
        return _limit_repr(self, ("resolution", "min", "max", "eps", "smallest_normal", "tiny"))


class iinfo:
    """Limits of an integer dtype: ``bits``, ``max``, ``min``, ``dtype`` (its name).

    >>> import minitorch
    >>> i = minitorch.iinfo(minitorch.uint8)
    >>> i.bits, i.min, i.max
    (8, 0, 255)
    """

    def __init__(self, type):
        d = to_dtype(type)
        if d.np_dtype.kind not in "iu":
            raise TypeError(f"iinfo() requires an integer dtype, got {d!r}; use minitorch.finfo for it.")
        info = np.iinfo(d.np_dtype)
        self.bits, self.min, self.max, self.dtype = info.bits, builtins.int(info.min), builtins.int(info.max), d.name

    def __repr__(self):
        return _limit_repr(self, ("min", "max"))
