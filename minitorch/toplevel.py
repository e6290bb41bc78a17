"""PyTorch's top-level names that are not a Tensor method under another spelling: the constants
``pi``, ``e``, ``inf``, ``nan``; ``numel``, ``equal``, ``split``, ``norm`` (whose PyTorch
signatures differ from the methods'), ``tensordot``, ``cdist``, ``tril_indices``/``triu_indices``,
and the function forms of layers' functions: ``dropout``, ``layer_norm``, ``embedding``, ``conv2d``.

All are compositions of existing ops (their gradients come from those ops).
"""
import math

import numpy as np

from . import checks
from .autograd.composite import shown_as
from .creation import _new, _out
from .dtypes import int64, to_dtype
from .namespace import cat
from .nn import functional as F

pi = math.pi
e = math.e
inf = math.inf
nan = math.nan


def numel(input):
    """The number of elements of ``input`` (``input.numel()``).

    >>> import minitorch
    >>> minitorch.numel(minitorch.zeros(2, 3))
    6
    """
    checks.tensors("numel", [input])
    return input.numel()


def equal(input, other):
    """True if the two tensors have the same shape and the same values (a Python bool).

    >>> import minitorch
    >>> minitorch.equal(minitorch.tensor([1, 2]), minitorch.tensor([1.0, 2.0]))
    True
    """
    checks.tensors("equal", [input, other])
    return input.shape == other.shape and bool((input == other).all())


def split(tensor, split_size_or_sections, dim=0):
    """Pieces of ``tensor`` (``tensor.split(split_size_or_sections, dim)``): pieces of that many
    elements along ``dim`` (the last may be shorter), or of the listed sizes.

    >>> import minitorch
    >>> [p.tolist() for p in minitorch.split(minitorch.arange(5), [2, 3])]
    [[0, 1], [2, 3, 4]]
    """
    checks.tensors("split", [tensor])
    return tensor.split(split_size_or_sections, dim)


