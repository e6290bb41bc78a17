"""A stand-in for cupy, to test how the engine treats GPU arrays on a machine without a GPU.

On a real GPU a "cuda" tensor holds a ``cupy.ndarray``. numpy's functions reach cupy through
numpy's dispatch protocols (``np.exp(x)`` calls ``x.__array_ufunc__``, ``np.where(c, x, y)``
calls ``x.__array_function__``), but much of numpy does not dispatch and fails on cupy:
``np.asarray(x)`` raises instead of copying to the host, ``np.zeros(shape)`` makes a *host*
array that cupy then refuses to mix with device arrays, and so on. This module mimics those
rules, so that the tests can run every op on "device" arrays and find the code that a GPU
would break, without a GPU.

``DeviceArray`` (exported as ``ndarray``, as in cupy) keeps its values in a numpy array
(``_host``) that stands for GPU memory, and behaves like cupy where the engine can tell:

- it is NOT an ``np.ndarray`` subclass: ``isinstance(x, np.ndarray)`` is False, and
  ``np.asarray(x)``, ``np.array(x)``, ``np.ascontiguousarray(x)`` raise TypeError (a subclass
  could not do this: numpy converts its subclasses without asking them);
- ufuncs (``np.exp(x)``, ``x + y``, ``np.add(x, y, out=x)``) and array functions
  (``np.where``, ``np.concatenate``, ``np.zeros_like``, ...) compute with numpy and return
  DeviceArrays, also for 0-d results (cupy never returns numpy scalars);
- an op that mixes it with a host ``np.ndarray`` raises TypeError, as cupy does: also a 0-d
  one (only Python scalars and numpy scalars such as ``np.float32(1)`` may be mixed in);
  only comparisons accept 0-d host arrays, index arrays may be host arrays (cupy copies
  them over), and ``x[...] = host`` works only for a 0-d host value (cupy: "non-scalar
  numpy.ndarray cannot be used for fill");
- ``np.add.at(x, index, v)`` works only with a single index array: numpy's dispatch hands a
  tuple index to cupy's ``__array_ufunc__``, which refuses it (``cupy.add.at`` itself, reached
  through this module, takes tuples);
- methods and reductions take cupy's keyword arguments, not numpy's extras (``x.max()`` has
  no ``initial=``, ``x.sum()`` no ``where=``); ``x.flags`` has no ``writeable`` (cupy arrays
  cannot be made read-only, so a broadcast view is writable memory);
- ``float(x)``, ``int(x)``, ``bool(x)``, ``x.item()``, ``x.tolist()``, ``x.get()`` and printing
  copy to the host, as in cupy; each such copy is counted in ``host_syncs``, so a test can
  check that a training step does not wait on the GPU behind the user's back.

The module itself plays the ``cupy`` namespace (the tests register it as ``sys.modules["cupy"]``):
``asarray``/``array`` copy host data to the "device", ``asnumpy`` copies back, and any other
numpy name (``zeros``, ``where``, ``add``, ``float32``, ...) is numpy's, run on device arrays.

Known gaps against real cupy: every numpy function is assumed to exist in cupy with numpy's
signature (only the reductions' keywords are checked); values are computed by numpy, so
rounding and the dtypes of mixed-type results follow numpy 2, not cupy's kernels; memory is
shared exactly as numpy shares it (a cupy view may differ in contiguity); there are no
streams, no asynchrony and no out-of-memory errors; numpy's floating-point warnings are
silenced (cupy has none).
"""
import math
import numbers
import types

import numpy as np
from numpy.lib.mixins import NDArrayOperatorsMixin

IMPLICIT_CONVERSION = (
    "Implicit conversion to a NumPy array is not allowed. Please use `.get()` to construct a "
    "NumPy array explicitly."
)

#: How many times values were copied back to the host (item, float, bool, get, asnumpy, ...).
host_syncs = 0

_PYTHON_SCALARS = (numbers.Number, np.generic)

