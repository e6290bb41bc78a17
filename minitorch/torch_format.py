"""PyTorch's checkpoint format, read and written without PyTorch and without running the file.

``torch.save`` writes a zip archive:

- ``<name>/data.pkl``: a pickle (protocol 2) of the object, in which each tensor is a call
  ``torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks)``, each
  parameter ``torch._utils._rebuild_parameter(tensor, requires_grad, hooks)``, and each storage a
  *persistent id* ``("storage", torch.FloatStorage, key, location, numel)``;
- ``<name>/data/<key>``: each storage's raw bytes, ``numel`` elements in the byte order named by
  ``<name>/byteorder``; ``<name>/version`` and ``<name>/.format_version`` hold format numbers.

**Reading** (``read``). A pickle names functions for its reader to call, so unpickling a hostile
file can run anything (``os.system``). Here the unpickler's ``find_class`` maps an allow-list of
names (``ALLOWED``) to objects of this module and refuses every other name with
``pickle.UnpicklingError`` naming it, as PyTorch's ``weights_only=True`` does. Further, while the
pickle is read nothing real is built: every object the file asks for is a placeholder
(``_Pending``) that records the request and refuses what pickle could otherwise do with it (set its
state, call it). Only after the whole pickle has been read does ``Builder`` turn placeholders into
tensors, numpy arrays and modules, with numpy, from checked bytes. A storage is read only as
declared: its member must hold exactly ``numel`` elements, and each tensor's view must lie inside it.

With ``weights_only=False`` the file may also name ``nn.Module`` subclasses (a whole model written
by ``save(model, f)``). Only classes already imported by the program count (the file never makes
Python import anything), and each is rebuilt as ``object.__new__(cls)`` plus its saved attributes:
neither ``__init__`` nor ``__setstate__`` runs, so loading never runs code that the file chose.
A layer's activation (``TransformerEncoderLayer``'s ``F.relu``) may be named too: the functions of
``minitorch.nn.functional``, as references that nothing calls while loading.

**Writing** (``writer``). The same names, emitted with ``pickle``'s Python pickler: tensors through
``reducer_override``, storages through ``persistent_id``, and torch's names as plain GLOBAL opcodes
(text in the file: torch is never imported). So ``torch.load(f, weights_only=True)`` reads a state
dict that minitorch saved, and minitorch reads the ones torch saved. As in PyTorch, tensors that
view the same memory (a tensor and its slices, transposes and ``view``s; tied weights) are written
as one storage, each with its offset and strides into it (``_Buffers``), and a storage is read into
one array that all its tensors view (``Builder.placed``): they load sharing memory, and a version
counter, so a change through one is seen through the others.

PyTorch's legacy (non-zip) format (``minitorch/torch_legacy_format.py``) holds the same pickle and
storages in a plain stream; it reuses ``Unpickler``, ``Builder`` and ``pickled`` from here.
"""
import io
import math
import pickle
import sys
import types
import zipfile
from collections import Counter, OrderedDict

import numpy as np

from .device import array_module, device, is_gpu_array, move
from .dtypes import DType, _BY_NAME
from .tensor import Tensor

# torch's typed-storage names and the numpy element type of each (None: numpy has no such type).
_STORAGES = {"Double": np.float64, "Float": np.float32, "Half": np.float16, "Long": np.int64, "Int": np.int32,
             "Short": np.int16, "Char": np.int8, "Byte": np.uint8, "Bool": np.bool_, "BFloat16": None,
             "ComplexFloat": None, "ComplexDouble": None}
_STORAGE_OF = {np.dtype(t): f"{name}Storage" for name, t in _STORAGES.items() if t is not None}


class CorruptFile(Exception):
    """A checkpoint that is damaged or does not follow its format (``load`` words it as a ValueError)."""


class MapLocationError(TypeError):
    """``load``'s ``map_location`` function returned something other than a storage."""


