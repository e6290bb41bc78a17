"""Top-level numerics that are no Tensor method in PyTorch: integration (``trapezoid``,
``cumulative_trapezoid``), finite differences (``gradient``), ``vander``, ``block_diag``,
``combinations``, ``chain_matmul``; and the ones no gradient flows through: ``isin``,
``unravel_index``, ``broadcast_shapes``, ``scalar_tensor``, ``typename``.

The differentiable ones are compositions of ops (narrow, arithmetic, sums, cat, indexing, pow), so
gradients flow through them; they are exported as ``minitorch.<name>``, as in PyTorch.
"""
import itertools
import math

import numpy as np

from . import checks, dtypes
from .api import Size
from .creation import _new
from .device import array_module
from .functions._util import broadcast_shapes as _broadcast_shapes
from .joining import vstack
from .linalg import multi_dot
from .namespace import cat
from .tensor import Tensor

__all__ = [
    "trapezoid", "trapz", "cumulative_trapezoid", "gradient", "vander", "block_diag", "combinations",
    "chain_matmul", "isin", "unravel_index", "row_stack", "broadcast_shapes", "scalar_tensor",
    "typename",
]

row_stack = vstack


def _along(values, dim, ndim):
    """A 1-D tensor reshaped to broadcast along ``dim`` of an ``ndim``-dimensional tensor."""
    shape = [1] * ndim
    shape[dim] = -1
    return values.reshape(shape)


def _trapezoids(op, y, x, dx, dim):
    """(the areas of the trapezoids between neighbours along dim, dim as an axis)."""
    y = checks.tensor(op, "y", y)
    dim = checks.dim(op, dim, y.ndim)
    n = y.shape[dim]
    sides = y.narrow(dim, 1, n - 1) + y.narrow(dim, 0, n - 1) if n else y
    if x is None:
        return sides * ((1 if dx is None else dx) / 2), dim
    if dx is not None:
        raise TypeError(f"{op}: give x or dx, not both.")
    x = checks.tensor(op, "x", x)
    if x.ndim == 1:
        if x.shape[0] != n:
            raise RuntimeError(f"{op}: x has {x.shape[0]} points, y has {n} along dim {dim}; they must agree.")
        return sides * _along(x.diff(), dim, y.ndim) / 2, dim
    return sides * x.diff(dim=dim - y.ndim) / 2, dim


def trapezoid(y, x=None, *, dx=None, dim=-1):
    """The integral of y along ``dim`` by the trapezoidal rule, with sample points x (1-D, or shaped
    as y) or a constant spacing dx (default 1).

    >>> import minitorch
    >>> minitorch.trapezoid(minitorch.tensor([1.0, 2.0, 3.0]), dx=2)
    tensor(8.)
    """
    areas, dim = _trapezoids("trapezoid", y, x, dx, dim)
    return areas.sum(dim)


trapz = trapezoid


def cumulative_trapezoid(y, x=None, *, dx=None, dim=-1):
    """The running integral of y along ``dim`` by the trapezoidal rule (one element fewer than y).

    >>> import minitorch
    >>> minitorch.cumulative_trapezoid(minitorch.tensor([1.0, 4.0, 9.0, 16.0]))
    tensor([ 2.5000,  9.0000, 21.5000])
    """
    areas, dim = _trapezoids("cumulative_trapezoid", y, x, dx, dim)
    return areas.cumsum(dim)


def _coordinates(op, spacing, dims, input):
    """The sample coordinates along each of ``dims`` as float64 numpy arrays."""
    if isinstance(spacing, (int, float)) and not isinstance(spacing, bool):
        spacing = [spacing] * len(dims)
    spacing = list(spacing)
    if len(spacing) == 1 and len(dims) > 1 and not isinstance(spacing[0], Tensor):
        spacing = spacing * len(dims)
    if len(spacing) != len(dims):
        raise RuntimeError(f"{op}: expected spacing to be unspecified, a scalar, or a list of length "
                           f"{len(dims)} (one per dim), got a list of length {len(spacing)}.")
    coordinates = []
    for d, s in zip(dims, spacing):
        if isinstance(s, Tensor):
            if s.ndim != 1 or s.shape[0] != input.shape[d]:
                raise RuntimeError(f"{op}: the coordinates along dim {d} must be 1-D with {input.shape[d]} "
                                   f"points, got shape {tuple(s.shape)}.")
            coordinates.append(s.detach().cpu().numpy().astype(np.float64))
        else:
            coordinates.append(np.arange(input.shape[d]) * float(s))
    return coordinates


