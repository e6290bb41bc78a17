"""Making tensors: ``tensor``, ``zeros``, ``ones``, ``full``, ``arange``, ``eye``, ``rand``, ``randn``, ...

Default dtypes follow PyTorch: Python floats give float32, Python ints int64,
bools bool; a numpy array keeps its dtype (so float64 stays float64).
"""
import numbers

import numpy as np

from . import checks, dtypes
from .device import check_device, move
from .random import rng
from .tensor import Tensor


def _new(array, requires_grad, device, op="tensor"):
    """Wrap a freshly made numpy array, moved to ``device``. Every constructor, random ones
    included, fills its values on the CPU first, so a seed gives the same numbers on every device."""
    device = check_device(device, op)
    if device != "cpu":
        array = move(array, device)
    t = Tensor._make(array, False, None, device)
    return t.requires_grad_(True) if requires_grad else t

def _float_dtype(op, dtype):
    """The numpy dtype of ``dtype`` (the default float dtype for None); a name is refused, as in PyTorch."""
    if isinstance(dtype, str):
        raise TypeError(f"{op}(): dtype must be a minitorch.dtype, got the string {dtype!r}; "
                        f"write dtype=minitorch.{dtype} instead.")
    return (dtypes.to_dtype(dtype) or dtypes.get_default_dtype()).np_dtype

def _range_dtype(op, dtype):
    """The numpy dtype of a range (arange, linspace, logspace); bool has none, as in PyTorch."""
    np_dtype = _float_dtype(op, dtype)
    if np_dtype == np.bool_:
        raise NotImplementedError(f'{op}(): a range of dtype bool is not defined; give a number dtype '
                                  f'(and compare, for a mask).')
    return np_dtype

def tensor(data, dtype=None, device=None, requires_grad=False):
    """A new tensor holding a copy of ``data``."""
    if isinstance(data, Tensor):
        data = data.detach().cpu()._array
    return _new(dtypes.as_array(data, dtype), requires_grad, device)

def as_tensor(data, dtype=None, device=None):
    """``data`` as a tensor, sharing memory where it can: a tensor or numpy array already of the
    right dtype and device is used as it is; anything else is copied (``tensor(data)``)."""
    if isinstance(data, Tensor):
        return data.to(dtype=dtype, device=device)
    if isinstance(data, np.ndarray) and check_device(device) == "cpu":
        return from_numpy(data).to(dtype=dtype)
    return tensor(data, dtype=dtype, device=device)

def from_numpy(array):
    """A tensor that shares memory with a numpy array (changes to one show in the other)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy expects a numpy.ndarray, got {type(array).__name__}.")
    dtypes.from_numpy_dtype(array.dtype)
    return Tensor._make(array, False, None)

def _shape(op, args, size):
    """The shape given as ``f(2, 3)``, ``f((2, 3))`` or ``f(size=(2, 3))``, checked."""
    if size is not None:
        if args:
            raise TypeError(f"{op}(): pass the size either positionally or as size=, not both.")
        args = (size,)
    shape = checks.sizes(op, args)
    if any(n < 0 for n in shape):
        raise RuntimeError(f"{op}(): trying to create a tensor with a negative dimension, size {shape}.")
    return shape

def _out(op, result, out):
    """``result``, or, with ``out=``, ``out`` given ``result``'s values (and shape), as PyTorch's ``out=``:
    cast to ``out``'s dtype where type promotion allows it (``add(ints, ints, out=floats)``), else an error."""
    if out is None:
        return result
    array = result._array
    if out.dtype != result.dtype:
        if not dtypes.can_cast(result.dtype, out.dtype):
            raise RuntimeError(f"{op}(): out= has dtype {out.dtype}, but the result has dtype {result.dtype}, which "
                               f"can't be cast to it (a float to an integer, or a number to bool); pass an out= "
                               f"tensor of dtype {result.dtype}.")
        array = array.astype(out.dtype.np_dtype)
    out._array = array if out._device == result._device else move(array, out._device)
    out._version[0] += 1
    return out

def _factory(op, fill, args, size, out, dtype, device, requires_grad):
    """What zeros/ones/empty/rand/randn share: ``fill(shape, np_dtype)`` wrapped as a new tensor
    (``layout=`` is accepted for PyTorch's sake: minitorch has only dense, strided tensors)."""
    array = fill(_shape(op, args, size), _float_dtype(op, dtype))
    return _out(op, _new(array, requires_grad, device, op), out)