class Refused(pickle.UnpicklingError):
    """The file names a global, or asks for a call or a state, that loading never allows."""


def require(condition, what):
    """Raise ``CorruptFile(what)`` unless ``condition``."""
    if not condition:
        raise CorruptFile(what)


# ------------------------------------------------------------------------- placeholders
class _Pending:
    """Something the file asked for; ``Builder`` makes the real object once the pickle is read."""

    __slots__ = ()
    what = "value"

    def __setstate__(self, state):  # pickle's BUILD opcode
        raise Refused(f"the file sets the state of a {self.what}, which takes none")

    def build(self, builder):
        """The real object (``builder`` builds the parts)."""
        raise NotImplementedError


class _Call(_Pending):
    """A call the file asked for: ``make(builder, *built arguments)``, made after unpickling."""

    __slots__ = ("what", "make", "args")

    def __init__(self, what, make, args):
        self.what, self.make, self.args = what, make, args

    def build(self, builder):  # a storage goes to its tensor as it is (its array and location)
        return self.make(builder, *(a if isinstance(a, Storage) else builder.build(a) for a in self.args))


class _Allowed:
    """An allow-listed global. Calling it (pickle's REDUCE) only records a ``_Call``, except for a
    built-in container or number type (``set``, ``OrderedDict``, ``complex``): pickle fills those in
    place, so they are made at once, from arguments that can only be values or placeholders."""

    __slots__ = ("name", "make")

    def __init__(self, name, make):
        self.name, self.make = name, make

    def __call__(self, *args):
        if self.make is None:
            raise Refused(f"the file calls {self.name}, which is not a function")
        if isinstance(self.make, type):
            return self.make(*args)
        return _Call(self.name, self.make, args)

    def __setstate__(self, state):
        raise Refused(f"the file sets the state of {self.name}")


class _Constant(_Pending):
    """A global that stands for a value (``torch.float32``, a storage type)."""

    __slots__ = ("what", "value")

    def __init__(self, what, value):
        self.what, self.value = what, value

    def __call__(self, *args):  # pickle's REDUCE: refused with its name (torch.float32(...), F.relu(...))
        raise Refused(f"the file calls {self.what}, which loading never calls")

    def build(self, builder):
        require(not isinstance(self.value, _StorageType), f"{self.what} appears outside a storage reference")
        return self.value


class _StorageType:
    __slots__ = ("name", "dtype")

    def __init__(self, name, dtype):
        self.name, self.dtype = name, dtype


class Storage(_Pending):
    """A storage the file refers to: ``numel`` elements of ``dtype``, saved on ``location``; its flat
    ``array`` is read from the archive (a legacy file's, once the pickle is read: None until then)."""

    __slots__ = ("dtype", "numel", "location", "array")
    what = "storage"

    def __init__(self, dtype, numel, location, array=None):
        self.dtype, self.numel, self.location, self.array = dtype, numel, location, array

    def build(self, builder):  # a bare storage (torch.save(t.untyped_storage())): a flat tensor
        return builder.placed(self)


class _NumpyDType(_Pending):
    """``numpy.dtype(spec, align, copy)`` and its BUILD state (the byte order); numeric types only."""

    __slots__ = ("dtype",)
    what = "numpy dtype"

    def __init__(self, spec, align=False, copy=True):
        require(isinstance(spec, str) and len(spec) <= 3, f"numpy.dtype({spec!r}) is not a numeric type")
        try:
            self.dtype = np.dtype(spec)
        except TypeError:
            raise CorruptFile(f"numpy.dtype({spec!r}) is not a numpy type") from None
        require(self.dtype.kind in "biufc", f"numpy.dtype({spec!r}) is not a numeric type")

    def __setstate__(self, state):
        require(isinstance(state, tuple) and len(state) == 8 and state[1] in "<>|=" and state[2:5] == (None,) * 3,
                f"numpy dtype state {state!r} describes a structured type")
        self.dtype = self.dtype.newbyteorder(state[1])

    def build(self, builder):
        return self.dtype


