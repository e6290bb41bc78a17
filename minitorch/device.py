"""Devices, in one place: which names are valid, where a device's arrays live, how to move them.

- ``"cpu"``: numpy arrays.
- ``"cuda"``: cupy arrays on an NVIDIA GPU. Under Numba's CUDA simulator
  (``NUMBA_ENABLE_CUDASIM=1`` set before numba is imported, no GPU needed) a
  ``cuda`` tensor keeps a numpy array, but matmul, softmax and attention still
  run through the same CUDA kernels (``kernels/``), simulated thread by thread.

Only ``minitorch.cuda`` (and through it ``kernels._numba``) imports numba.cuda or cupy; the
rest of the package reaches cupy through ``array_module`` and through numpy's dispatch of
cupy arrays, except ``functions/special.py``, which imports ``cupyx.scipy.special.erf`` when it
meets a cupy array. The CPU engine never imports either.
"""
import sys

import numpy as np

from . import checks
from .dtypes import _BY_NAME as dtype_names
from .errors import DeviceError

DEVICES = ("cpu", "cuda")


class device:
    """A device, as PyTorch's ``torch.device``: ``device("cuda:0")``, ``device("cuda", 0)``, ``device("cpu")``.

    ``.type`` is "cpu" or "cuda"; ``.index`` is the GPU's number (None when not given; minitorch
    uses one GPU, 0). Unlike PyTorch, a device also equals its string (``t.device == "cpu"``), and
    an index left out means the one GPU, so ``device("cuda") == device("cuda:0") == "cuda"``.
    Devices hash like their type's string, so either can key a dict.

    >>> import minitorch
    >>> d = minitorch.device("cuda", 0)
    >>> d, str(d), d.type, d.index
    (device(type='cuda', index=0), 'cuda:0', 'cuda', 0)
    >>> minitorch.device("cpu") == "cpu"
    True
    """

    __slots__ = ("type", "index")

    def __init__(self, type, index=None):
        if isinstance(type, device):
            if index is not None:
                raise TypeError("device(): pass a device alone, or a type string and an index.")
            self.type, self.index = type.type, type.index
            return
        if not isinstance(type, str):
            raise TypeError(f"device(): expected a string such as 'cuda:0' or a device, got {type!r}.")
        kind, colon, number = type.partition(":")
        if kind not in DEVICES:
            raise DeviceError(f"device(): unknown device {type!r}: expected 'cpu', 'cuda' or 'cuda:0'.")
        if colon and index is not None:
            raise RuntimeError(f"device(): {type!r} already holds an index, and index={index!r} was passed too.")
        if colon:
            if not number.isdigit():
                raise DeviceError(f"device(): unknown device {type!r}: expected 'cpu', 'cuda' or 'cuda:0'.")
            index = int(number)
        elif index is not None:
            index = _index("device", index)
        self.type, self.index = kind, index

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self):
        index = "" if self.index is None else f", index={self.index}"
        return f"device(type='{self.type}'{index})"

    def _key(self):
        return self.type, 0 if self.index is None else self.index

    def __eq__(self, other):
        if isinstance(other, str):
            try:
                other = device(other)
            except (ValueError, RuntimeError):
                return False
        return isinstance(other, device) and self._key() == other._key()

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash(self.type)

    def __reduce__(self):
        return (device, (self.type, self.index))


def _index(op, index):
    return checks.integer(op, "a device index", index, minimum=0, error=RuntimeError)  # PyTorch's class


_CUDA0 = device("cuda", 0)
_BY_NAME = {"cpu": device("cpu"), "cuda": _CUDA0}


class _Default:
    device = "cpu"


def set_default_device(device):
    """Make factories (``zeros``, ``tensor``, ``randn``, ...) put new tensors on ``device`` when
    they are given none, as PyTorch does. ``None`` restores "cpu".

    >>> import minitorch
    >>> minitorch.set_default_device("cpu")
    >>> minitorch.get_default_device()
    device(type='cpu')
    """
    _Default.device = "cpu" if device is None else check_device(device)


def get_default_device():
    """The device that factories use when given none (see ``set_default_device``)."""
    return _BY_NAME[_Default.device]


def as_device(name):
    """The ``device`` object for a tensor's device name ("cpu" or "cuda"): what ``Tensor.device`` returns."""
    return _BY_NAME[name]


def names_a_device(arg):
    """Whether a positional argument of ``to(...)`` names a device (a device, "cpu", "cuda:0")
    rather than a dtype. Every string but a dtype's name ("float32") counts as a device, as in
    PyTorch, so that ``to("tpu")`` is refused as an unknown device rather than an unknown dtype."""
    return isinstance(arg, device) or isinstance(arg, str) and arg not in dtype_names


def check_device(device, op="device"):
    """Return the canonical name of ``device`` ("cpu" or "cuda"), or raise if it is unusable here.

    ``device`` is a string, a ``device`` object, a GPU number (an int, as PyTorch accepts), or
    None for the default device (see ``set_default_device``); ``op`` names the caller in errors.
    """
    if device is None:
        return _Default.device
    if isinstance(device, int) and not isinstance(device, bool):
        device = f"cuda:{_index('device', device)}"
    name = str(device)
    kind, _, index = name.partition(":")
    if kind not in DEVICES or (index and not index.isdigit()):
        raise DeviceError(f"{op}: unknown device {name!r}: expected 'cpu', 'cuda' or 'cuda:0'.")
    if index and int(index) != 0:
        raise RuntimeError(f"device {name!r}: minitorch uses one GPU, 'cuda:0' (or just 'cuda').")
    if kind == "cuda":
        from . import cuda

        cuda.require()
    return kind


def is_gpu_array(array):
    """Whether ``array`` is a cupy array (tested without importing cupy)."""
    return type(array).__module__.split(".")[0] == "cupy"


def array_module(where):
    """numpy or cupy: the library that holds an array, or that a device ("cpu", "cuda") uses.

    ``array_module(x)`` is cupy for a cupy array and numpy otherwise (``cupy.get_array_module``);
    ``array_module("cuda")`` is cupy on a real GPU and numpy on the CPU or under the simulator.
    For the few numpy calls that do not dispatch to cupy by themselves (``np.add.at`` with a
    tuple index, ``np.arange``): ``array_module(x).add.at(x, index, values)`` works for both.
    """
    if isinstance(where, (str, device)):
        if where == "cuda":
            from . import cuda

            if not cuda.simulated():
                return sys.modules["cupy"]
        return np
    return sys.modules["cupy"] if is_gpu_array(where) else np


def move(array, device):
    """A copy of ``array`` on ``device`` (numpy for "cpu"; cupy, or numpy in the simulator, for "cuda")."""
    if device == "cpu":
        return sys.modules["cupy"].asnumpy(array) if is_gpu_array(array) else array.copy()
    xp = array_module(device)
    return xp.array(array, copy=True)