def _difference(f, x, dim, edge_order):
    """df/dx along dim at every sample, second order inside, ``edge_order`` at the two ends."""
    n = f.shape[dim]
    h = np.diff(x)
    weight = lambda values: _along(f.new_tensor(np.asarray(values)), dim, f.ndim)  # noqa: E731
    piece = lambda start, length: f.narrow(dim, start, length)  # noqa: E731
    left, right = h[:-1], h[1:]
    inside = (piece(2, n - 2) * weight(left * left) - piece(0, n - 2) * weight(right * right)
              + piece(1, n - 2) * weight(right * right - left * left)) / weight(left * right * (left + right))
    if edge_order == 1:
        first = (piece(1, 1) - piece(0, 1)) / h[0]
        last = (piece(n - 1, 1) - piece(n - 2, 1)) / h[-1]
    else:
        a, b = h[0], h[1]
        first = (piece(0, 1) * (-(2 * a + b) / (a * (a + b))) + piece(1, 1) * ((a + b) / (a * b))
                 + piece(2, 1) * (-a / (b * (a + b))))
        a, b = h[-2], h[-1]
        last = (piece(n - 3, 1) * (b / (a * (a + b))) + piece(n - 2, 1) * (-(a + b) / (a * b))
                + piece(n - 1, 1) * ((2 * b + a) / (b * (a + b))))
    return cat([first, inside, last], dim)


def gradient(input, *, spacing=1, dim=None, edge_order=1):
    """The derivative of the samples ``input`` along each of ``dim`` (all dims by default) by central
    differences, one tensor per dim; ``spacing`` is a scalar, one per dim, or 1-D tensors of the
    sample coordinates; the ends use one-sided differences of order ``edge_order`` (1 or 2).

    >>> import minitorch
    >>> minitorch.gradient(minitorch.tensor([1.0, 4.0, 9.0, 16.0]), spacing=2.0)
    (tensor([1.5000, 2.0000, 3.0000, 3.5000]),)
    """
    op = "gradient"
    input = checks.tensor(op, "input", input)
    checks.choice(op, "edge_order", edge_order, (1, 2), error=RuntimeError)
    listed = tuple(range(input.ndim)) if dim is None else (dim,) if isinstance(dim, int) else tuple(dim)
    dims = [checks.dim(op, d, input.ndim) for d in listed]
    for d in dims:
        if input.shape[d] < edge_order + 1:
            raise RuntimeError(f"{op}: expected each dimension size to be at least edge_order+1 = "
                               f"{edge_order + 1}, dim {d} has {input.shape[d]}.")
    f = input if input.is_floating_point() else input.to(dtypes.get_default_dtype())
    coordinates = _coordinates(op, spacing, dims, input)
    return tuple(_difference(f, x, d, edge_order) for d, x in zip(dims, coordinates))


def vander(x, N=None, increasing=False):
    """The Vandermonde matrix of the 1-D x: columns x^(N-1), ..., x, 1 (reversed if ``increasing``).

    >>> import minitorch
    >>> minitorch.vander(minitorch.tensor([1, 2, 3]), N=3).tolist()
    [[1, 1, 1], [4, 2, 1], [9, 3, 1]]
    """
    x = checks.tensor("vander", "x", x)
    if x.ndim != 1:
        raise RuntimeError(f"vander: x must be a one-dimensional tensor, got shape {tuple(x.shape)}.")
    N = x.shape[0] if N is None else checks.integer("vander", "N", N, minimum=0, range_error=RuntimeError)
    if not x.is_floating_point():
        x = x.long()
    powers = np.arange(N) if increasing else np.arange(N)[::-1].copy()
    return x.unsqueeze(-1) ** x.new_tensor(powers, dtype=dtypes.int64)


def block_diag(*tensors):
    """The tensors (0-, 1- or 2-D; a 1-D one as a row) on the diagonal of one matrix, zeros elsewhere.

    >>> import minitorch
    >>> minitorch.block_diag(minitorch.tensor([[1, 2]]), minitorch.tensor(3)).tolist()
    [[1, 2, 0], [0, 0, 3]]
    """
    tensors = [checks.tensor("block_diag", f"tensors[{i}]", t) for i, t in enumerate(tensors)]
    for i, t in enumerate(tensors):
        if t.ndim > 2:
            raise RuntimeError(f"block_diag: input tensors must have 2 or fewer dimensions, tensors[{i}] has {t.ndim}.")
    if not tensors:
        return _new(np.zeros((1, 0), dtypes.get_default_dtype().np_dtype), False, None)
    dtype = dtypes.common_dtype(*tensors)
    blocks = [t.to(dtype).reshape(1, -1) if t.ndim < 2 else t.to(dtype) for t in tensors]
    width = sum(b.shape[1] for b in blocks)
    rows, column = [], 0
    for b in blocks:
        rows.append(cat([b.new_zeros(b.shape[0], column), b, b.new_zeros(b.shape[0], width - column - b.shape[1])], 1))
        column += b.shape[1]
    return cat(rows, 0)


def combinations(input, r=2, with_replacement=False):
    """The length-r combinations of the elements of the 1-D input, one per row (as itertools).

    >>> import minitorch
    >>> minitorch.combinations(minitorch.tensor([1, 2, 3])).tolist()
    [[1, 2], [1, 3], [2, 3]]
    """
    input = checks.tensor("combinations", "input", input)
    if input.ndim != 1:
        raise RuntimeError(f"combinations: expect a 1D vector, but got shape {list(input.shape)}.")
    r = checks.integer("combinations", "r", r, minimum=0, range_error=RuntimeError)
    if r == 0:
        return input.new_zeros(0)
    choose = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    index = np.array(list(choose(range(input.shape[0]), r)), dtype=np.int64).reshape(-1, r)
    return input[input.new_tensor(index, dtype=dtypes.int64)]