class _NumpyArray(_Pending):
    """``numpy.core.multiarray._reconstruct(ndarray, (0,), b'b')`` plus its BUILD state (the bytes)."""

    __slots__ = ("state",)
    what = "numpy array"

    def __init__(self, subtype, shape, typecode):
        if subtype is not _NDARRAY:
            raise Refused("numpy's _reconstruct is asked for something other than an ndarray")

    def __setstate__(self, state):
        require(isinstance(state, tuple) and len(state) == 5, "a numpy array's state is malformed")
        self.state = state

    def build(self, builder):
        require(hasattr(self, "state"), "a numpy array has no data")
        _, shape, dtype, fortran, data = builder.build(self.state)
        require(isinstance(dtype, np.dtype) and _is_shape(shape) and isinstance(data, bytes),
                "a numpy array's state is malformed")
        require(len(data) == math.prod(shape) * dtype.itemsize,
                f"a numpy array of shape {shape} and {dtype} holds {len(data)} bytes")
        array = np.frombuffer(data, dtype).reshape(shape, order="F" if fortran else "C")
        return array.astype(dtype.newbyteorder("="))  # a writable copy in native order


class _PendingModule(_Pending):
    """An ``nn.Module`` subclass's instance: made by ``object.__new__``, given its saved attributes."""

    __slots__ = ("state",)
    cls = None

    def __new__(klass, *args):
        if args:
            raise Refused(f"the file passes arguments to {_name(klass.cls)}.__new__")
        return super().__new__(klass)

    def __setstate__(self, state):
        if not (isinstance(state, dict) and all(isinstance(k, str) for k in state)):
            raise Refused(f"the saved state of a {_name(self.cls)} is not a dict of attributes")
        self.state = state

    def build(self, builder):
        module = object.__new__(self.cls)
        builder.memo[id(self)] = module
        vars(module).update({k: builder.build(v) for k, v in getattr(self, "state", {}).items()})
        return module


_PLACEHOLDERS = {}


def _placeholder(cls):
    """The placeholder class that stands for module class ``cls`` while the pickle is read."""
    if cls not in _PLACEHOLDERS:
        _PLACEHOLDERS[cls] = type(f"Pending{cls.__name__}", (_PendingModule,), {"__slots__": (), "cls": cls})
    return _PLACEHOLDERS[cls]


def is_module_class(obj):
    """Whether ``obj`` stands for an ``nn.Module`` subclass that the file names (weights_only=False)."""
    return isinstance(obj, type) and issubclass(obj, _PendingModule)


def _name(cls):
    return f"{cls.__module__}.{cls.__qualname__}"


def _is_shape(shape):
    return isinstance(shape, tuple) and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape)


# ------------------------------------------------------------------------- what a file may name
def _rebuild_tensor(builder, storage, offset, size, stride, requires_grad=False, hooks=None, metadata=None):
    require(isinstance(storage, Storage), "a tensor's storage is not a storage reference")
    require(_is_shape(size) and _is_shape(stride) and len(size) == len(stride) and isinstance(offset, int)
            and offset >= 0, f"a tensor has a malformed offset, size or stride ({offset}, {size}, {stride})")
    require(not hooks, "a tensor carries backward hooks (functions), which are never loaded")
    last = offset + sum((n - 1) * s for n, s in zip(size, stride))
    require(math.prod(size) == 0 or last < storage.numel, f"a tensor of size {size}, stride {stride} and offset "
            f"{offset} reaches past its storage of {storage.numel} elements")
    flat = builder.placed(storage)  # every tensor of one storage views the same memory, as in PyTorch
    array = flat._array
    strided = array_module(array).lib.stride_tricks.as_strided
    view = strided(array[offset:], size, tuple(s * array.itemsize for s in stride))
    tensor = Tensor._make(view, False, None, flat._device)
    tensor._version = flat._version  # a change through one is a change of all (saved values refuse backward)
    return tensor.requires_grad_(True) if requires_grad is True and tensor.is_floating_point() else tensor


