"""Norms and products of ``minitorch.linalg``: ``vector_norm``, ``matrix_norm``, ``norm``, ``cond``,
``cross``, ``vecdot``, ``multi_dot``, ``diagonal``, ``matmul``. All are compositions (of ``Norm``,
sums, maxima and the singular values), whose gradients come from those ops.
"""
import functools
import math

from .. import checks
from ._base import into, matrices
from .decompositions import svdvals
from .solves import inv

_MATRIX_ORDS = ("fro", "nuc", 2, -2, 1, -1, math.inf, -math.inf)


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None):
    """(sum_i |x_i|^ord)^(1/ord) over ``dim`` (every element when None): ord inf is the largest |x_i|,
    -inf the smallest, 0 the number of nonzeros.

    >>> import minitorch
    >>> minitorch.linalg.vector_norm(minitorch.tensor([[3.0, 4.0]])), minitorch.linalg.vector_norm(minitorch.tensor([3.0, -4.0]), 1)
    (tensor(5.), tensor(7.))
    """
    checks.tensor("linalg.vector_norm", "x", x)
    if isinstance(ord, str):
        raise RuntimeError(f"linalg.vector_norm: ord must be a number, got {ord!r} (a matrix norm's: use "
                           f"linalg.matrix_norm).")
    with checks.called_as("linalg.vector_norm", "norm"):
        return into("linalg.vector_norm", x.norm(ord, dim, keepdim, dtype), out)


def _matrix_dims(op, A, dim):
    """The two distinct matrix dims of ``dim`` as non-negative axes."""
    try:
        first, second = dim
    except (TypeError, ValueError):
        raise RuntimeError(f"{op}: dim must be a pair of dims, got {dim!r}.") from None
    axes = (checks.dim(op, first, A.ndim), checks.dim(op, second, A.ndim))
    if axes[0] == axes[1]:
        raise RuntimeError(f"{op}: the two dims must differ, got {dim!r}.")
    return axes


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None, out=None):
    """The norm of each matrix in the dims ``dim``: "fro" sqrt(sum a_ij^2), "nuc" the sum of the
    singular values, 2 / -2 the largest / smallest singular value, 1 / -1 the largest / smallest
    column sum of |a_ij|, inf / -inf the largest / smallest row sum.

    >>> import minitorch
    >>> A = minitorch.tensor([[1.0, -2.0], [3.0, 4.0]])
    >>> minitorch.linalg.matrix_norm(A, 1), minitorch.linalg.matrix_norm(A, float("inf"))
    (tensor(6.), tensor(7.))
    """
    op = "linalg.matrix_norm"
    A = matrices(op, A if dtype is None else A.to(dtype))
    checks.choice(op, "ord", ord, _MATRIX_ORDS, error=RuntimeError)
    rows, columns = _matrix_dims(op, A, dim)
    if ord == "fro":
        result = A.norm(2, (rows, columns), keepdim)
        return into(op, result, out)
    if ord in ("nuc", 2, -2):
        values = svdvals(A.movedim((rows, columns), (-2, -1)))
        result = values.sum(-1) if ord == "nuc" else values.amax(-1) if ord == 2 else values.amin(-1)
        if keepdim:
            for axis in sorted((rows, columns)):
                result = result.unsqueeze(axis)
        return into(op, result, out)
    summed, across = (rows, columns) if abs(ord) == 1 else (columns, rows)  # 1: column sums; inf: row sums
    sums = A.abs().sum(summed, keepdim=True)
    result = sums.amax(across, keepdim=True) if ord > 0 else sums.amin(across, keepdim=True)
    return into(op, result if keepdim else result.squeeze((rows, columns)), out)


def norm(input, ord=None, dim=None, keepdim=False, *, out=None, dtype=None):
    """A vector or a matrix norm: a matrix norm when ``dim`` is a pair (or None for a 2-D input with
    ``ord`` given), else a vector norm (ord None: 2; of every element when dim and ord are None).

    >>> import minitorch
    >>> minitorch.linalg.norm(minitorch.tensor([[3.0, 0.0], [0.0, 4.0]])), minitorch.linalg.norm(minitorch.eye(2), "nuc")
    (tensor(5.), tensor(2.))
    """
    checks.tensor("linalg.norm", "input", input)
    if isinstance(dim, int):
        dim = (dim,)
    if dim is not None and len(dim) == 2 or (dim is None and ord is not None and input.ndim == 2):
        with checks.called_as("linalg.norm", "linalg.matrix_norm"):
            return matrix_norm(input, "fro" if ord is None else ord, (-2, -1) if dim is None else dim, keepdim,
                               dtype=dtype, out=out)
    if dim is None and ord is not None and input.ndim != 1:
        raise RuntimeError(f"linalg.norm: with ord={ord!r} and dim=None the input must be 1-D or 2-D, got shape "
                           f"{tuple(input.shape)}; pass dim.")
    with checks.called_as("linalg.norm", "linalg.vector_norm"):
        return vector_norm(input, 2 if ord is None else ord, dim, keepdim, dtype=dtype, out=out)


