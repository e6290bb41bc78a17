"""``minitorch.save`` and ``minitorch.load``: checkpoints that PyTorch reads, and PyTorch's that minitorch reads.

A checkpoint is what you get from ``model.state_dict()`` or ``optimizer.state_dict()`` (nested
dicts, lists and tuples of tensors, numpy arrays, numbers, strings, bools and None), or a whole
model (``save(model, f)``).

Three formats:

- **PyTorch's** (``minitorch/torch_format.py``), the default: what ``torch.save`` writes, so that a
  program ported with ``import minitorch as torch`` exchanges files with PyTorch both ways.
  ``torch.load(f, weights_only=True)`` reads a state dict that minitorch saved, and
  ``minitorch.load`` reads torch's. It is a zip archive of a pickle plus raw storages; the reader
  unpickles with an allow-list and builds every object itself, so loading never runs code from the
  file. As in PyTorch, a tensor and its views (a slice, a transpose, tied weights) are saved as one
  storage and load sharing memory again: a change through one is seen through the other.
- **PyTorch's legacy format** (``minitorch/torch_legacy_format.py``): what
  ``torch.save(..., _use_new_zipfile_serialization=False)`` writes (and PyTorch before 1.6 wrote by
  default): the same pickle and storages one after the other in a plain stream. Read with the same
  allow-list; written when ``save`` is given ``_use_new_zipfile_serialization=False``.
- **minitorch's own** ``.npz``, written when the path ends in ``.npz``: one ``.npy`` member per
  tensor or array, named after its place in the structure (``fc1.weight``, ``state.0.exp_avg``), so
  ``np.load("model.npz").files`` is readable, and a member ``~minitorch`` holding a JSON string that
  describes the structure (dicts with their key order, lists, tuples, the plain values, and which
  member holds each array). No pickle at all: arrays are read with ``allow_pickle=False``. Use it
  to open a checkpoint with numpy alone.

Why PyTorch's format by default: programs that exchange files (train here, evaluate or deploy with
PyTorch; a grader loading a student's ``model.pt``; a pretrained checkpoint) expect the file that
``torch.save`` makes. ``_use_new_zipfile_serialization`` is PyTorch's switch between its zip format
(True, the default) and its legacy one.

``load`` tells the formats apart by their content, not their name, and refuses anything else (a
bare pickle, PyTorch's pre-0.4 tar format, a text file, a zip bomb) with a ``ValueError`` naming the file.
"""
import errno
import json
import math
import os
import pickle
import warnings
import zipfile
from collections import OrderedDict
from urllib.parse import quote

import numpy as np

from . import torch_format, torch_legacy_format
from .device import check_device, device
from .dtypes import from_numpy_dtype
from .tensor import Tensor
from .torch_format import CorruptFile as _CorruptFile
from .torch_format import require as _require

_HEADER = "~minitorch"
_FORMAT = "minitorch.save"
_VERSION = 1
_NUMERIC_KINDS = "biuf"  # bool, signed int, unsigned int, float
# What numpy and zipfile raise on a damaged file (NotImplementedError, a RuntimeError, for
# garbled zip flags; a deeply nested JSON header gives RecursionError, also a RuntimeError).
_READ_ERRORS = (ValueError, KeyError, OSError, EOFError, RuntimeError, zipfile.BadZipFile)
# minitorch.save stores arrays uncompressed, so its files are as large as their arrays. A file whose
# members would inflate to more than _MAX_INFLATION times their compressed size (plus _INFLATION_SLACK
# bytes, for small members of zeros) is refused before any member is read: it is a zip bomb.
_MAX_INFLATION = 100
_INFLATION_SLACK = 2 ** 16
_NPY_HEADER_READERS = {(1, 0): np.lib.format.read_array_header_1_0,
                       (2, 0): np.lib.format.read_array_header_2_0}