def _rebuild_parameter(builder, data, requires_grad, hooks, state=None):
    from .nn.parameter import Parameter  # nn sits above this module
    require(isinstance(data, Tensor) and not hooks and not state, "a parameter is malformed")
    return Parameter(data, requires_grad=requires_grad is True)


def _size(builder, sizes=()):
    require(_is_shape(tuple(sizes)), f"torch.Size({sizes!r}) is not a shape")
    return tuple(sizes)


def _device(builder, kind, index=None):
    return device(kind if index is None else f"{kind}:{index}")


def _encode(builder, text, encoding="latin1"):
    require(isinstance(text, str) and encoding in ("latin1", "latin-1"), "_codecs.encode is used for bytes only")
    return text.encode("latin1")


def _numpy_scalar(builder, dtype, data):
    require(isinstance(dtype, np.dtype) and isinstance(data, bytes) and len(data) == dtype.itemsize,
            "a numpy scalar is malformed")
    return np.frombuffer(data, dtype)[0]


_NDARRAY = _Allowed("numpy.ndarray", None)
ALLOWED = {
    "torch._utils._rebuild_tensor": _Allowed("torch._utils._rebuild_tensor", _rebuild_tensor),
    "torch._utils._rebuild_tensor_v2": _Allowed("torch._utils._rebuild_tensor_v2", _rebuild_tensor),
    "torch._utils._rebuild_parameter": _Allowed("torch._utils._rebuild_parameter", _rebuild_parameter),
    "torch._utils._rebuild_parameter_with_state": _Allowed("torch._utils._rebuild_parameter_with_state",
                                                           _rebuild_parameter),
    "torch.Size": _Allowed("torch.Size", _size),
    "torch.device": _Allowed("torch.device", _device),
    "_codecs.encode": _Allowed("_codecs.encode", _encode),
    "numpy.ndarray": _NDARRAY,
    "numpy.dtype": _NumpyDType,
    **{f"builtins.{k.__name__}": _Allowed(f"builtins.{k.__name__}", k) for k in (set, frozenset, complex)},
    **{f"collections.{k.__name__}": _Allowed(f"collections.{k.__name__}", k) for k in (OrderedDict, Counter)},
    **{f"torch.{name}": _Constant(f"torch.{name}", dtype) for name, dtype in _BY_NAME.items()},
}
for _core in ("numpy.core.multiarray", "numpy._core.multiarray"):
    ALLOWED[f"{_core}._reconstruct"] = _NumpyArray
    ALLOWED[f"{_core}.scalar"] = _Allowed(f"{_core}.scalar", _numpy_scalar)
for _kind, _dtype in _STORAGES.items():
    for _where in ("torch", "torch.cuda"):
        ALLOWED[f"{_where}.{_kind}Storage"] = _Constant(f"{_where}.{_kind}Storage",
                                                         _StorageType(f"torch.{_kind}Storage", _dtype))
for _untyped in ("torch.UntypedStorage", "torch.storage.UntypedStorage"):
    ALLOWED[_untyped] = _Constant(_untyped, _StorageType(_untyped, np.uint8))