def cond(A, p=None, *, out=None):
    """The condition number of A in norm ``p``: ||A|| ||A^-1|| (p None or 2: the ratio of the largest
    to the smallest singular value; -2 its inverse). Large values mean solves lose digits.

    >>> import minitorch
    >>> minitorch.linalg.cond(minitorch.tensor([[2.0, 0.0], [0.0, 0.5]]))
    tensor(4.)
    """
    matrices("linalg.cond", A)
    if p in (None, 2, -2):
        values = svdvals(A)
        ratio = values[..., 0] / values[..., -1]
        return into("linalg.cond", ratio if p != -2 else 1 / ratio, out)
    with checks.called_as("linalg.cond", "linalg.matrix_norm"):
        return into("linalg.cond", matrix_norm(A, p) * matrix_norm(inv(A), p), out)


def cross(input, other, *, dim=-1, out=None):
    """The cross product of 3-vectors along ``dim`` (size 3 there; the other dims broadcast, the
    numbers of dims must be equal).

    >>> import minitorch
    >>> minitorch.linalg.cross(minitorch.tensor([1.0, 0.0, 0.0]), minitorch.tensor([0.0, 1.0, 0.0])).tolist()
    [0.0, 0.0, 1.0]
    """
    checks.tensor("linalg.cross", "input", input)
    with checks.called_as("linalg.cross", "cross"):
        return into("linalg.cross", input.cross(checks.tensor("linalg.cross", "other", other), dim=dim), out)


def vecdot(x, y, *, dim=-1, out=None):
    """sum_i x_i y_i along ``dim`` (the other dims broadcast).

    >>> import minitorch
    >>> minitorch.linalg.vecdot(minitorch.tensor([1.0, 2.0]), minitorch.tensor([3.0, 4.0]))
    tensor(11.)
    """
    checks.tensor("linalg.vecdot", "x", x)
    checks.tensor("linalg.vecdot", "y", y)
    with checks.called_as("linalg.vecdot", "sum"):
        return into("linalg.vecdot", (x * y).sum(dim), out)


def multi_dot(tensors, *, out=None):
    """The product of two or more matrices, left to right; the first may be a 1-D row vector and the
    last a 1-D column vector (the result then loses that dim).

    >>> import minitorch
    >>> minitorch.linalg.multi_dot([minitorch.ones(3), minitorch.ones(3, 2), minitorch.ones(2)])
    tensor(6.)
    """
    tensors = checks.tensors("linalg.multi_dot", tensors, empty_error=RuntimeError)
    if len(tensors) < 2:
        raise RuntimeError(f"linalg.multi_dot: expected at least 2 tensors, got {len(tensors)}.")
    for i, t in enumerate(tensors):
        allowed = (1, 2) if i in (0, len(tensors) - 1) else (2,)
        if t.ndim not in allowed:
            raise RuntimeError(f"linalg.multi_dot: tensor {i} must be {' or '.join(f'{d}-D' for d in allowed)}, "
                               f"got shape {tuple(t.shape)}.")
    with checks.called_as("linalg.multi_dot", "matmul"):
        return into("linalg.multi_dot", functools.reduce(lambda a, b: a @ b, tensors), out)


def diagonal(A, *, offset=0, dim1=-2, dim2=-1):
    """The diagonal ``offset`` of each matrix in dims ``dim1``, ``dim2``, as a last dim (``A.diagonal``).

    >>> import minitorch
    >>> minitorch.linalg.diagonal(minitorch.tensor([[1, 2], [3, 4]])).tolist()
    [1, 4]
    """
    checks.tensor("linalg.diagonal", "A", A)
    return A.diagonal(offset, dim1, dim2)


def matmul(input, other, *, out=None):
    """The matrix product with numpy's rules for 1-D and batched operands (``input @ other``).

    >>> import minitorch
    >>> minitorch.linalg.matmul(minitorch.eye(2), minitorch.tensor([1.0, 2.0])).tolist()
    [1.0, 2.0]
    """
    checks.tensor("linalg.matmul", "input", input)
    return into("linalg.matmul", input.matmul(other), out)
