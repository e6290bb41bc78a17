"""The ``_ex`` forms of ``minitorch.linalg``: ``inv_ex``, ``cholesky_ex``, ``solve_ex``. Each returns
its result together with ``info``, LAPACK's status per matrix (an int32 tensor of the batch shape: 0
where the computation went through), and raises only with ``check_errors=True``, as PyTorch's.

``info`` is LAPACK's: for ``inv_ex``/``solve_ex`` (getrf, LU with partial pivoting) i > 0 where the
i-th pivot is exactly zero (A is singular); for ``cholesky_ex`` (potrf) i > 0 where the leading minor
of order i is not positive-definite. Where info > 0 the result is NaN here (PyTorch leaves whatever
LAPACK stopped at: infinities, a partial factor), and no gradient flows back from it. The result
itself and its gradient come from the ops of ``linalg.inv``, ``cholesky`` and ``solve``; ``info``
is worked out only when numpy's own check finds a failing matrix.

The ``_ex`` forms of ``lu_factor`` and ``ldl_factor`` are missing, with those factorizations.
"""

import numpy as np

from ..autograd.composite import composite
from ..autograd.grad_mode import no_grad
from ..creation import eye, tensor
from ..dtypes import int32
from ..return_types import return_type
from ._base import LinAlgError, into, matrices
from .decompositions import cholesky
from .solves import inv, solve

InvExResult = return_type("linalg_inv_ex", ["inverse", "info"])
CholeskyExResult = return_type("linalg_cholesky_ex", ["L", "info"])
SolveExResult = return_type("linalg_solve_ex", ["result", "info"])


def inv_ex(A, *, check_errors=False, out=None):
    """(inverse, info): ``linalg.inv`` that reports a singular matrix in ``info`` (the number of the
    first zero pivot of its LU factorization) instead of raising, unless ``check_errors``.

    >>> import minitorch
    >>> inverse, info = minitorch.linalg.inv_ex(minitorch.tensor([[[2.0, 0.0], [0.0, 4.0]], [[1.0, 2.0], [2.0, 4.0]]]))
    >>> inverse[0].tolist(), info.tolist()
    ([[0.5, 0.0], [0.0, 0.25]], [0, 2])
    """
    op = "linalg.inv_ex"
    matrices(op, A, square=True)
    info = _checked(op, A, _pivot_info(A), check_errors, _SINGULAR)
    inverse = composite("LinalgInvExBackward0", lambda a: _where_fine(inv(_fine(a, info)), info), A)
    return into(op, InvExResult(inverse, info), out)


def cholesky_ex(A, *, upper=False, check_errors=False, out=None):
    """(L, info): ``linalg.cholesky`` that reports a matrix that is not positive-definite in ``info``
    (the order of its first leading minor that is not) instead of raising, unless ``check_errors``.

    >>> import minitorch
    >>> L, info = minitorch.linalg.cholesky_ex(minitorch.tensor([[4.0, 2.0], [2.0, 5.0]]))
    >>> L.tolist(), info.item()
    ([[2.0, 0.0], [1.0, 2.0]], 0)
    >>> minitorch.linalg.cholesky_ex(minitorch.tensor([[1.0, 2.0], [2.0, 1.0]])).info.item()
    2
    """
    op = "linalg.cholesky_ex"
    matrices(op, A, square=True)
    info = _checked(op, A, _minor_info(A), check_errors, _NOT_DEFINITE)
    factor = composite("LinalgCholeskyExBackward0",
                       lambda a: _where_fine(cholesky(_fine(a, info), upper=upper), info), A)
    return into(op, CholeskyExResult(factor, info), out)


def solve_ex(A, B, *, left=True, check_errors=False, out=None):
    """(result, info): ``linalg.solve`` that reports a singular A in ``info`` (as ``inv_ex``) instead
    of raising, unless ``check_errors``.

    >>> import minitorch
    >>> A = minitorch.tensor([[2.0, 0.0], [0.0, 4.0]])
    >>> result, info = minitorch.linalg.solve_ex(A, minitorch.tensor([2.0, 2.0]))
    >>> result.tolist(), info.item()
    ([1.0, 0.5], 0)
    """
    op = "linalg.solve_ex"
    matrices(op, A, square=True)
    info = _checked(op, A, _pivot_info(A), check_errors, _SINGULAR)
    result = composite("LinalgSolveExBackward0",
                       lambda a, b: _where_fine(solve(_fine(a, info), b, left=left), info), A, B)
    return into(op, SolveExResult(result, info), out)