# ------------------------------------------------------------------------- read
class Builder:
    """Turns the unpickled tree of placeholders into real objects, each shared one once."""

    def __init__(self, place):
        self.place, self.memo, self.storages = place, {}, {}

    def placed(self, storage):
        """``storage`` as a flat tensor where ``place`` puts it: made once, so that the tensors
        viewing it share its memory (PyTorch's ``map_location`` is also called once per storage)."""
        if id(storage) not in self.storages:
            require(storage.array is not None, "a storage's data is missing")
            flat = self.place(Tensor._make(storage.array, False, None), storage.location)
            if not (isinstance(flat, Tensor) and flat.shape == storage.array.shape
                    and flat.dtype.np_dtype == storage.dtype and flat._array.flags.c_contiguous):
                raise MapLocationError(f"minitorch.load: map_location's function returned {type(flat).__name__} for a "
                                f"storage (a flat tensor of {storage.numel} elements): return the tensor it was "
                                f"given, or it moved to a device (storage.cuda(), storage.to('cpu')).")
            self.storages[id(storage)] = flat
        return self.storages[id(storage)]

    def build(self, obj):
        if obj is None or isinstance(obj, (bool, int, float, complex, str, bytes, np.generic)):
            return obj
        if id(obj) in self.memo:
            return self.memo[id(obj)]
        if isinstance(obj, _Pending):
            result = obj.build(self)
        elif is_module_class(obj):
            result = obj.cls
        elif isinstance(obj, list):
            result = self.memo[id(obj)] = []
            result.extend(self.build(v) for v in obj)
        elif isinstance(obj, dict):  # dict, OrderedDict, Counter: the same type, its attributes too
            result = self.memo[id(obj)] = type(obj)()
            result.update((self.build(k), self.build(v)) for k, v in obj.items())
            if hasattr(obj, "__dict__"):  # torch's state dicts carry a _metadata attribute
                vars(result).update((k, self.build(v)) for k, v in vars(obj).items())
        elif isinstance(obj, (tuple, set, frozenset)):
            result = type(obj)(self.build(v) for v in obj)
        else:
            raise CorruptFile(f"it holds a {type(obj).__name__} where a value was expected")
        self.memo[id(obj)] = result
        return result


class Unpickler(pickle.Unpickler):
    """Reads a checkpoint's pickle: names only from ``ALLOWED`` (and imported modules' classes if
    ``weights_only`` is False); ``storage`` turns a storage reference into a ``Storage``, whose data
    ``read_storage`` (of the subclass, one per format) reads as declared."""

    def __init__(self, file, weights_only):
        super().__init__(file)
        self.weights_only, self.storages = weights_only, {}

    def find_class(self, module, name):
        module = "builtins" if module == "__builtin__" else module  # Python 2's name, in protocol 2
        full = f"{module}.{name}"
        if full in ALLOWED:
            return ALLOWED[full]
        found = None if self.weights_only else _imported_global(module, name)
        if found is not None:
            return found
        raise Refused(_refusal(full, self.weights_only))

    def storage(self, pid, kind, key, location, numel):
        """The ``Storage`` that reference ``pid`` (of a ``kind`` such as ``torch.FloatStorage``) names."""
        kind = kind.value if isinstance(kind, _Constant) else kind
        require(isinstance(kind, _StorageType) and isinstance(key, str) and isinstance(location, str)
                and isinstance(numel, int) and numel >= 0, f"malformed storage reference {pid!r}")
        require(kind.dtype is not None, f"it holds a {kind.name}, whose element type numpy (and so minitorch) "
                "lacks; convert the tensors in PyTorch (.float()) and save them again")
        if key not in self.storages:
            array = self.read_storage(key, np.dtype(kind.dtype), numel)
            self.storages[key] = Storage(kind.dtype, numel, location, array)
        storage = self.storages[key]
        require(storage.numel == numel and storage.dtype == kind.dtype,
                f"storage {key!r} is declared twice, differently")
        return storage

    def read_storage(self, key, dtype, numel):
        """The flat array of storage ``key``, or None if the format gives it after the pickle."""
        raise NotImplementedError