def zeros(*args, size=None, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """A tensor of zeros of the given size (default dtype float32)."""
    return _factory("zeros", np.zeros, args, size, out, dtype, device, requires_grad)

def ones(*args, size=None, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """A tensor of ones of the given size (default dtype float32)."""
    return _factory("ones", np.ones, args, size, out, dtype, device, requires_grad)

def empty(*args, size=None, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """A tensor whose values are not to be relied on (minitorch fills zeros)."""
    return _factory("empty", np.zeros, args, size, out, dtype, device, requires_grad)

def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """A tensor of the given size filled with ``fill_value`` (its dtype follows the value's type)."""
    if dtype is None:
        dtype = dtypes.bool_ if isinstance(fill_value, bool) else (
            dtypes.int64 if isinstance(fill_value, (int, np.integer)) else dtypes.get_default_dtype()
        )
    if not isinstance(fill_value, (numbers.Number, np.bool_, Tensor)):
        raise TypeError(f"full(): fill_value must be a number, got {fill_value!r} of type {type(fill_value).__name__}.")
    array = np.full(_shape("full", (size,), None), fill_value, _float_dtype("full", dtype))
    return _out("full", _new(array, requires_grad, device), out)

def _like(t, dtype):
    return dtypes.to_dtype(dtype) or t.dtype

def _like_device(t, device):
    return t.device if device is None else device

def zeros_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    """Zeros of ``input``'s shape, dtype and device (unless given)."""
    return zeros(input.shape, dtype=_like(input, dtype), device=_like_device(input, device),
                 requires_grad=requires_grad)

def ones_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    """Ones of ``input``'s shape, dtype and device (unless given)."""
    return ones(input.shape, dtype=_like(input, dtype), device=_like_device(input, device),
                requires_grad=requires_grad)

def empty_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    """An uninitialised (here: zero) tensor of ``input``'s shape, dtype and device (unless given)."""
    return zeros_like(input, dtype=dtype, device=device, requires_grad=requires_grad)

def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    """``fill_value`` everywhere, in ``input``'s shape, dtype and device (unless given)."""
    return full(input.shape, fill_value, dtype=_like(input, dtype), device=_like_device(input, device),
                requires_grad=requires_grad)

def arange(start, end=None, step=1, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """Evenly spaced values in [start, end): integers give int64, any float gives float32."""
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("arange(): step must be nonzero, got step=0.")
    if (end - start) * step < 0:
        raise RuntimeError(f"arange(): upper bound and lower bound inconsistent with step sign "
                           f"(start={start}, end={end}, step={step}).")
    if dtype is None:
        is_int = all(isinstance(v, (int, np.integer)) for v in (start, end, step))
        dtype = dtypes.int64 if is_int else dtypes.get_default_dtype()
    array = np.arange(start, end, step).astype(_range_dtype("arange", dtype))
    return _out("arange", _new(array, requires_grad, device), out)

def _steps(op, steps):
    if not isinstance(steps, (int, np.integer)) or isinstance(steps, bool) or steps < 0:
        raise RuntimeError(f"{op}(): number of steps must be a non-negative integer, got {steps!r}.")
    return int(steps)

def linspace(start, end, steps, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """``steps`` evenly spaced values from ``start`` to ``end``, both included."""
    array = np.linspace(start, end, _steps("linspace", steps)).astype(_range_dtype("linspace", dtype))
    return _out("linspace", _new(array, requires_grad, device), out)

def logspace(start, end, steps, base=10.0, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    """``base ** linspace(start, end, steps)``: ``steps`` values evenly spaced on a log scale."""
    array = np.power(base, np.linspace(start, end, _steps("logspace", steps))).astype(_range_dtype("logspace", dtype))
    return _out("logspace", _new(array, requires_grad, device), out)

def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """An n x m (n x n) matrix with ones on the diagonal and zeros elsewhere."""
    for name, value in (("n", n), ("m", m)):
        if value is not None and (not isinstance(value, (int, np.integer)) or value < 0):
            raise RuntimeError(f"eye(): {name} must be a non-negative integer, got {value!r}.")
    return _out("eye", _new(np.eye(n, m, dtype=_float_dtype("eye", dtype)), requires_grad, device), out)

def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=False):
    """``obj`` as a tensor: shares memory when it can (``copy=None``), always copies with
    ``copy=True``, and refuses to copy with ``copy=False`` (a RuntimeError when it must)."""
    result = tensor(obj, dtype=dtype, device=device) if copy else as_tensor(obj, dtype=dtype, device=device)
    shares = isinstance(obj, (Tensor, np.ndarray)) and np.shares_memory(
        np.asarray(obj._array if isinstance(obj, Tensor) else obj), np.asarray(result._array))
    if copy is False and not shares:
        raise RuntimeError("asarray(): copy=False, but the input cannot be used without a copy "
                           "(another dtype or device, or not an array).")
    return result.requires_grad_(True) if requires_grad else result

def _check_float(op, dtype):
    dtype = dtypes.to_dtype(dtype)
    if dtype is not None and not dtype.is_floating_point:
        raise RuntimeError(f'{op}(): "{op}" is only defined for floating-point dtypes, got dtype={dtype}.')

def rand(*args, size=None, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """Uniform samples in [0, 1), from the seeded generator (see ``manual_seed``)."""
    _check_float("rand", dtype)
    fill = lambda shape, np_dtype: rng(generator).random(shape).astype(np_dtype)  # noqa: E731
    return _factory("rand", fill, args, size, out, dtype, device, requires_grad)

def randn(*args, size=None, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """Standard normal samples, from the seeded generator (see ``manual_seed``)."""
    _check_float("randn", dtype)
    fill = lambda shape, np_dtype: rng(generator).standard_normal(shape).astype(np_dtype)  # noqa: E731
    return _factory("randn", fill, args, size, out, dtype, device, requires_grad)

def rand_like(input, *, generator=None, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    """Uniform samples in [0, 1) of ``input``'s shape, dtype and device (unless given)."""
    return rand(input.shape, generator=generator, dtype=_like(input, dtype), device=_like_device(input, device),
                requires_grad=requires_grad)

def randn_like(input, *, generator=None, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    """Standard normal samples of ``input``'s shape, dtype and device (unless given)."""
    return randn(input.shape, generator=generator, dtype=_like(input, dtype), device=_like_device(input, device),
                 requires_grad=requires_grad)

def _integers(op, low, high, shape, generator, dtype):
    """Integers drawn uniformly from [low, high) as a numpy array of ``dtype`` (default int64)."""
    for name, value in (("low", low), ("high", high)):
        if not isinstance(value, (int, np.integer, float)) or isinstance(value, bool):
            raise TypeError(f"{op}(): {name} must be a number, got {value!r}.")
    if not low < high:
        raise RuntimeError(f"{op}(): expected low < high, but got low={low}, high={high}.")
    values = rng(generator).integers(int(low), int(high), size=shape)
    return values.astype(_float_dtype(op, dtype or dtypes.int64))

def randint(*args, low=None, high=None, size=None, generator=None, out=None, dtype=None, layout=None,
            device=None, requires_grad=False):
    """Random integers in [low, high): ``randint(high, size)`` or ``randint(low, high, size)``
    (int64 unless ``dtype`` says otherwise)."""
    args = [*args, *(v for v in (low, high) if v is not None)]
    if size is None and args and isinstance(args[-1], (tuple, list)):
        *args, size = args
    if size is None or len(args) not in (1, 2):
        raise TypeError("randint() expects randint(high, size) or randint(low, high, size), size a tuple of ints.")
    low, high = (0, *args) if len(args) == 1 else args
    array = _integers("randint", low, high, _shape("randint", (), size), generator, dtype)
    return _out("randint", _new(array, requires_grad, device), out)

def randint_like(input, *args, generator=None, dtype=None, layout=None, device=None, requires_grad=False,
                 memory_format=None):
    """Random integers in [low, high) (``randint_like(input, high)`` starts at 0), in ``input``'s
    shape, dtype and device (unless given)."""
    if len(args) not in (1, 2):
        raise TypeError("randint_like() expects randint_like(input, high) or randint_like(input, low, high).")
    low, high = (0, *args) if len(args) == 1 else args
    array = _integers("randint_like", low, high, tuple(input.shape), generator, _like(input, dtype))
    return _new(array, requires_grad, _like_device(input, device))

def randperm(n, *, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """A random permutation of 0..n-1 (int64 unless ``dtype`` says otherwise)."""
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 0:
        raise RuntimeError(f"randperm(): n must be a non-negative integer, got {n!r}.")
    array = rng(generator).permutation(int(n)).astype(_float_dtype("randperm", dtype or dtypes.int64))
    return _out("randperm", _new(array, requires_grad, device), out)