#: Keyword arguments cupy's methods (and the functions of the same name) accept.
_REDUCTION_KEYWORDS = {
    "sum": {"axis", "dtype", "out", "keepdims"},
    "prod": {"axis", "dtype", "out", "keepdims"},
    "mean": {"axis", "dtype", "out", "keepdims"},
    "var": {"axis", "dtype", "out", "ddof", "keepdims"},
    "std": {"axis", "dtype", "out", "ddof", "keepdims"},
    "max": {"axis", "out", "keepdims"},
    "min": {"axis", "out", "keepdims"},
    "amax": {"axis", "out", "keepdims"},
    "amin": {"axis", "out", "keepdims"},
    "argmax": {"axis", "out", "dtype", "keepdims"},
    "argmin": {"axis", "out", "dtype", "keepdims"},
    "all": {"axis", "out", "keepdims"},
    "any": {"axis", "out", "keepdims"},
    "cumsum": {"axis", "dtype", "out"},
}

#: The ndarray methods and attributes of cupy that the double provides (cupy has a few more).
_METHODS = set(_REDUCTION_KEYWORDS) | {
    "astype", "reshape", "transpose", "swapaxes", "ravel", "flatten", "squeeze", "copy", "view",
    "clip", "take", "repeat", "nonzero", "round", "dot", "conj", "sort", "argsort", "diagonal",
    "trace", "cumprod", "fill",
}
_ATTRIBUTES = {"shape", "dtype", "ndim", "size", "strides", "itemsize", "nbytes", "T", "real", "imag"}

#: ufuncs whose ``at`` method cupy implements.
_AT_UFUNCS = {"add", "subtract", "maximum", "minimum", "bitwise_and", "bitwise_or", "bitwise_xor"}

#: Comparisons: cupy turns 0-d host arrays among their inputs into scalars.
_COMPARISONS = {"greater", "greater_equal", "less", "less_equal", "equal", "not_equal"}

#: Functions whose listed positional arguments may be host sequences (cupy only iterates them).
_HOST_SEQUENCE_ARGS = {"split": (1,), "array_split": (1,)}


def _sync():
    global host_syncs
    host_syncs += 1


class _Flags:
    """cupy's ``flags``: contiguity and ownership only (no ``writeable``)."""

    def __init__(self, host):
        self.c_contiguous = host.flags.c_contiguous
        self.f_contiguous = host.flags.f_contiguous
        self.owndata = host.flags.owndata


class _FlatIter:
    """cupy's ``flat``, for reading one element (``x.flat[0]``) as a 0-d device array."""

    def __init__(self, array):
        self._array = array

    def __getitem__(self, index):
        return _wrap(self._array._host.reshape(-1)[index])