# ------------------------------------------------------------------------- save
class _Encoder:
    """Turns a checkpoint into (a JSON-able tree, {member name: array})."""

    def __init__(self):
        self.arrays = {}

    def _store(self, array, path):
        if array.dtype.kind not in _NUMERIC_KINDS:
            raise TypeError(
                f"minitorch.save: the array at {_show(path)} has dtype {array.dtype}; only numeric "
                f"and bool arrays can be saved."
            )
        base = ".".join(quote(str(part), safe="") for part in path) or "tensor"
        name, n = base, 0
        while name in self.arrays or name == _HEADER:
            n += 1
            name = f"{base}~{n}"
        self.arrays[name] = array
        return name

    def encode(self, obj, path):
        if obj is None or isinstance(obj, (bool, int, float, str)):
            return obj
        if isinstance(obj, Tensor):
            name = self._store(obj.detach().cpu()._array, path)  # files always hold CPU arrays
            return {"kind": "tensor", "array": name, "requires_grad": obj.requires_grad}
        if isinstance(obj, np.ndarray):
            return {"kind": "ndarray", "array": self._store(obj, path)}
        if isinstance(obj, np.generic):
            return {"kind": "npscalar", "array": self._store(np.asarray(obj), path)}
        if isinstance(obj, (list, tuple)):
            kind = "list" if isinstance(obj, list) else "tuple"
            return {"kind": kind, "items": [self.encode(v, path + [i]) for i, v in enumerate(obj)]}
        if isinstance(obj, dict):
            items = []
            for key, value in obj.items():
                if isinstance(key, bool) or not isinstance(key, (str, int)):
                    raise TypeError(
                        f"minitorch.save: dict keys must be strings or ints, got {key!r} at {_show(path)}."
                    )
                items.append([key, self.encode(value, path + [key])])
            return {"kind": "odict" if isinstance(obj, OrderedDict) else "dict", "items": items}
        hint = (" Save module.state_dict() instead, or save the whole module to a path not ending in .npz."
                if hasattr(obj, "state_dict") else "")
        raise TypeError(
            f"minitorch.save: cannot store a {type(obj).__name__} (at {_show(path)}); an .npz checkpoint "
            f"may hold dicts, lists, tuples, tensors, numpy arrays, numbers, strings and None.{hint}"
        )


def _show(path):
    return "the top level" if not path else "[" + "][".join(repr(p) for p in path) + "]"


def save(obj, f, pickle_module=pickle, pickle_protocol=2, _use_new_zipfile_serialization=True,
         _disable_byteorder_record=False):
    """Write ``obj`` (``model.state_dict()``, an optimiser's, a dict of them, or a whole model) to
    ``f``: a path (used exactly as given) or a binary file object open for writing.

    The file is PyTorch's checkpoint format (``torch.load`` reads it), unless ``f`` is a path
    ending in ``.npz``: then it is minitorch's numpy archive (see the module docstring), which holds
    state dicts only. ``pickle_module`` and ``pickle_protocol`` are PyTorch's, accepted and ignored:
    the pickle inside is always written by minitorch's own pickler, in protocol 2 (PyTorch's
    default); ``_use_new_zipfile_serialization=False`` writes PyTorch's legacy (non-zip) format
    instead, which ``torch.load`` reads too (for an ``.npz`` path it changes nothing);
    ``_disable_byteorder_record`` is accepted and ignored (the byte order is always recorded).

    Tensors that view the same memory (a tensor and its slices, transposes, ``view``s; tied weights)
    are written as one storage with each tensor's offset and strides into it, as ``torch.save``
    does, so that they load sharing memory again."""
    npz = isinstance(f, (str, os.PathLike)) and os.fspath(f).lower().endswith(".npz")
    torch_writer = torch_format.writer if _use_new_zipfile_serialization else torch_legacy_format.writer
    write = _npz_writer(obj) if npz else torch_writer(obj)  # refuses what it cannot save, before writing
    if isinstance(f, (str, os.PathLike)):
        with open(f, "wb") as file:
            write(file)
    else:
        write(f)


def _npz_writer(obj):
    encoder = _Encoder()
    tree = encoder.encode(obj, [])
    header = json.dumps({"format": _FORMAT, "version": _VERSION, "tree": tree})
    return lambda file: _write_npz(file, {_HEADER: np.array(header), **encoder.arrays})