class _ZipUnpickler(Unpickler):
    """Reads ``data.pkl`` of a zip checkpoint, and each storage from ``<prefix>data/<key>``."""

    def __init__(self, file, archive, prefix, weights_only):
        super().__init__(file, weights_only)
        self.archive, self.prefix = archive, prefix
        order = archive.read(prefix + "byteorder").decode() if prefix + "byteorder" in archive.namelist() else "little"
        require(order in ("little", "big"), f"its byteorder record says {order!r}")
        self.order = "<" if order == "little" else ">"

    def persistent_load(self, pid):
        require(isinstance(pid, tuple) and len(pid) == 5 and pid[0] == "storage", f"unknown reference {pid!r}")
        return self.storage(pid, *pid[1:])

    def read_storage(self, key, dtype, numel):
        member = f"{self.prefix}data/{key}"
        try:
            size = self.archive.getinfo(member).file_size
        except KeyError:
            raise CorruptFile(f"it refers to a missing storage {member!r}") from None
        require(size == numel * dtype.itemsize, f"storage {member!r} holds {size} bytes, but is declared as "
                f"{numel} elements of {dtype} ({numel * dtype.itemsize} bytes)")
        data = self.archive.read(member)
        return np.frombuffer(data, dtype.newbyteorder(self.order)).astype(dtype)  # own, native, writable


def _imported_global(module, name):
    """For ``weights_only=False``: the placeholder of class ``module.name`` if ``module`` is already
    imported and the class is an ``nn.Module`` subclass, or a function of ``minitorch.nn.functional``
    (a layer's ``activation``) as a value, never callable while the file is read; else None.
    Found by dictionary look-ups only (no import, no ``__getattr__``)."""
    from .nn.module import Module  # nn sits above this module
    obj = sys.modules.get(module)
    for part in name.split("."):
        obj = vars(obj).get(part) if hasattr(obj, "__dict__") else None
    if isinstance(obj, type) and issubclass(obj, Module):
        return _placeholder(obj)
    if isinstance(obj, types.FunctionType) and module.startswith("minitorch.nn.functional"):
        return _Constant(f"{module}.{name}", obj)
    return None


def _refusal(full, weights_only):
    if weights_only:
        return (f"Weights only load failed: the file asks for GLOBAL {full}, which is not an allowed global "
                f"(weights_only=True loads tensors, numbers, strings and containers of them). If the file "
                f"holds a whole model saved with save(model, f) and you trust its source, load it with "
                f"weights_only=False: minitorch then also rebuilds nn.Module subclasses that the program has "
                f"already imported, without running code from the file.")
    if full.startswith("torch."):
        return (f"the file asks for GLOBAL {full}, a PyTorch class: it holds a whole PyTorch object, "
                f"which minitorch cannot rebuild. In PyTorch, save model.state_dict() instead and load "
                f"that into the matching minitorch model.")
    return (f"the file asks for GLOBAL {full}, which minitorch never loads: even with weights_only=False "
            f"only nn.Module subclasses already imported by the program, minitorch.nn.functional's "
            f"functions, tensors, numbers, strings and containers are rebuilt, so that loading cannot run code from the file. Import the "
            f"module that defines the model first if it is one.")


def prefix_of(archive):
    """The folder holding ``data.pkl`` if ``archive`` is PyTorch's format, else None."""
    pickles = [n for n in archive.namelist() if n.endswith("data.pkl") and n.count("/") == 1]
    return pickles[0][: -len("data.pkl")] if len(pickles) == 1 else None


def read(archive, prefix, place, weights_only):
    """The object in PyTorch-format ``archive`` (a ``zipfile.ZipFile``), its tensors put where
    ``place(tensor, saved location)`` says."""
    with archive.open(prefix + "data.pkl") as file:
        tree = _ZipUnpickler(file, archive, prefix, weights_only).load()
    return Builder(place).build(tree)


# ------------------------------------------------------------------------- write
class _TorchName:
    """A name of PyTorch's, written as a pickle GLOBAL opcode."""

    def __init__(self, module, name):
        self.module, self.name = module, name

    def __call__(self, *args):  # pickle wants a callable here; only its name is written
        raise TypeError(f"{self.module}.{self.name} is a name in a file, not a function")