def norm(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    """The p-norm of ``input`` (``input.norm(p, dim, keepdim, dtype)``), written into ``out`` if given.

    >>> import minitorch
    >>> minitorch.norm(minitorch.tensor([3.0, 4.0]))
    tensor(5.)
    """
    checks.tensors("norm", [input])
    return _out("norm", input.norm(p, dim, keepdim, dtype), out)


def tensordot(a, b, dims=2, out=None):
    """Sum of products over dimensions of ``a`` and ``b``: the last ``dims`` of a with the first
    ``dims`` of b (an int), or the listed pairs (``([1, 0], [0, 2])``); a matmul after reshapes.

    >>> import minitorch
    >>> minitorch.tensordot(minitorch.ones(2, 3, 4), minitorch.ones(3, 4, 5)).shape
    minitorch.Size([2, 5])
    """
    checks.tensors("tensordot", [a, b])
    if isinstance(dims, (int, np.integer)) and not isinstance(dims, bool):
        if not 0 <= dims <= min(a.ndim, b.ndim):
            raise RuntimeError(f"tensordot: dims must be between 0 and {min(a.ndim, b.ndim)}, got {dims}.")
        dims_a, dims_b = list(range(a.ndim - dims, a.ndim)), list(range(dims))
    else:
        try:
            dims_a, dims_b = ([d] if isinstance(d, int) else list(d) for d in dims)
        except (TypeError, ValueError):
            raise TypeError(f"tensordot: dims must be an int or a pair of dim lists, got {dims!r}.") from None
        dims_a = [checks.dim("tensordot", d, a.ndim) for d in dims_a]
        dims_b = [checks.dim("tensordot", d, b.ndim) for d in dims_b]
    sizes_a, sizes_b = [a.shape[d] for d in dims_a], [b.shape[d] for d in dims_b]
    if sizes_a != sizes_b:
        raise RuntimeError(f"tensordot: contracted dimensions must match, got sizes {sizes_a} of a and {sizes_b} of b.")
    free_a = [d for d in range(a.ndim) if d not in dims_a]
    free_b = [d for d in range(b.ndim) if d not in dims_b]
    k = math.prod(sizes_a)
    left = a.permute(*free_a, *dims_a).reshape(-1, k)
    right = b.permute(*dims_b, *free_b).reshape(k, -1)
    result = (left @ right).reshape(*[a.shape[d] for d in free_a], *[b.shape[d] for d in free_b])
    return _out("tensordot", result, out)


@shown_as("CdistBackward0", inputs=2)
def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """The p-norm distance between each row of ``x1`` (*, P, M) and each row of ``x2`` (*, R, M):
    (*, P, R). Computed directly (the gradient of a zero distance is 0, as PyTorch's), except for
    p=2 where ``compute_mode`` picks PyTorch's matmul shortcut: "use_mm_for_euclid_dist" always,
    the default "use_mm_for_euclid_dist_if_necessary" when P > 25 or R > 25. The shortcut,
    sqrt(max(|a|^2 + |b|^2 - 2 a.b, 1e-30)), needs no (*, P, R, M) intermediate (10,000 x 10,000
    points stay a matrix) and rounds as PyTorch's does.

    >>> import minitorch
    >>> minitorch.cdist(minitorch.tensor([[0.0, 0.0]]), minitorch.tensor([[3.0, 4.0], [1.0, 0.0]]))
    tensor([[5., 1.]])
    """
    checks.tensors("cdist", [x1, x2])
    if x1.ndim < 2 or x2.ndim < 2 or x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(f"cdist: x1 {tuple(x1.shape)} and x2 {tuple(x2.shape)} must be at least 2-D with the same "
                           f"number of columns (the last dim).")
    if p < 0:
        raise RuntimeError(f"cdist only supports non-negative p values, got p={p}.")
    modes = ("use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist", "donot_use_mm_for_euclid_dist")
    if compute_mode not in modes:
        raise ValueError(f"cdist: compute_mode must be one of {modes}, got {compute_mode!r}.")
    large = x1.shape[-2] > 25 or x2.shape[-2] > 25
    if p == 2 and (compute_mode == modes[1] or (compute_mode == modes[0] and large)):
        return _euclidean_by_matmul(x1, x2)
    return (x1.unsqueeze(-2) - x2.unsqueeze(-3)).norm(p, dim=-1)


def _euclidean_by_matmul(x1, x2):
    """cdist's p=2 shortcut as PyTorch computes it: [-2a, |a|^2, 1] . [b, 1, |b|^2], clamped, square-rooted."""
    norm1, norm2 = x1.pow(2).sum(-1, keepdim=True), x2.pow(2).sum(-1, keepdim=True)
    left = cat([x1.mul(-2), norm1, norm1.new_ones(norm1.shape)], -1)
    right = cat([x2, norm2.new_ones(norm2.shape), norm2], -1)
    return left.matmul(right.transpose(-2, -1)).clamp_min(1e-30).sqrt()


def _triangle_indices(op, row, col, offset, dtype, device, keep):
    for name, value in (("row", row), ("col", col), ("offset", offset)):
        checks.integer(op, name, value, minimum=0 if name != "offset" else None)
    i, j = np.indices((row, col)).reshape(2, -1)
    picked = keep(j - i, offset)
    return _new(np.stack([i[picked], j[picked]]).astype(to_dtype(dtype).np_dtype), False, device)


def tril_indices(row, col, offset=0, *, dtype=int64, device="cpu", layout=None):
    """The (row, column) indices of the lower triangle of a row x col matrix (on and below diagonal
    ``offset``), as a 2 x N tensor in row-major order.

    >>> import minitorch
    >>> minitorch.tril_indices(3, 3, -1).tolist()
    [[1, 2, 2], [0, 0, 1]]
    """
    return _triangle_indices("tril_indices", row, col, offset, dtype, device, lambda d, k: d <= k)


def triu_indices(row, col, offset=0, *, dtype=int64, device="cpu", layout=None):
    """The (row, column) indices of the upper triangle of a row x col matrix (on and above diagonal
    ``offset``), as a 2 x N tensor in row-major order.

    >>> import minitorch
    >>> minitorch.triu_indices(2, 3, 1).tolist()
    [[0, 0, 1], [1, 2, 2]]
    """
    return _triangle_indices("triu_indices", row, col, offset, dtype, device, lambda d, k: d >= k)


def dropout(input, p, train):
    """``F.dropout(input, p, training=train)``: PyTorch's function form.

    >>> import minitorch
    >>> minitorch.dropout(minitorch.ones(3), 0.5, False).tolist()
    [1.0, 1.0, 1.0]
    """
    return F.dropout(input, p, train)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5, cudnn_enable=True):
    """``F.layer_norm``: PyTorch's function form (``cudnn_enable`` is accepted and ignored).

    >>> import minitorch
    >>> minitorch.layer_norm(minitorch.tensor([[1.0, 3.0]]), (2,)).tolist()
    [[-0.9999950000374997, 0.9999950000374997]]
    """
    return F.layer_norm(input, normalized_shape, weight, bias, eps)