def _write_npz(file, members):
    with zipfile.ZipFile(file, mode="w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for name, array in members.items():
            with archive.open(name + ".npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, array, allow_pickle=False)


# ------------------------------------------------------------------------- load
class _Decoder:
    """Rebuilds the checkpoint from the JSON tree, checking every node as it goes."""

    def __init__(self, archive):
        self.archive = archive

    def _array(self, node):
        name = node.get("array")
        _require(isinstance(name, str) and name in self.archive.files,
                 f"it refers to a missing array {name!r}")
        array = self.archive[name]  # allow_pickle=False: an object array raises instead of unpickling
        _require(array.dtype.kind in _NUMERIC_KINDS,
                 f"array {name!r} has the unsupported dtype {array.dtype}")
        return array

    def decode(self, node):
        if node is None or isinstance(node, (bool, int, float, str)):
            return node
        _require(isinstance(node, dict), f"unexpected JSON value {node!r} in the structure")
        kind = node.get("kind")
        if kind == "tensor":
            array = self._array(node)
            try:
                from_numpy_dtype(array.dtype)
            except TypeError:
                what = f"array {node['array']!r} has dtype {array.dtype}, which tensors do not support"
                raise _CorruptFile(what) from None
            tensor = Tensor._make(array, False, None)
            return tensor.requires_grad_(True) if node.get("requires_grad") is True else tensor
        if kind == "ndarray":
            return self._array(node)
        if kind == "npscalar":
            return self._array(node)[()]
        if kind in ("list", "tuple"):
            items = node.get("items")
            _require(isinstance(items, list), f"a {kind} node has no list of items")
            values = [self.decode(v) for v in items]
            return values if kind == "list" else tuple(values)
        if kind in ("dict", "odict"):
            items = node.get("items")
            _require(isinstance(items, list), "a dict node has no list of items")
            result = OrderedDict() if kind == "odict" else {}
            for item in items:
                _require(isinstance(item, list) and len(item) == 2, f"malformed dict item {item!r}")
                key, value = item
                _require(isinstance(key, (str, int)) and not isinstance(key, bool), f"bad dict key {key!r}")
                result[key] = self.decode(value)
            return result
        raise _CorruptFile(f"unknown node kind {kind!r}")


def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None, **pickle_load_args):
    """Read a checkpoint from a path or a binary file object: one that ``torch.save`` or
    ``minitorch.save`` wrote (PyTorch's zip format or its legacy one, or minitorch's ``.npz``).
    Tensors saved as views of one storage load as views of one array: they share memory, as
    ``torch.load`` gives them, and (stricter than PyTorch) a version counter, so that backward
    refuses values that an op saved and a change through another of them overwrote.

    - ``map_location``: where the tensors go. None: where they were saved (a PyTorch file records
      each storage's device; an ``.npz`` holds CPU arrays); a device or its string ("cuda",
      ``device("cuda:0")``); a dict from saved to wanted location (``{"cuda:0": "cpu"}``); or a
      callable ``f(storage, saved location)``, called once per storage, returning it or a copy of it
      on a device (PyTorch passes a storage; here a flat tensor of the storage's elements).
    - ``weights_only`` (PyTorch's default since 2.6: True when None, unless the environment sets
      TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1, or TORCH_FORCE_WEIGHTS_ONLY_LOAD=1, as PyTorch reads
      them): load only tensors, numpy arrays, numbers, strings and containers of them. False also
      rebuilds whole models saved with
      ``save(model, f)``, but only from ``nn.Module`` subclasses already imported by the program
      (and ``minitorch.nn.functional``'s functions, for layers' activations),
      never running code from the file (see ``minitorch/torch_format.py``); any other class or
      function the file names is refused with ``pickle.UnpicklingError`` naming it, whatever
      ``weights_only`` says.
    - ``mmap``, ``pickle_module`` and other keywords are PyTorch's, accepted and ignored: the file
      is read into memory with minitorch's own unpickler.

    Raises ``ValueError`` naming the file if it is not such a checkpoint (a bare pickle, PyTorch's
    pre-0.4 tar format, a text file, a foreign ``.npz``) or is truncated, corrupt, or would inflate far
    beyond its size (a zip bomb: refused before anything is decompressed); ``FileNotFoundError`` if
    there is no such file; ``RuntimeError`` (``TypeError``) for a ``map_location`` that is not a device.
    """
    place = _placer(map_location)  # a bad one fails before reading
    weights_only = _weights_only(weights_only)
    if isinstance(f, (str, os.PathLike)):
        path = os.fspath(f)
        if not os.path.exists(path):
            raise FileNotFoundError(
                errno.ENOENT, f"minitorch.load: no such file (looked in {os.getcwd()!r}; check the path)", path)
        with open(path, "rb") as file:
            return _load(file, repr(path), place, weights_only)
    return _load(f, repr(getattr(f, "name", "<file object>")), place, weights_only)


def _weights_only(weights_only):
    """``load``'s ``weights_only`` after PyTorch's environment switches: TORCH_FORCE_WEIGHTS_ONLY_LOAD
    makes every load weights-only; TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD makes a load that does not say
    ``weights_only`` a full one (with PyTorch's warning), for programs written before PyTorch 2.6."""
    yes = ("1", "y", "yes", "true")
    force = os.getenv("TORCH_FORCE_WEIGHTS_ONLY_LOAD", "0").lower() in yes
    force_not = os.getenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "0").lower() in yes
    if force and force_not:
        raise RuntimeError("Only one of `TORCH_FORCE_WEIGHTS_ONLY_LOAD` or `TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD` "
                           "should be set, but both were set.")
    if force:
        return True
    if force_not and weights_only is None:
        warnings.warn("Environment variable TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD detected, since the `weights_only` "
                      "argument was not explicitly passed to `minitorch.load`, forcing weights_only=False.",
                      UserWarning, stacklevel=3)
        return False
    return weights_only is not False


