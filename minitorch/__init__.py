"""minitorch: a small deep-learning framework written from scratch for learning.

The API follows PyTorch's names, so ``import minitorch as torch`` runs most
simple PyTorch model code unchanged.
"""
from . import autograd, cuda, functions
from .autograd import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .creation import (
    arange, empty, eye, from_numpy, full, full_like, linspace, ones, ones_like, rand, rand_like,
    randint, randn, randn_like, randperm, tensor, zeros, zeros_like,
)
from .dtypes import (
    DType, bool_, double, float, float16, float32, float64, half, int, int8, int16, int32, int64,
    long, uint8,
)
from .errors import InPlaceModificationError, ShapeError
from .namespace import *  # noqa: F403  (the function forms of the ops: exp, sum, cat, ...)
from .random import Generator, initial_seed, manual_seed
from .serialization import load, save
from .tensor import Tensor

from . import data, metrics, nn, optim, testing, utils  # noqa: E402  (they build on the names above)

bool = bool_

__version__ = "0.1.0"