def embedding(weight, input, padding_idx=-1, scale_grad_by_freq=False, sparse=False):
    """``F.embedding`` with PyTorch's function-form order: ``weight`` first, and ``padding_idx=-1``
    meaning none (as in PyTorch's ``torch.embedding``).

    >>> import minitorch
    >>> minitorch.embedding(minitorch.eye(3), minitorch.tensor([2, 0])).tolist()
    [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    """
    return F.embedding(input, weight, None if padding_idx == -1 else padding_idx,
                       scale_grad_by_freq=scale_grad_by_freq, sparse=sparse)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """``F.conv2d``: PyTorch's function form.

    >>> import minitorch
    >>> minitorch.conv2d(minitorch.ones(1, 1, 3, 3), minitorch.ones(1, 1, 2, 2)).tolist()
    [[[[4.0, 4.0], [4.0, 4.0]]]]
    """
    return F.conv2d(input, weight, bias, stride, padding, dilation, groups)


def dropout_(input, p, train):
    """``F.dropout(input, p, training=train, inplace=True)``: PyTorch's in-place function form."""
    return F.dropout(input, p, train, inplace=True)


def alpha_dropout(input, p, train):
    """``F.alpha_dropout(input, p, training=train)``: PyTorch's function form."""
    return F.alpha_dropout(input, p, train)


def alpha_dropout_(input, p, train):
    """``F.alpha_dropout(input, p, training=train, inplace=True)``: PyTorch's in-place function form."""
    return F.alpha_dropout(input, p, train, inplace=True)


def feature_alpha_dropout(input, p, train):
    """``F.feature_alpha_dropout(input, p, training=train)``: PyTorch's function form."""
    return F.feature_alpha_dropout(input, p, train)


def adaptive_max_pool1d(input, output_size):
    """``F.adaptive_max_pool1d(input, output_size, return_indices=True)``: PyTorch's function form
    gives the values and their indices."""
    return F.adaptive_max_pool1d(input, output_size, return_indices=True)


def fill(input, value):
    """A new tensor of ``input``'s shape, dtype and device, every element ``value`` (``input`` unchanged).

    >>> import minitorch
    >>> minitorch.fill(minitorch.zeros(2), 3.0).tolist()
    [3.0, 3.0]
    """
    checks.tensors("fill", [input])
    return input.clone().detach().fill_(value)


def frombuffer(buffer, *, dtype, count=-1, offset=0, requires_grad=False):
    """A 1-d tensor over the bytes of a Python buffer (``bytearray``, ``memoryview``, ``array``): ``count``
    elements of ``dtype`` (-1: all) from byte ``offset``, sharing the buffer's memory (as numpy's frombuffer).

    >>> import minitorch
    >>> minitorch.frombuffer(bytearray(b"\\x01\\x00\\x02\\x00"), dtype=minitorch.int16).tolist()
    [1, 2]
    """
    array = np.frombuffer(buffer, dtype=to_dtype(dtype).np_dtype, count=count, offset=offset)
    return _new(array, requires_grad, "cpu")


