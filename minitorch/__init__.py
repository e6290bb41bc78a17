"""minitorch: a small deep-learning framework written from scratch for learning.

The API follows PyTorch's names, so ``import minitorch as torch`` runs most
simple PyTorch model code unchanged.
"""
from . import accelerator, amp, autograd, backends, cuda, functions, onnx
from .amp import autocast
from .api import (
    Size, channels_last, channels_last_3d, contiguous_format, is_complex, is_floating_point, is_tensor, layout,
    memory_format, preserve_format, strided,
)
from .autograd import (
    enable_grad, inference_mode, is_grad_enabled, is_inference_mode_enabled, no_grad, set_grad_enabled,
)
from .backends import (
    are_deterministic_algorithms_enabled, compile, get_float32_matmul_precision, get_num_threads,
    set_float32_matmul_precision, set_num_threads, use_deterministic_algorithms,
)
from .creation import (
    arange, as_tensor, asarray, empty, empty_like, eye, from_numpy, full, full_like, linspace, logspace, ones,
    ones_like, rand, rand_like, randint, randint_like, randn, randn_like, randperm, tensor, zeros, zeros_like,
)
from .device import device, get_default_device, set_default_device
from .dtypes import (
    DType, bfloat16, bool_, can_cast, cfloat, complex64, double, finfo, float, float16, float32, float64,
    get_default_dtype, half, iinfo, int, int8, int16, int32, int64, long, promote_types, result_type,
    set_default_dtype, short, uint8,
)
from .errors import InPlaceModificationError, ShapeError
from .namespace import *  # noqa: F403  (the function forms of the ops: exp, sum, cat, ...)
from .joining import *  # noqa: F403  (einsum, meshgrid, hstack, broadcast_tensors, ...)
from .random import Generator, default_generator, get_rng_state, initial_seed, manual_seed, seed, set_rng_state
from .printing import set_printoptions
from .sampling import bernoulli, multinomial, normal, poisson
from .serialization import load, save
from .tensor import Tensor

from . import data, metrics, nn, optim, testing, utils  # noqa: E402  (they build on the names above)
from . import linalg  # noqa: E402  (torch.linalg: builds on Tensor)
from . import func  # noqa: E402  (torch.func.functional_call: builds on nn)
from . import distributions  # noqa: E402  (built on nn.functional and the samplers)
from . import multiprocessing  # noqa: E402  (torch.multiprocessing: shared tensors travel by name; builds on nn)
from . import special  # noqa: E402  (torch.special: builds on Tensor)
from .special import polygamma  # noqa: E402  (polygamma(n, input): n first, as PyTorch)
from .numerics import *  # noqa: E402,F403  (trapezoid, gradient, vander, block_diag, histogram, isin, ...)
from .windows import *  # noqa: E402,F403  (hann_window, hamming_window, bartlett_window, blackman_window, kaiser_window)
from .toplevel import *  # noqa: E402,F403  (pi, numel, equal, split, norm, tensordot, cdist, conv2d, ...)
from .legacy import *  # noqa: E402,F403  (FloatTensor, LongTensor, ...)
from .legacy import Variable  # noqa: E402

autograd.Variable = Variable  # PyTorch's deprecated alias; it knows the Tensor class, so it is set here

autograd.gradcheck = testing.autograd_gradcheck  # PyTorch's signature; testing sits above autograd, so set here
dtype = DType

bool = bool_

from .version import __version__  # noqa: E402