def _placer(map_location):
    """A function (tensor, saved location) -> tensor that puts a loaded tensor where ``map_location`` says."""
    if callable(map_location) and not isinstance(map_location, (str, device)):
        return map_location
    targets = map_location if isinstance(map_location, dict) else {None: map_location}
    for target in targets.values():
        if target is None:
            continue
        if not isinstance(target, (str, device)):
            raise TypeError(
                f"minitorch.load: map_location must be a device, its name ('cpu', 'cuda'), a dict of "
                f"names or a function, got {type(target).__name__} {target!r}."
            )
        try:
            check_device(target)
        except ValueError as e:  # PyTorch raises RuntimeError for a device it cannot restore to
            raise RuntimeError(f"minitorch.load: map_location={target!r} is not a usable device: {e}") from None
    if isinstance(map_location, dict):
        return lambda t, saved: _moved(t, map_location.get(saved, saved))
    return lambda t, saved: _moved(t, saved if map_location is None else map_location)


def _moved(t, target):
    if str(t.device) == str(device(target)):
        return t
    moved = t.detach().to(target)
    return moved.requires_grad_(True) if t.requires_grad else moved


def _relocate(obj, place):
    """``obj`` with every tensor in it replaced by ``place(tensor, "cpu")``."""
    if isinstance(obj, Tensor):
        return place(obj, "cpu")
    if isinstance(obj, (list, tuple)):
        return type(obj)(_relocate(v, place) for v in obj)
    if isinstance(obj, dict):
        return type(obj)((k, _relocate(v, place)) for k, v in obj.items())
    return obj


def _format_of(file, name):
    """The file's format: "legacy" for PyTorch's legacy format, "zip" for a zip archive or a .npy
    file; for anything else raise, saying what the file is instead."""
    start = file.tell()
    head = file.read(512)
    end = file.seek(0, os.SEEK_END)
    file.seek(max(end - 1, start))
    last = file.read(1)
    file.seek(start)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"\x93NUMPY")):
        return "zip"
    if torch_legacy_format.is_legacy(head):
        return "legacy"
    if not head:
        what, advice = "empty (0 bytes)", "the save was interrupted or the file emptied: save it again"
    elif head[257:262] == b"ustar":
        what, advice = ("a tar archive (PyTorch before 0.4 saved checkpoints so)", "minitorch reads PyTorch's "
                        "zip and legacy formats: load it in PyTorch and torch.save it again")
    elif head[:1] == b"\x80" or (head[:1] in (b"(", b"]", b"}", b"c") and last == b"."):  # pickle protocols
        what, advice = ("a Python pickle (a bare one, as pickle.dump writes)",
                        "minitorch never unpickles such files, as unpickling can run any code; save the "
                        "object with torch.save or minitorch.save instead")
    elif all(byte >= 32 or byte in b"\t\n\r\f" for byte in head):
        what, advice = "a text file", "check the path: a checkpoint is the zip archive torch.save writes"
    else:
        what, advice = (f"neither a zip archive nor a .npy file (it starts with {head[:8]!r})",
                        "check the path, or save the checkpoint again")
    raise ValueError(f"minitorch.load: {name} is {what}, not a checkpoint (PyTorch's zip format or minitorch's "
                     f".npz); {advice}.")