_NAMES = {}


def _torch(module, name):
    return _NAMES.setdefault((module, name), _TorchName(module, name))


class _StorageOut:
    """A storage to write: ``array`` (flat, on the tensors' device) under ``key``; ``location`` is
    where it was ("cpu", "cuda:0")."""

    def __init__(self, key, array, location):
        self.key, self.array, self.location = key, array, location

    def host_bytes(self, order="="):
        """The elements as bytes, in byte order ``order`` ("=" native, "<" little-endian)."""
        array = self.array if isinstance(self.array, np.ndarray) else move(self.array, "cpu")
        return array.astype(array.dtype.newbyteorder(order), copy=False).tobytes()


def _address(array):
    return array.__array_interface__["data"][0] if isinstance(array, np.ndarray) else array.data.ptr


def _layout(array):
    """``(root, buffer, offset, strides)``: the array that owns the memory ``array`` views, that
    memory flat in its element type, and where ``array`` lies in it (in elements); None if
    PyTorch's (offset, size, stride) cannot describe it there (negative strides, another element
    type, an empty array, a buffer that is not one contiguous block)."""
    root = obj = array
    while getattr(obj, "base", None) is not None:  # through numpy's as_strided helper objects too
        obj = obj.base
        root = obj if isinstance(obj, array_module(array).ndarray) else root
    size = array.itemsize
    delta = _address(array) - _address(root)
    if (array.size == 0 or root.dtype != array.dtype or not (root.flags.c_contiguous or root.flags.f_contiguous)
            or delta < 0 or delta % size or any(s < 0 or s % size for s in array.strides)):
        return None
    buffer = (root if root.flags.c_contiguous else root.T).reshape(-1)  # memory order, no copy
    offset, strides = delta // size, tuple(s // size for s in array.strides)
    if offset + sum((n - 1) * s for n, s in zip(array.shape, strides)) >= buffer.size:
        return None
    return root, buffer, offset, strides


class _Buffers:
    """One storage per memory buffer, as ``torch.save`` writes one per storage: a tensor and its
    views (a slice, a transpose, tied weights) are written once and load sharing memory again.

    The file is pickled twice: the first pass (``planning``) sees every tensor and widens, for each
    buffer, the span of elements that the saved tensors use; the second writes that span as the
    storage (a slice of a large array saves only what the saved tensors reach, unlike PyTorch), each
    tensor as an offset and strides into it. A tensor it cannot describe so gets a copy of its own."""

    def __init__(self):
        self.planning, self.spans, self.storages, self.made = True, {}, [], {}

    def place(self, array, location):
        """``(storage, offset, strides)`` for a tensor whose array is ``array``."""
        layout = _layout(array)
        if layout is None:  # a contiguous copy, one per array object (the spans keep both alive)
            key = ("copy", id(array))
            copy = self.spans[key][0] if key in self.spans else array.copy().reshape(-1)
            buffer, offset, strides = copy, 0, _contiguous_strides(array.shape)
        else:
            root, buffer, offset, strides = layout
            key = id(root)  # the buffer (a view of root) keeps root alive, so its id stays its own
        end = offset + sum((n - 1) * s for n, s in zip(array.shape, strides)) + 1 if array.size else offset
        span = self.spans.setdefault(key, [buffer, offset, end, array])
        if self.planning:
            span[1], span[2] = min(span[1], offset), max(span[2], end)
            return None, offset, strides  # this pass's pickle is thrown away
        if not (span[1] <= offset and end <= span[2]):  # a tensor the first pass did not see (made by a __reduce__)
            return self.place(array.copy(), location)
        if key not in self.made:
            self.made[key] = _StorageOut(str(len(self.storages)), span[0][span[1]:span[2]], location)
            self.storages.append(self.made[key])
        return self.made[key], offset - span[1], strides