class DeviceArray(NDArrayOperatorsMixin):
    """An array "on the GPU": its values sit in ``_host``, which numpy may not read implicitly."""

    __slots__ = ("_host",)
    __hash__ = None

    def __init__(self, host):
        if not isinstance(host, np.ndarray):
            raise TypeError(f"DeviceArray wraps a numpy array, got {type(host).__name__}")
        self._host = host

    # ----------------------------------------------------------- leaving the device
    def __array__(self, dtype=None, copy=None):
        raise TypeError(IMPLICIT_CONVERSION)

    def get(self):
        """A host copy (cupy's explicit device-to-host transfer)."""
        _sync()
        return self._host.copy()

    def item(self):
        _sync()
        return self._host.item()

    def tolist(self):
        _sync()
        return self._host.tolist()

    def __float__(self):
        _sync()
        return float(self._host)

    def __int__(self):
        _sync()
        return int(self._host)

    def __bool__(self):
        if self._host.size != 1:
            raise ValueError(
                "The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()"
            )
        _sync()
        return bool(self._host.reshape(()))

    def __repr__(self):
        _sync()
        return repr(self._host)

    def __str__(self):
        _sync()
        return str(self._host)

    def __format__(self, spec):
        _sync()
        return format(self._host.item() if self._host.ndim == 0 else self._host, spec)

    # ------------------------------------------------------------------ attributes
    def __getattr__(self, name):
        if name in _ATTRIBUTES:
            return _wrap(getattr(self._host, name))
        if name in _METHODS:
            return _device_call(getattr(self._host, name), name, method=True)
        raise AttributeError(f"the fake cupy.ndarray has no attribute {name!r} (nor, probably, has cupy's)")

    @property
    def flags(self):
        return _Flags(self._host)

    @property
    def base(self):
        base = self._host.base
        while base is not None and not isinstance(base, np.ndarray):  # numpy's as_strided: behind a DummyArray
            base = getattr(base, "base", None)
        return None if base is None else DeviceArray(base)

    @property
    def flat(self):
        return _FlatIter(self)

    @property
    def data(self):
        """cupy's ``MemoryPointer`` to the first element, as far as minitorch uses it: its ``ptr``."""
        return types.SimpleNamespace(ptr=self._host.__array_interface__["data"][0])

    def __len__(self):
        return len(self._host)

    def __iter__(self):
        if self._host.ndim == 0:
            raise TypeError("iteration over a 0-d array")
        return (self[i] for i in range(len(self._host)))

    def __copy__(self):
        return DeviceArray(self._host.copy())

    def __deepcopy__(self, memo):
        return DeviceArray(self._host.copy())

    # -------------------------------------------------------------------- indexing
    def __getitem__(self, index):
        return _wrap(self._host[_index(index)])

    def __setitem__(self, index, value):
        if isinstance(value, DeviceArray):
            value = value._host
        elif isinstance(value, np.ndarray):
            if value.ndim:
                raise ValueError("non-scalar numpy.ndarray cannot be used for fill")
            value = value.item()
        elif not isinstance(value, _PYTHON_SCALARS):
            raise TypeError(f"Unsupported type {type(value)}")
        self._host[_index(index)] = value

    # ------------------------------------------------------------ numpy's protocols
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        name = ufunc.__name__
        if method == "at":
            if name not in _AT_UFUNCS:
                raise TypeError(f"cupy.{name}.at is not implemented")
            target, index, *values = inputs
            if isinstance(index, tuple):
                raise TypeError(
                    f"numpy.{name}.at with a tuple index on a cupy array: cupy's __array_ufunc__ refuses "
                    f"it; call cupy.{name}.at (the array's own module) instead"
                )
            return _Ufunc(ufunc).at(target, index, *values)
        if method not in ("__call__", "reduce"):
            raise TypeError(f"the fake cupy has no ufunc.{method}")
        if not isinstance(getattr(np, name, None), np.ufunc):
            # cupy runs only its own ufuncs (cupy.<name>); a numba @vectorize ufunc is not one
            raise TypeError(f"operand type(s) all returned NotImplemented from __array_ufunc__"
                            f"({ufunc!r}, {method!r}, ...): cupy has no ufunc named {name!r}")
        if name in _COMPARISONS:
            inputs = tuple(x.item() if isinstance(x, np.ndarray) and x.ndim == 0 else x for x in inputs)
        return getattr(_Ufunc(ufunc), method)(*inputs, **kwargs)

    def __array_function__(self, func, types, args, kwargs):
        # cupy looks the function up under the same path in its own namespace
        # (numpy.lib.stride_tricks.sliding_window_view -> cupy.lib.stride_tricks....).
        path = func.__module__.split(".")[1:]
        if path and path not in _SUBMODULES:
            raise TypeError(f"the fake cupy has no {'.'.join(['cupy', *path, func.__name__])}")
        if func.__name__ in ("asarray", "array", "ascontiguousarray"):  # reached with like=
            return globals()[func.__name__](*args, **kwargs)
        return _device_call(func, func.__name__)(*args, **kwargs)


ndarray = DeviceArray