def _load(file, name, place, weights_only):
    legacy = _format_of(file, name) == "legacy"
    start = file.tell()
    try:
        if legacy:
            return torch_legacy_format.read(file, place, weights_only)
        with zipfile.ZipFile(file) as archive:
            _check_inflation(archive)
            prefix = torch_format.prefix_of(archive)
            if prefix is not None:
                return torch_format.read(archive, prefix, place, weights_only)
    except zipfile.BadZipFile:
        pass  # a .npy file, or a damaged archive: numpy says which below
    except _CorruptFile as e:
        raise ValueError(f"minitorch.load: {name} is not a valid checkpoint: {e}.") from None
    except torch_format.Refused as e:
        raise pickle.UnpicklingError(f"minitorch.load: {name}: {e}") from None
    except torch_format.MapLocationError:
        raise  # the program's map_location, not the file
    except (*_READ_ERRORS, pickle.PickleError, TypeError, AttributeError, IndexError) as e:
        raise ValueError(
            f"minitorch.load: {name} is corrupt or truncated ({type(e).__name__}: {e})."
        ) from None
    file.seek(start)
    return _relocate(_load_npz(file, name), place)


def _load_npz(file, name):
    try:
        archive = np.load(file, allow_pickle=False)
    except _READ_ERRORS as e:
        raise ValueError(
            f"minitorch.load: {name} starts like a checkpoint but is truncated or corrupt ({e}); "
            f"save or download it again."
        ) from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise ValueError(
            f"minitorch.load: {name} holds a single numpy array, not a checkpoint written by "
            f"minitorch.save. Read it with numpy.load."
        )
    with archive:
        try:
            _check_members(archive.zip)
            return _decode_archive(archive)
        except _CorruptFile as e:
            raise ValueError(f"minitorch.load: {name} is not a valid minitorch checkpoint: {e}.") from None
        except _READ_ERRORS as e:
            raise ValueError(
                f"minitorch.load: {name} is corrupt or truncated ({type(e).__name__}: {e})."
            ) from None


def _check_inflation(zf):
    """Refuse, before any member is read, an archive whose members together would inflate more
    than ``_MAX_INFLATION``-fold (both formats store their members uncompressed)."""
    infos = zf.infolist()
    declared, packed = sum(i.file_size for i in infos), sum(i.compress_size for i in infos)
    _require(
        declared <= _MAX_INFLATION * packed + _INFLATION_SLACK,
        f"its {packed} compressed bytes would inflate to {declared} (more than {_MAX_INFLATION}-fold, a "
        f"zip bomb); torch.save and minitorch.save store arrays uncompressed, so re-save the checkpoint",
    )


def _check_members(zf):
    """Refuse, before any member is read, a file whose members' declared sizes cannot be right.

    Beyond ``_check_inflation``, each ``.npy`` member's uncompressed size (``ZipInfo.file_size``,
    which also bounds what zipfile inflates) must be exactly what its own array header declares
    (shape times item size, in Python integers).
    """
    _check_inflation(zf)
    for info in zf.infolist():
        if info.filename.endswith(".npy"):
            _check_npy_size(zf, info)


def _check_npy_size(zf, info):
    """Read only the ``.npy`` header of member ``info`` and check its size against the shape."""
    with zf.open(info) as member:
        version = np.lib.format.read_magic(member)
        read_header = _NPY_HEADER_READERS.get(version)
        _require(read_header is not None, f"member {info.filename!r} has the unknown .npy version {version}")
        shape, _, dtype = read_header(member)
        offset = member.tell()
    _require(
        not dtype.hasobject,
        f"member {info.filename!r} holds Python objects, i.e. a pickle, and minitorch never unpickles",
    )
    expected = offset + math.prod(shape) * dtype.itemsize
    _require(
        info.file_size == expected,
        f"member {info.filename!r} declares {info.file_size} bytes, but its header says shape "
        f"{shape} of {dtype}, which takes {expected}",
    )


def _decode_archive(archive):
    _require(
        _HEADER in archive.files,
        f"it has no {_HEADER!r} entry, so it was not written by minitorch.save (its arrays are: "
        f"{', '.join(archive.files[:5]) or 'none'}); open it with numpy.load",
    )
    raw = archive[_HEADER]
    _require(raw.dtype.kind == "U" and raw.ndim == 0, "its header is not a JSON string")
    try:
        header = json.loads(str(raw))
    except json.JSONDecodeError as e:
        raise _CorruptFile(f"its header is not valid JSON ({e})") from None
    _require(isinstance(header, dict) and header.get("format") == _FORMAT, "its header lacks the format tag")
    _require(
        header.get("version") == _VERSION,
        f"it has format version {header.get('version')!r}; this minitorch reads version {_VERSION}",
    )
    return _Decoder(archive).decode(header.get("tree"))
