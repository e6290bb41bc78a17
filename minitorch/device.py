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


def array_module(where):
    """numpy or cupy: the library that holds an array, or that a device ("cpu", "cuda") uses.

    ``array_module(x)`` is cupy for a cupy array and numpy otherwise (``cupy.get_array_module``);
    ``array_module("cuda")`` is cupy on a real GPU and numpy on the CPU or under the simulator.
    For the few numpy calls that do not dispatch to cupy by themselves (``np.add.at`` with a
    tuple index, ``np.arange``): ``array_module(x).add.at(x, index, values)`` works for both.
    """
    if isinstance(where, str):
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