def chain_matmul(*matrices, out=None):
    """The product of the 2-D matrices, left to right (deprecated in PyTorch for ``linalg.multi_dot``).

    >>> import minitorch
    >>> minitorch.chain_matmul(minitorch.eye(2), minitorch.ones(2, 3)).shape
    minitorch.Size([2, 3])
    """
    if len(matrices) == 1:
        return matrices[0].clone()
    return multi_dot(list(matrices), out=out)


def isin(elements, test_elements, *, assume_unique=False, invert=False):
    """Whether each element of ``elements`` is in ``test_elements`` (either may be a number), a bool tensor.

    >>> import minitorch
    >>> minitorch.isin(minitorch.tensor([1, 2, 3]), minitorch.tensor([2, 5]))
    tensor([False,  True, False])
    """
    if not isinstance(elements, Tensor) and not isinstance(test_elements, Tensor):
        raise TypeError("isin: elements or test_elements must be a Tensor, got two numbers.")
    like = elements if isinstance(elements, Tensor) else test_elements
    xp = array_module(like._array)
    arrays = [t._array if isinstance(t, Tensor) else xp.asarray(t) for t in (elements, test_elements)]
    found = xp.isin(*arrays, assume_unique=assume_unique, invert=invert)
    return Tensor._make(found, False, None, like.device)


def unravel_index(indices, shape):
    """The coordinates of flat ``indices`` into a tensor of ``shape``, one int64 tensor per dimension
    (negative indices count from the end).

    >>> import minitorch
    >>> minitorch.unravel_index(minitorch.tensor([4, 5]), (2, 3))
    (tensor([1, 1]), tensor([1, 2]))
    """
    indices = checks.tensor("unravel_index", "indices", indices)
    if indices.is_floating_point() or indices.dtype == dtypes.bool_:
        raise TypeError(f"unravel_index: expected 'indices' to be an integer tensor, got {indices.dtype!r}.")
    shape = checks.sizes("unravel_index", (shape,) if isinstance(shape, int) else tuple(shape))
    total = math.prod(shape)
    flat = indices._array.astype(np.int64)
    if bool(((flat < -total) | (flat >= total)).any()):
        raise RuntimeError(f"unravel_index: an index is out of bounds for a tensor of shape {tuple(shape)} "
                           f"({total} elements: indices must lie in [-{total}, {total})).")
    coordinates = array_module(flat).unravel_index(flat % max(total, 1), shape)
    return tuple(Tensor._make(c.astype(np.int64), False, None, indices.device) for c in coordinates)


def broadcast_shapes(*shapes):
    """The shape that tensors of ``shapes`` broadcast to (a RuntimeError if they do not).

    >>> import minitorch
    >>> minitorch.broadcast_shapes((2, 1), (3, 1, 1))
    minitorch.Size([3, 2, 1])
    """
    listed = [(s,) if isinstance(s, int) else tuple(s) for s in shapes]
    return Size(_broadcast_shapes("broadcast_shapes", *listed))


def scalar_tensor(s, *, dtype=None, layout=None, device=None, pin_memory=None, requires_grad=False):
    """A 0-d tensor holding the number s, float32 (the default float dtype) unless ``dtype`` says.

    >>> import minitorch
    >>> minitorch.scalar_tensor(3)
    tensor(3.)
    """
    checks.real("scalar_tensor", "s", float(s) if isinstance(s, bool) else s)
    np_dtype = (dtypes.to_dtype(dtype) or dtypes.get_default_dtype()).np_dtype
    return _new(np.asarray(s, dtype=np_dtype), requires_grad, device, "scalar_tensor")


_LEGACY_NAMES = {"float32": "FloatTensor", "float64": "DoubleTensor", "float16": "HalfTensor",
                 "int64": "LongTensor", "int32": "IntTensor", "int16": "ShortTensor", "int8": "CharTensor",
                 "uint8": "ByteTensor", "bool": "BoolTensor"}


def typename(obj):
    """The type of obj as a string: PyTorch's legacy name for a tensor (``'torch.FloatTensor'``, so
    that code comparing with PyTorch's strings runs), else the qualified name of obj's class.

    >>> import minitorch
    >>> minitorch.typename(minitorch.zeros(1)), minitorch.typename(3)
    ('torch.FloatTensor', 'int')
    """
    if isinstance(obj, Tensor):
        return "torch." + _LEGACY_NAMES.get(str(obj.dtype).rpartition(".")[2], "Tensor")
    module = type(obj).__module__
    return type(obj).__qualname__ if module in (None, "builtins") else f"{module}.{type(obj).__qualname__}"