# --------------------------------------------------------------- unwrapping rules
def _host_array_error(where, array):
    return TypeError(
        f"{where}: got a host numpy.ndarray of shape {array.shape} among device (cupy) arrays. "
        f"cupy refuses to mix them (Unsupported type <class 'numpy.ndarray'>): create the array on "
        f"the device (xp.zeros(...), np.zeros_like(x, shape=...)) or pass a Python/numpy scalar."
    )


def _unwrap(value, where):
    """``value`` with DeviceArrays replaced by their host arrays; host ndarrays are an error."""
    if isinstance(value, DeviceArray):
        return value._host
    if isinstance(value, np.ndarray):
        raise _host_array_error(where, value)
    if isinstance(value, (list, tuple)):
        return type(value)(_unwrap(v, where) for v in value)
    return value


def _index(index):
    """An index for ``_host``: device index arrays unwrapped, host ones allowed (cupy copies them)."""
    if isinstance(index, DeviceArray):
        return index._host
    if isinstance(index, tuple):
        return tuple(i._host if isinstance(i, DeviceArray) else i for i in index)
    return index


def _wrap(value):
    """numpy's result as cupy's: arrays and numpy scalars become DeviceArrays."""
    if isinstance(value, np.ndarray):
        return DeviceArray(value)
    if isinstance(value, np.generic):
        return DeviceArray(np.asarray(value))
    if isinstance(value, tuple):
        return tuple(_wrap(v) for v in value)
    if isinstance(value, list):
        return [_wrap(v) for v in value]
    return value


def _device_call(fn, name, method=False):
    """``fn`` run on the host arrays behind its DeviceArray arguments, its result wrapped back."""
    where = f"{'ndarray.' if method else 'cupy.'}{name}"

    def call(*args, **kwargs):
        allowed = _REDUCTION_KEYWORDS.get(name)
        if allowed is not None and set(kwargs) - allowed:
            raise TypeError(f"{where}() got unexpected keyword argument(s) {sorted(set(kwargs) - allowed)} "
                            f"(cupy accepts {sorted(allowed)})")
        host_ok = _HOST_SEQUENCE_ARGS.get(name, ())
        args = [a if i in host_ok else _unwrap(a, where) for i, a in enumerate(args)]
        kwargs = {k: _unwrap(v, where) for k, v in kwargs.items()}
        with np.errstate(all="ignore"):
            result = fn(*args, **kwargs)
        return _wrap(result)

    return call


class _Ufunc:
    """A numpy ufunc as cupy's: device arrays and scalars in, device arrays out."""

    def __init__(self, ufunc):
        self.ufunc = ufunc
        self.__name__ = ufunc.__name__

    def _inputs(self, inputs):
        for x in inputs:
            if isinstance(x, np.ndarray):
                raise _host_array_error(f"cupy.{self.__name__}", x)
            if not isinstance(x, (DeviceArray, *_PYTHON_SCALARS)) and x is not None:
                raise TypeError(f"cupy.{self.__name__}: Unsupported type {type(x)}")
        return [x._host if isinstance(x, DeviceArray) else x for x in inputs]

    def _run(self, fn, inputs, kwargs):
        out = kwargs.get("out")
        if out is not None:
            outs = out if isinstance(out, tuple) else (out,)
            kwargs["out"] = tuple(self._inputs(outs))
        with np.errstate(all="ignore"):
            result = fn(*self._inputs(inputs), **kwargs)
        if out is not None:
            return out[0] if isinstance(out, tuple) and len(out) == 1 else out
        return _wrap(result)

    def __call__(self, *inputs, **kwargs):
        return self._run(self.ufunc, inputs, kwargs)

    def reduce(self, *inputs, **kwargs):
        return self._run(self.ufunc.reduce, inputs, kwargs)

    def at(self, target, index, *values):
        if not isinstance(target, DeviceArray):
            raise TypeError(f"cupy.{self.__name__}.at: the target must be a cupy array")
        with np.errstate(all="ignore"):
            self.ufunc.at(target._host, _index(index), *self._inputs(values))


