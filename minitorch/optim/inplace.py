"""``p += alpha * g`` in one pass over memory, without a temporary: the last step of SGD.

numpy evaluates ``p -= lr * g`` as two array operations: ``lr * g`` into a new array the size
of ``p``, then ``p - that`` back into ``p``. That reads and writes memory twice as much as the
arithmetic needs, and for a large weight matrix memory is the whole cost (PyTorch's
``p.add_(g, alpha=-lr)`` is one loop). A loop compiled by numba does it in one pass, and rounds
exactly as numpy does (the product, then the sum, each rounded to the dtype).

The compiled loop runs on contiguous numpy arrays of one dtype; anything else (cupy arrays on a
GPU, strided views, mixed dtypes) takes numpy's expression, which gives the same values. It lives
in ``_compiled.py``, imported at the first step: ``import minitorch`` needs only numpy.
"""
import importlib

import numpy as np


def add_scaled_(param, grad, alpha):
    """``param += alpha * grad``, in place; returns ``param``."""
    if (isinstance(param, np.ndarray) and isinstance(grad, np.ndarray) and param.dtype == grad.dtype
            and param.dtype in (np.float32, np.float64) and param.shape == grad.shape
            and param.flags.c_contiguous and grad.flags.c_contiguous):
        loop = importlib.import_module("._compiled", __package__).add_scaled_flat
        loop(param.reshape(-1), grad.reshape(-1), param.dtype.type(alpha))
    else:
        param += alpha * grad
    return param
