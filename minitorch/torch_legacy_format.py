"""PyTorch's legacy (non-zip) checkpoint format, read and written without running the file.

``torch.save(obj, f, _use_new_zipfile_serialization=False)`` writes one stream of five pickles and
then the data:

1. the magic number ``0x1950a86a20f9469cfc6c``;
2. the protocol version, ``1001``;
3. ``sys_info``, a dict (byte order, C type sizes);
4. the object, in which each storage is a persistent id
   ``("storage", torch.FloatStorage, key, location, numel, None)`` (the last item, for files of
   PyTorch 0.x: ``(view key, offset, numel)`` when the storage is a slice of storage ``key``), and
   each ``nn.Module`` class of a whole saved model ``("module", cls, source file, source)``;
5. the list of storage keys, in the order their data follows;

then for each key, the storage: its element count as a little-endian int64, and its elements,
little-endian. (PyTorch before 0.4 wrote a tar archive instead; minitorch does not read those.)

Every pickle here goes through a restricted unpickler: the header and the key list may name no
global at all (``_Plain``), and the object is read by ``torch_format.Unpickler``, with the same
allow-list, placeholders and ``weights_only`` rules as the zip format, so that loading never runs
code from the file. Storages are declared in the pickle and filled from the data that follows it;
each must hold exactly the elements it declared.
"""
import io
import pickle
import struct

import numpy as np

from . import torch_format
from .torch_format import Builder, CorruptFile, Refused, require

MAGIC_NUMBER = 0x1950A86A20F9469CFC6C
PROTOCOL_VERSION = 1001
_SYS_INFO = {"protocol_version": PROTOCOL_VERSION, "little_endian": True,
             "type_sizes": {"short": 2, "int": 4, "long": 4}}  # what torch.save records (as on Windows)


class _Plain(pickle.Unpickler):
    """Reads a pickle that must be plain data: any global or persistent id is refused."""

    def find_class(self, module, name):
        raise Refused(f"the file asks for GLOBAL {module}.{name} in a part of PyTorch's legacy format that "
                      f"holds only plain values")

    def persistent_load(self, pid):
        raise Refused(f"the file refers to {pid!r} in a part of PyTorch's legacy format that holds only plain values")


def is_legacy(head):
    """Whether the bytes ``head`` (a file's start) begin with the legacy format's magic number."""
    try:
        return _Plain(io.BytesIO(head)).load() == MAGIC_NUMBER
    except Exception:  # any other start (a damaged or foreign pickle) is simply not this format
        return False


class _LegacyUnpickler(torch_format.Unpickler):
    """Reads the object: its storages are declared now and filled by ``fill`` from the data after it."""

    def __init__(self, file, weights_only):
        super().__init__(file, weights_only)
        self.views, self.parts = [], {}

    def persistent_load(self, pid):
        require(isinstance(pid, tuple) and pid and pid[0] in ("storage", "module", b"storage", b"module"),
                f"unknown reference {pid!r}")
        if pid[0] in ("module", b"module"):  # a whole model's class, with its source (never run)
            if len(pid) == 4 and torch_format.is_module_class(pid[1]):
                return pid[1]
            raise Refused(f"the file refers to a module class in a malformed way: {pid!r}")
        require(len(pid) == 6, f"malformed storage reference {pid!r}")
        _, kind, key, location, numel, view = pid
        location = location.decode("ascii") if isinstance(location, bytes) else location
        storage = self.storage(pid, kind, key, location, numel)
        if view is None:
            return storage
        require(isinstance(view, tuple) and len(view) == 3 and isinstance(view[0], str)
                and all(isinstance(n, int) and n >= 0 for n in view[1:]), f"malformed storage view {view!r}")
        view_key, offset, size = view
        require(offset + size <= numel, f"storage view {view!r} reaches past its storage of {numel} elements")
        if view_key not in self.parts:
            self.parts[view_key] = torch_format.Storage(storage.dtype, size, location)
            self.views.append((self.parts[view_key], storage, offset))
        return self.parts[view_key]

    def read_storage(self, key, dtype, numel):
        return None  # the data follows the pickle

    def fill(self, file, keys):
        """Read each storage of ``keys`` (in that order) from ``file``: an int64 count, then the elements."""
        require(isinstance(keys, list) and sorted(keys) == sorted(self.storages),
                "its list of storage keys does not match the storages its pickle refers to")
        for key in keys:
            storage = self.storages[key]
            count = file.read(8)
            require(len(count) == 8 and struct.unpack("<q", count)[0] == storage.numel,
                    f"storage {key!r} is declared as {storage.numel} elements, but its data says otherwise")
            dtype = np.dtype(storage.dtype)
            data = file.read(storage.numel * dtype.itemsize)
            require(len(data) == storage.numel * dtype.itemsize, f"storage {key!r} is truncated")
            storage.array = np.frombuffer(data, dtype.newbyteorder("<")).astype(dtype)  # own, native, writable
        for part, storage, offset in self.views:
            part.array = storage.array[offset:offset + part.numel]


def _plain(file, what):
    try:
        return _Plain(file).load()
    except Refused:
        raise
    except (EOFError, pickle.UnpicklingError) as e:
        raise CorruptFile(f"its {what} is missing or damaged ({e})") from None


def read(file, place, weights_only):
    """The object in the legacy-format stream ``file``, its tensors put where ``place`` says."""
    data = io.BytesIO(file.read())  # in memory: a length in the file cannot make a read allocate more
    require(_plain(data, "magic number") == MAGIC_NUMBER, "its magic number is wrong")
    version = _plain(data, "protocol version")
    require(version == PROTOCOL_VERSION,
            f"it has legacy protocol version {version!r}; PyTorch writes {PROTOCOL_VERSION}")
    require(isinstance(_plain(data, "sys_info"), dict), "its sys_info record is not a dict")
    unpickler = _LegacyUnpickler(data, weights_only)
    tree = unpickler.load()
    unpickler.fill(data, _plain(data, "list of storage keys"))
    return Builder(place).build(tree)


def writer(obj):
    """Pickle ``obj`` now (raising ``TypeError`` for what cannot be saved) and return a function
    that writes it to a binary file as ``torch.save(..., _use_new_zipfile_serialization=False)`` does."""
    data, storages = torch_format.pickled(obj, legacy=True)

    def write(file):
        for value in (MAGIC_NUMBER, PROTOCOL_VERSION, _SYS_INFO):
            pickle.dump(value, file, protocol=2)
        file.write(data)
        pickle.dump(sorted(s.key for s in storages), file, protocol=2)
        for storage in sorted(storages, key=lambda s: s.key):
            file.write(struct.pack("<q", storage.array.size))
            file.write(storage.host_bytes("<"))

    return write
