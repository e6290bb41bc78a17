"""The op functions as module-level calls (``minitorch.exp(x)``, ``minitorch.cat([a, b])``), as in PyTorch."""
from . import functions as F
from .functions._util import normalize_dim
from .tensor import Tensor


def _as_tensors(op, tensors):
    tensors = list(tensors)
    if not tensors:
        raise ValueError(f"{op}: expected a non-empty sequence of tensors.")
    for t in tensors:
        if not isinstance(t, Tensor):
            raise TypeError(f"{op}: expected a sequence of Tensors, got an element of type {type(t).__name__}.")
    return tensors


def cat(tensors, dim=0):
    """Join tensors along an existing dimension ``dim``."""
    tensors = _as_tensors("cat", tensors)
    return F.Cat.apply(normalize_dim("cat", dim, tensors[0].ndim), *tensors)


concat = concatenate = cat


def stack(tensors, dim=0):
    """Stack same-shaped tensors along a new dimension ``dim``."""
    tensors = _as_tensors("stack", tensors)
    return F.Stack.apply(normalize_dim("stack", dim, tensors[0].ndim + 1), *tensors)


def where(condition, input, other):
    """``input`` where ``condition`` is True, else ``other`` (both broadcast)."""
    condition = condition._array if isinstance(condition, Tensor) else condition
    return F.Where.apply(condition, input, other)


def exp(x):
    return x.exp()


def log(x):
    return x.log()


def sqrt(x):
    return x.sqrt()


def abs(x):
    return x.abs()


def tanh(x):
    return x.tanh()


def sigmoid(x):
    return x.sigmoid()


def relu(x):
    return x.relu()


def clamp(x, min=None, max=None):
    return x.clamp(min, max)


clip = clamp


def matmul(a, b):
    return a @ b


def sum(x, dim=None, keepdim=False):
    return x.sum(dim, keepdim)


def mean(x, dim=None, keepdim=False):
    return x.mean(dim, keepdim)


def var(x, dim=None, keepdim=False, correction=1):
    return x.var(dim, keepdim, correction)


def max(x, dim=None, keepdim=False):
    return x.max(dim, keepdim)


def min(x, dim=None, keepdim=False):
    return x.min(dim, keepdim)


def logsumexp(x, dim, keepdim=False):
    return x.logsumexp(dim, keepdim)


def argmax(x, dim=None, keepdim=False):
    return x.argmax(dim, keepdim)


def reshape(x, shape):
    return x.reshape(shape)


def transpose(x, dim0, dim1):
    return x.transpose(dim0, dim1)


def permute(x, dims):
    return x.permute(*dims)


def flatten(x, start_dim=0, end_dim=-1):
    return x.flatten(start_dim, end_dim)


def unsqueeze(x, dim):
    return x.unsqueeze(dim)


def squeeze(x, dim=None):
    return x.squeeze(dim)


def masked_fill(x, mask, value):
    return x.masked_fill(mask, value)


def softmax(x, dim):
    return x.softmax(dim)


def log_softmax(x, dim):
    return x.log_softmax(dim)


def allclose(a, b, rtol=1e-5, atol=1e-8):
    return a.allclose(b, rtol, atol)
