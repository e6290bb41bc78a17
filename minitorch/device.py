"""Devices, in one place: which names are valid, where a device's arrays live, how to move them.

- ``"cpu"``: numpy arrays.
- ``"cuda"``: cupy arrays on an NVIDIA GPU. Under Numba's CUDA simulator
  (``NUMBA_ENABLE_CUDASIM=1`` set before numba is imported, no GPU needed) a
  ``cuda`` tensor keeps a numpy array, but matmul, softmax and attention still
  run through the same CUDA kernels (``kernels/``), simulated thread by thread.

Only ``minitorch.cuda`` (and through it ``kernels._numba``) touches numba.cuda or cupy;
the CPU engine never imports either.
"""
import sys

import numpy as np

DEVICES = ("cpu", "cuda")


def check_device(device):
    """Return the canonical name of ``device`` ("cpu" or "cuda"), or raise if it is unusable here."""
    name = "cpu" if device is None else str(device)
    kind, _, index = name.partition(":")
    if kind not in DEVICES or (index and not index.isdigit()):
        raise ValueError(f"unknown device {name!r}: expected 'cpu', 'cuda' or 'cuda:0'.")
    if index and int(index) != 0:
        raise RuntimeError(f"device {name!r}: minitorch uses one GPU, 'cuda:0' (or just 'cuda').")
    if kind == "cuda":
        from . import cuda

        cuda.require()
    return kind


def is_gpu_array(array):
    """Whether ``array`` is a cupy array (tested without importing cupy)."""
    return type(array).__module__.split(".")[0] == "cupy"


def get_array_module(array):
    """The module of ``array``: cupy for a cupy array, numpy otherwise (``cupy.get_array_module``).

    For the few numpy calls that do not dispatch to cupy by themselves, e.g. ``np.add.at`` with a
    tuple index: ``get_array_module(x).add.at(x, index, values)`` works for both.
    """
    return sys.modules["cupy"] if is_gpu_array(array) else np


def array_module(device):
    """The array library for ``device``: cupy on a real GPU, numpy otherwise (CPU or simulator)."""
    if device == "cuda":
        from . import cuda

        if not cuda.simulated():
            return sys.modules["cupy"]
    return np


def move(array, device):
    """A copy of ``array`` on ``device`` (numpy for "cpu"; cupy, or numpy in the simulator, for "cuda")."""
    if device == "cpu":
        return sys.modules["cupy"].asnumpy(array) if is_gpu_array(array) else array.copy()
    xp = array_module(device)
    return xp.array(array, copy=True)