_SINGULAR = ("The diagonal element {} is zero, the inversion could not be completed because the input matrix is "
             "singular.")
_NOT_DEFINITE = ("The factorization could not be completed because the input is not positive-definite (the leading "
                 "minor of order {} is not positive-definite).")


def _checked(op, A, info, check_errors, message):
    """``info`` as an int32 tensor on A's device; with ``check_errors``, PyTorch's LinAlgError for the
    first failed matrix (naming it in a batch)."""
    if check_errors and info.any():
        first = int(np.flatnonzero(info)[0])
        where = f"(Batch element {first}): " if info.ndim else ""
        raise LinAlgError(f"{op}: {where}{message.format(info.flat[first])}")
    return tensor(info, dtype=int32, device=A.device)


def _fine(A, info):
    """``A`` with each failed matrix (info > 0) replaced by the identity, so that the op runs."""
    if not info.any():
        return A
    return A.where(_batch_mask(info, A.ndim).logical_not(), eye(A.shape[-1], dtype=A.dtype, device=A.device))


def _where_fine(result, info):
    """``result`` with NaN in the results of the failed matrices."""
    return result.masked_fill(_batch_mask(info, result.ndim), float("nan")) if info.any() else result


def _batch_mask(info, ndim):
    """info > 0 as a bool tensor on info's batch dims, with size-1 dims added to broadcast to ``ndim``."""
    failed = info > 0
    return failed.reshape(tuple(failed.shape) + (1,) * (ndim - failed.ndim))


def _matrices(A):
    """A's values as a numpy array of shape (batch, n, n) (a copy off a GPU), and A's batch shape."""
    with no_grad():
        values = A.detach().cpu().numpy()
    return values.reshape(-1, *values.shape[-2:]), values.shape[:-2]


def _pivot_info(A):
    """LAPACK getrf's info per matrix: 1 + the column of the first zero pivot of LU with partial
    pivoting, or 0. numpy's LU decides which matrices fail (its determinant's sign is 0); an LU
    written here finds the column."""
    flat, batch = _matrices(A)
    failed = np.linalg.slogdet(flat)[0] == 0
    info = np.zeros(len(flat), np.int32)
    if failed.any():
        n, rows, u = flat.shape[-1], np.arange(failed.sum()), flat[failed].copy()
        found = np.zeros(len(u), np.int32)
        for k in range(n):
            p = k + np.abs(u[:, k:, k]).argmax(axis=1)  # the largest pivot, swapped into row k
            top = u[rows, k].copy()
            u[rows, k], u[rows, p] = u[rows, p], top
            pivot = u[:, k, k]
            found[(found == 0) & (pivot == 0)] = k + 1
            factors = np.divide(u[:, k + 1:, k], pivot[:, None], out=np.zeros_like(u[:, k + 1:, k]),
                                where=pivot[:, None] != 0)
            u[:, k + 1:, k:] -= factors[:, :, None] * u[:, None, k, k:]
        info[failed] = np.where(found > 0, found, n)  # rounding apart from LAPACK's: the last column
    return info.reshape(batch)


def _minor_info(A):
    """LAPACK potrf's info per matrix: the order of the first leading minor (of the lower triangle)
    that is not positive-definite, or 0; numpy's Cholesky tries each order of a failing matrix."""
    flat, batch = _matrices(A)
    info = np.zeros(len(flat), np.int32)
    try:
        np.linalg.cholesky(flat)
    except np.linalg.LinAlgError:
        for i, matrix in enumerate(flat):
            info[i] = next((k for k in range(1, len(matrix) + 1) if not _definite(matrix[:k, :k])), 0)
    return info.reshape(batch)


def _definite(matrix):
    """Whether numpy's Cholesky goes through on ``matrix``."""
    try:
        np.linalg.cholesky(matrix)
    except np.linalg.LinAlgError:
        return False
    return True