# ------------------------------------------------------------ cupyx.scipy.special
def _host_erf(x):
    return np.vectorize(math.erf, otypes=[x.dtype])(x) if x.size else x.copy()


def _host_erfc(x):
    return np.vectorize(math.erfc, otypes=[x.dtype])(x) if x.size else x.copy()


def _host_erfinv(x):
    from minitorch.functions.special import erfinv  # the host version (cupy's is its own kernel)

    return erfinv(x)


#: stands for the module ``cupyx.scipy.special`` (the tests register it under that name)
linalg = types.ModuleType("cupy.linalg")  # as far as minitorch uses it
linalg.det = lambda a: _device_call(np.linalg.det, "cupy.linalg.det")(a)
linalg.inv = lambda a: _device_call(np.linalg.inv, "cupy.linalg.inv")(a)
for _name in ("cholesky", "eigh", "qr", "slogdet", "solve", "svd"):  # minitorch.linalg's, as cupy names them
    setattr(linalg, _name, _device_call(getattr(np.linalg, _name), f"linalg.{_name}"))

scipy_special = types.ModuleType("cupyx.scipy.special")
scipy_special.erf = lambda x: _device_call(_host_erf, "cupyx.scipy.special.erf")(x)
scipy_special.erfc = lambda x: _device_call(_host_erfc, "cupyx.scipy.special.erfc")(x)
scipy_special.erfinv = lambda x: _device_call(_host_erfinv, "cupyx.scipy.special.erfinv")(x)


# ------------------------------------------------------------ the cupy namespace
class _Stream:
    ptr = 0

    def synchronize(self):
        pass


#: numpy submodules whose array functions cupy mirrors (cupy >= 10), as far as minitorch uses them.
_SUBMODULES = [["lib", "stride_tricks"]]


def _as_strided(x, shape=None, strides=None):
    """``cupy.lib.stride_tricks.as_strided``: a view of ``x``'s memory with other sizes and strides (bytes).
    Its ``base`` is ``x`` here, as numpy's (cupy's has none: a chain of as_strided views ends at the last one there)."""
    return DeviceArray(np.lib.stride_tricks.as_strided(x._host, shape, strides))


lib = types.SimpleNamespace(stride_tricks=types.SimpleNamespace(as_strided=_as_strided))  # cupy.lib, as far as used


class cuda:  # noqa: N801  (cupy.cuda, as far as minitorch uses it)
    @staticmethod
    def get_current_stream():
        return _Stream()


def array(obj, dtype=None, copy=True, order="K", ndmin=0):
    """Host data (numpy array, list, scalar) or a device array, copied to the device."""
    host = obj._host if isinstance(obj, DeviceArray) else obj
    return DeviceArray(np.array(host, dtype=dtype, copy=copy, order=order, ndmin=ndmin))


def asarray(obj, dtype=None, order=None):
    """Like ``array`` but without a copy when ``obj`` already is a device array of that dtype."""
    if isinstance(obj, DeviceArray) and (dtype is None or np.dtype(dtype) == obj.dtype):
        return obj
    return array(obj, dtype=dtype, copy=False if isinstance(obj, DeviceArray) else True)


def ascontiguousarray(obj, dtype=None):
    return DeviceArray(np.ascontiguousarray(asarray(obj, dtype)._host))


def asnumpy(obj):
    """A host copy of a device array (host arrays are returned as they are)."""
    if isinstance(obj, DeviceArray):
        return obj.get()
    return np.asarray(obj)


def __getattr__(name):
    """Any other name: numpy's types and dtypes as they are, its functions run on device arrays."""
    try:
        value = getattr(np, name)
    except AttributeError:
        raise AttributeError(f"module 'cupy' (fake) has no attribute {name!r}") from None
    if isinstance(value, np.ufunc):
        return _Ufunc(value)
    if isinstance(value, type) or not callable(value):
        if type(value).__name__ == "module":
            raise AttributeError(f"the fake cupy has no submodule cupy.{name}")
        return value
    return _device_call(value, name)