def from_dlpack(ext_tensor):
    """A tensor sharing the memory of any object with ``__dlpack__`` (a numpy array, a PyTorch tensor on
    the CPU; a cupy array becomes a ``cuda`` tensor).

    >>> import numpy as np, minitorch
    >>> minitorch.from_dlpack(np.arange(3)).tolist()
    [0, 1, 2]
    """
    device = getattr(ext_tensor, "__dlpack_device__", lambda: (1, 0))()
    if device[0] == 1:  # kDLCPU
        return _new(np.from_dlpack(ext_tensor), False, "cpu")
    import cupy  # a GPU array: cupy takes it without a copy

    return _new(cupy.from_dlpack(ext_tensor), False, "cuda")


def empty_strided(size, stride, *, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False):
    """An uninitialised tensor of ``size`` whose elements lie ``stride`` elements apart in new memory.

    >>> import minitorch
    >>> minitorch.empty_strided((2, 3), (1, 2)).stride()
    (1, 2)
    """
    size, stride = tuple(size), tuple(stride)
    length = 1 + sum((n - 1) * s for n, s in zip(size, stride)) if all(size) else 0
    from .creation import empty

    memory = empty(length, dtype=dtype, device=device)
    return memory.as_strided(size, stride, 0).requires_grad_(requires_grad)


def set_default_tensor_type(t):
    """Deprecated (PyTorch 2.1): ``set_default_dtype`` with the dtype of a legacy type (``minitorch.DoubleTensor``
    or ``"torch.DoubleTensor"``); a ``cuda.`` type also makes ``cuda`` the default device."""
    import warnings

    from .device import set_default_device
    from .dtypes import from_legacy_type, set_default_dtype

    warnings.warn("torch.set_default_tensor_type() is deprecated as of PyTorch 2.1, please use "
                  "torch.set_default_dtype() and torch.set_default_device() as alternatives.", UserWarning,
                  stacklevel=2)
    set_default_dtype(from_legacy_type(t))
    if ".cuda." in str(t):
        set_default_device("cuda")


def set_anomaly_enabled(enabled, check_nan=True):
    """Turn anomaly detection on or off (``autograd.set_detect_anomaly`` without the context manager)."""
    from .autograd import set_detect_anomaly

    set_detect_anomaly(enabled, check_nan)


def is_anomaly_enabled():
    """Whether anomaly detection is on (``autograd.set_detect_anomaly``)."""
    from .autograd import is_anomaly_enabled as enabled

    return enabled()


#: nn.functional's functions that PyTorch also offers at the top level, with the same signature.
SAME_AS_FUNCTIONAL = (
    "conv1d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "max_pool1d", "max_pool2d",
    "max_pool3d", "avg_pool1d", "adaptive_avg_pool1d", "pixel_shuffle", "pixel_unshuffle",
    "channel_shuffle", "cosine_similarity", "pairwise_distance", "pdist", "bilinear", "celu", "celu_", "selu",
    "selu_", "threshold", "threshold_", "prelu", "rrelu", "rrelu_", "hardshrink", "relu_", "group_norm", "rms_norm",
)
globals().update({name: getattr(F, name) for name in SAME_AS_FUNCTIONAL})

__all__ = ["pi", "e", "inf", "nan", "numel", "equal", "split", "norm", "tensordot", "cdist", "tril_indices",
           "triu_indices", "dropout", "layer_norm", "embedding", "conv2d", "dropout_", "alpha_dropout",
           "alpha_dropout_", "feature_alpha_dropout", "adaptive_max_pool1d", "fill", "frombuffer", "from_dlpack",
           "empty_strided", "set_default_tensor_type", "set_anomaly_enabled", "is_anomaly_enabled", *SAME_AS_FUNCTIONAL]