def _contiguous_strides(shape):
    strides, step = [], 1
    for n in reversed(shape):
        strides.insert(0, step)
        step *= max(n, 1)
    return tuple(strides)


class _Pickler(pickle._Pickler):
    """Python's pickler, taught to write tensors, devices and dtypes as PyTorch does; ``legacy``:
    storage references as PyTorch's legacy format writes them (with a sixth item, None). ``buffers``
    (a ``_Buffers``) places tensors in storages (None: for a pickle that holds no tensor).

    (The C ``pickle.Pickler`` checks every GLOBAL by importing it, which would import torch; the
    Python one lets ``dispatch`` write a name as it is.)"""

    dispatch = dict(pickle._Pickler.dispatch)

    def __init__(self, file, buffers=None, legacy=False):
        super().__init__(file, protocol=2)
        self.buffers, self.legacy = buffers, legacy

    def _save_name(self, obj):
        if isinstance(obj, DType):
            obj = _torch("torch", obj.name)
        self.write(pickle.GLOBAL + f"{obj.module}\n{obj.name}\n".encode())
        self.memoize(obj)

    dispatch[_TorchName] = dispatch[DType] = _save_name

    def persistent_id(self, obj):
        if not isinstance(obj, _StorageOut):
            return None
        kind = _torch("torch", _STORAGE_OF[obj.array.dtype])
        pid = ("storage", kind, obj.key, obj.location, obj.array.size)
        return pid + (None,) if self.legacy else pid  # None: not a view of another storage

    def reducer_override(self, obj):
        if isinstance(obj, Tensor):
            return self._reduce_tensor(obj)
        if isinstance(obj, device):
            return _torch("torch", "device"), (obj.type,) if obj.index is None else (obj.type, obj.index)
        return NotImplemented

    def _reduce_tensor(self, t):
        from .nn.parameter import Parameter  # nn sits above this module
        if isinstance(t, Parameter):
            return _torch("torch._utils", "_rebuild_parameter"), (t.detach(), t.requires_grad, OrderedDict())
        where = t.device
        location = "cpu" if where.type == "cpu" else f"cuda:{where.index or 0}"
        array = t._array if is_gpu_array(t._array) else np.asarray(t._array)  # (a numpy scalar too)
        storage, offset, strides = self.buffers.place(array, location)
        return (_torch("torch._utils", "_rebuild_tensor_v2"),
                (storage, offset, tuple(t.shape), strides, t.requires_grad, OrderedDict()))


def pickled(obj, legacy=False):
    """``(the pickle of obj, the storages it refers to)``, pickled in two passes (see ``_Buffers``);
    raises ``TypeError`` for what cannot be saved."""
    buffers = _Buffers()
    try:
        _Pickler(io.BytesIO(), buffers, legacy).dump(obj)
        buffers.planning, out = False, io.BytesIO()
        _Pickler(out, buffers, legacy).dump(obj)
    except (pickle.PicklingError, TypeError, AttributeError) as e:
        raise TypeError(
            f"minitorch.save: cannot save {type(obj).__name__} ({e}). A checkpoint holds tensors, numpy "
            f"arrays, numbers, strings, containers of them, and modules whose classes are defined at the "
            f"top level of a module (not a function, lambda or local class)."
        ) from None
    return out.getvalue(), buffers.storages


def writer(obj):
    """Pickle ``obj`` now (raising ``TypeError`` for what cannot be saved) and return a function
    that writes it to a binary file as ``torch.save`` does (format version 3)."""
    data, storages = pickled(obj)

    def write(file):
        with zipfile.ZipFile(file, mode="w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
            archive.writestr("archive/data.pkl", data)
            archive.writestr("archive/.format_version", "1")
            archive.writestr("archive/byteorder", sys.byteorder)
            for storage in storages:
                archive.writestr(f"archive/data/{storage.key}", storage.host_bytes())
            archive.writestr("archive/version", "3\n")

    return write
