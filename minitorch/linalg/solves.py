"""Inverses, determinants, solves and matrix functions of ``minitorch.linalg``: ``inv``, ``det``,
``slogdet``, ``solve``, ``solve_triangular``, ``lstsq``, ``pinv``, ``matrix_rank``, ``matrix_power``,
``matrix_exp``, ``tensorinv``, ``tensorsolve``; and the top-level ``logdet``, ``cholesky_solve``,
``cholesky_inverse``, ``triangular_solve``.

``inv``, ``det``, ``slogdet``, ``solve``, ``pinv`` and ``matrix_exp`` are ops of their own
(``minitorch/functions/matrix.py`` and ``solve.py``); the rest are compositions of them, whose
gradients come from those ops.
"""
import math

import numpy as np

from .. import checks
from .. import functions as ops
from ..autograd import no_grad
from ..creation import eye
from ..return_types import return_type
from ._base import SINGULAR, into, matrices, raising
from .decompositions import svd

SlogdetResult = return_type("linalg_slogdet", ["sign", "logabsdet"])
LstsqResult = return_type("linalg_lstsq", ["solution", "residuals", "rank", "singular_values"])
TriangularSolveResult = return_type("triangular_solve", ["solution", "cloned_coefficient"])


def inv(A, *, out=None):
    """A^-1 of a square matrix (or of each in a batch); a singular one raises ``LinAlgError``.

    >>> import minitorch
    >>> minitorch.linalg.inv(minitorch.tensor([[2.0, 0.0], [0.0, 4.0]])).tolist()
    [[0.5, 0.0], [0.0, 0.25]]
    """
    matrices("linalg.inv", A, square=True)
    with raising("linalg.inv", SINGULAR):
        return into("linalg.inv", ops.Inverse.apply(A), out)


def det(A, *, out=None):
    """det(A) of a square matrix (or of each in a batch).

    >>> import minitorch
    >>> minitorch.linalg.det(minitorch.tensor([[2.0, 1.0], [1.0, 3.0]]))
    tensor(5.)
    """
    matrices("linalg.det", A, square=True)
    return into("linalg.det", ops.Det.apply(A), out)


def slogdet(A, *, out=None):
    """(sign, logabsdet): det(A) = sign * exp(logabsdet), without overflow for large matrices
    (sign 0 and logabsdet -inf for a singular one). The gradient flows through logabsdet (sign's is 0).

    >>> import minitorch
    >>> minitorch.linalg.slogdet(minitorch.tensor([[-2.0, 0.0], [0.0, 1.0]])).sign
    tensor(-1.)
    """
    matrices("linalg.slogdet", A, square=True)
    packed = ops.SlogDet.apply(A)
    return into("linalg.slogdet", SlogdetResult(packed[..., 0], packed[..., 1]), out)


def logdet(input):
    """log det(input): nan where the determinant is negative, -inf where it is 0, as PyTorch.

    >>> import minitorch
    >>> minitorch.logdet(minitorch.tensor([[2.0, 0.0], [0.0, 3.0]])).exp()
    tensor(6.)
    """
    with checks.called_as("logdet", "linalg.slogdet"):
        sign, logabsdet = slogdet(input)
    return sign.log() + logabsdet


def _is_vector(A, B):
    """PyTorch's rule: B is a (batch of) vector(s), not of matrices, when 1-D or of A's batch shape."""
    return B.ndim == 1 or (B.ndim == A.ndim - 1 and tuple(B.shape) == tuple(A.shape[:-1]))


def solve(A, B, *, left=True, out=None):
    """X with A X = B (with ``left=False``: X A = B) for square A; B a matrix, or a vector (1-D, or
    of A's batch shape plus n); batch dims broadcast. Singular A raises ``LinAlgError``.

    >>> import minitorch
    >>> minitorch.linalg.solve(minitorch.tensor([[2.0, 0.0], [0.0, 4.0]]), minitorch.tensor([2.0, 2.0])).tolist()
    [1.0, 0.5]
    """
    matrices("linalg.solve", A, square=True)
    checks.tensor("linalg.solve", "B", B)
    checks.same_dtype("linalg.solve", A=A, B=B)
    vector = _is_vector(A, B)
    rhs = B.unsqueeze(-1) if vector else B
    if rhs.ndim < 2 or rhs.shape[-2 if left else -1] != A.shape[-1]:
        raise RuntimeError(f"linalg.solve: incompatible shapes of A {tuple(A.shape)} and B {tuple(B.shape)} for "
                           f"the equation {'AX' if left else 'XA'} = B.")
    with raising("linalg.solve", SINGULAR):
        x = ops.Solve.apply(A, rhs) if left else ops.Solve.apply(A.mT, rhs.mT).mT
    return into("linalg.solve", x.squeeze(-1) if vector else x, out)


def _triangle(A, upper, unitriangular):
    """The triangle of A that a triangular solve reads, with ones on the diagonal if ``unitriangular``."""
    if not unitriangular:
        return A.triu() if upper else A.tril()
    ones = eye(A.shape[-1], dtype=A.dtype, device=A.device)
    return (A.triu(1) if upper else A.tril(-1)) + ones


def solve_triangular(A, B, *, upper, left=True, unitriangular=False, out=None):
    """X with A X = B (``left=False``: X A = B) reading only the upper or lower triangle of A (and
    taking its diagonal as ones with ``unitriangular``); the gradient of A has that triangle's shape.

    >>> import minitorch
    >>> A = minitorch.tensor([[2.0, 9.0], [1.0, 4.0]])
    >>> minitorch.linalg.solve_triangular(A, minitorch.tensor([[2.0], [5.0]]), upper=False).tolist()
    [[1.0], [1.0]]
    """
    matrices("linalg.solve_triangular", A, square=True)
    matrices("linalg.solve_triangular", B, "B")
    with checks.called_as("linalg.solve_triangular", "linalg.solve"):
        return into("linalg.solve_triangular", solve(_triangle(A, upper, unitriangular), B, left=left), out)


def triangular_solve(b, A, upper=True, transpose=False, unitriangular=False, *, out=None):
    """(X, A.clone()) with A X = b (A^T X = b with ``transpose``), A triangular: the older form of
    ``linalg.solve_triangular``.

    >>> import minitorch
    >>> minitorch.triangular_solve(minitorch.tensor([[4.0]]), minitorch.tensor([[2.0]])).solution.tolist()
    [[2.0]]
    """
    coefficient = A.mT if transpose else A
    with checks.called_as("triangular_solve", "linalg.solve_triangular"):
        x = solve_triangular(coefficient, b, upper=upper != transpose, unitriangular=unitriangular)
    return into("triangular_solve", TriangularSolveResult(x, A.clone()), out)


def cholesky_solve(B, L, upper=False, *, out=None):
    """X with A X = B, given A's Cholesky factor L (A = L L^T; with ``upper``, A = U^T U). Only
    L's triangle is read, so the gradient of L has its shape (PyTorch's is the full matrix's).

    >>> import minitorch
    >>> minitorch.cholesky_solve(minitorch.tensor([[8.0]]), minitorch.tensor([[2.0]])).tolist()
    [[2.0]]
    """
    matrices("cholesky_solve", L, "L", square=True)
    factor = L.triu() if upper else L.tril()
    product = factor.mT @ factor if upper else factor @ factor.mT
    with checks.called_as("cholesky_solve", "linalg.solve"):
        return into("cholesky_solve", solve(product, B), out)


def cholesky_inverse(L, upper=False, *, out=None):
    """A^-1 from A's Cholesky factor L (A = L L^T; with ``upper``, A = U^T U).

    >>> import minitorch
    >>> minitorch.cholesky_inverse(minitorch.tensor([[2.0]])).tolist()
    [[0.25]]
    """
    matrices("cholesky_inverse", L, "L", square=True)
    ones = eye(L.shape[-1], dtype=L.dtype, device=L.device).expand(L.shape)
    return into("cholesky_inverse", cholesky_solve(ones, L, upper), out)


def _cutoffs(op, A, atol, rtol):
    """PyTorch's (atol, rtol) for pinv and matrix_rank: rtol = eps * max(m, n) when neither is given,
    0 when only atol is."""
    atol = 0.0 if atol is None else checks.real(op, "atol", float(atol), minimum=0)
    if rtol is None:
        rtol = 0.0 if atol > 0 else float(np.finfo(A._array.dtype).eps) * max(A.shape[-2:])
    return atol, checks.real(op, "rtol", float(rtol), minimum=0)


def _symmetric(A):
    """The symmetric matrix with A's lower triangle (what a ``hermitian=True`` function reads)."""
    return A.tril() + A.tril(-1).mT


def pinv(A, *, atol=None, rtol=None, hermitian=False, out=None):
    """The Moore-Penrose pseudo-inverse A^+ (from the SVD, dropping singular values at or below
    max(atol, rtol * largest)); ``hermitian=True`` reads A's lower triangle as a symmetric matrix.
    The gradient is the one for a rank that does not change under small perturbations.

    >>> import minitorch
    >>> minitorch.linalg.pinv(minitorch.tensor([[2.0, 0.0], [0.0, 0.0]])).tolist()
    [[0.5, 0.0], [0.0, 0.0]]
    """
    matrices("linalg.pinv", A)
    atol, rtol = _cutoffs("linalg.pinv", A, atol, rtol)
    return into("linalg.pinv", ops.PseudoInverse.apply(_symmetric(A) if hermitian else A, atol, rtol), out)


def pinverse(input, rcond=1e-15):
    """The pseudo-inverse, dropping singular values at or below rcond * the largest (``linalg.pinv``).

    >>> import minitorch
    >>> minitorch.pinverse(minitorch.tensor([[4.0]])).tolist()
    [[0.25]]
    """
    with checks.called_as("pinverse", "linalg.pinv"):
        return pinv(input, rtol=rcond)


def matrix_rank(A, *, atol=None, rtol=None, hermitian=False, out=None):
    """The number of singular values above max(atol, rtol * the largest), as int64 (no gradient).

    >>> import minitorch
    >>> minitorch.linalg.matrix_rank(minitorch.tensor([[1.0, 2.0], [2.0, 4.0]]))
    tensor(1)
    """
    matrices("linalg.matrix_rank", A)
    atol, rtol = _cutoffs("linalg.matrix_rank", A, atol, rtol)
    with no_grad():
        values = svd(_symmetric(A) if hermitian else A, full_matrices=False).S
        cutoff = (values.amax(-1, keepdim=True) * rtol).clamp(min=atol) if values.shape[-1] else values
        return into("linalg.matrix_rank", (values > cutoff).sum(-1), out)


_DRIVERS = ("gels", "gelsy", "gelsd", "gelss")


def lstsq(A, B, rcond=None, *, driver=None):
    """(solution, residuals, rank, singular_values): X minimising ||A X - B|| (the least-norm one when
    A is wide or rank-deficient), as A^+ B; singular values at or below rcond * the largest count
    as 0 (default: eps * max(m, n)). As PyTorch on the CPU: ``rank`` for every driver but "gels";
    ``singular_values`` for "gelsd" and "gelss"; ``residuals`` (squared, per column of B) for every
    driver but "gelsy" when m > n and A has full rank; the others empty. The gradient flows
    through the solution and the residuals.

    >>> import minitorch
    >>> A = minitorch.tensor([[1.0], [1.0]])
    >>> minitorch.linalg.lstsq(A, minitorch.tensor([[1.0], [3.0]])).solution.round(decimals=4).tolist()
    [[2.0]]
    """
    matrices("linalg.lstsq", A)
    matrices("linalg.lstsq", B, "B")
    checks.same_dtype("linalg.lstsq", A=A, B=B)
    driver = checks.choice("linalg.lstsq", "driver", "gelsy" if driver is None else driver, _DRIVERS,
                           error=RuntimeError)
    if B.shape[-2] != A.shape[-2]:
        raise RuntimeError(f"linalg.lstsq: A {tuple(A.shape)} and B {tuple(B.shape)} must have the same number "
                           f"of rows.")
    with checks.called_as("linalg.lstsq", "linalg.pinv"):
        solution = pinv(A, rtol=rcond) @ B
    empty = A.new_zeros(0)
    rank = empty.long() if driver == "gels" else matrix_rank(A, rtol=rcond)
    m, n = A.shape[-2:]
    values = svd(A.detach(), full_matrices=False).S if driver in ("gelsd", "gelss") else empty
    full_rank = driver == "gels" or bool((rank == n).all())  # "gels" assumes it
    residuals = ((A @ solution - B) ** 2).sum(-2) if driver != "gelsy" and m > n and full_rank else empty
    return LstsqResult(solution, residuals, rank, values)


def matrix_power(A, n, *, out=None):
    """A^n for an integer n: A multiplied by itself (by repeated squaring), the identity for n = 0,
    (A^-1)^-n for n < 0 (floating-point A only).

    >>> import minitorch
    >>> minitorch.linalg.matrix_power(minitorch.tensor([[1, 1], [0, 1]]), 3).tolist()
    [[1, 3], [0, 1]]
    """
    checks.tensor("linalg.matrix_power", "A", A)
    n = checks.integer("linalg.matrix_power", "n", n)
    if A.ndim < 2 or A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"linalg.matrix_power: A must be batches of square matrices, got shape {tuple(A.shape)}.")
    if n == 0:
        return into("linalg.matrix_power", eye(A.shape[-1], dtype=A.dtype, device=A.device).expand(A.shape).clone(), out)
    base = inv(A) if n < 0 else A
    result, n = None, abs(n)
    while n:
        if n & 1:
            result = base if result is None else result @ base
        n >>= 1
        if n:
            base = base @ base
    return into("linalg.matrix_power", result, out)


def matrix_exp(A):
    """exp(A) = sum_k A^k / k! of a square matrix (or of each in a batch), by scaling and squaring
    with a Pade approximant; its gradient is exp of a block matrix (see ``MatrixExp``).

    >>> import minitorch
    >>> minitorch.linalg.matrix_exp(minitorch.zeros(2, 2)).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    matrices("linalg.matrix_exp", A, square=True)
    return ops.MatrixExp.apply(A)


def tensorinv(A, ind=2, *, out=None):
    """The inverse of A as a linear map from its last dims to its first ``ind`` dims: the X with
    tensordot(A, X, ind) the identity, of shape A.shape[ind:] + A.shape[:ind].

    >>> import minitorch
    >>> minitorch.linalg.tensorinv(minitorch.eye(4).reshape(4, 2, 2), ind=1).shape
    minitorch.Size([2, 2, 4])
    """
    matrices("linalg.tensorinv", A.reshape(1, -1) if A.ndim < 2 else A)
    ind = checks.integer("linalg.tensorinv", "ind", ind, minimum=1, maximum=A.ndim)
    rows, columns = A.shape[:ind], A.shape[ind:]
    matrix = A.reshape(math.prod(rows), math.prod(columns))
    with checks.called_as("linalg.tensorinv", "linalg.inv"):
        return into("linalg.tensorinv", inv(matrix).reshape(*columns, *rows), out)


def tensorsolve(A, B, dims=None, *, out=None):
    """X with tensordot(A, X, X.ndim) = B: A's dims ``dims`` moved last first, A read as a matrix
    from its trailing dims to B's shape.

    >>> import minitorch
    >>> minitorch.linalg.tensorsolve(2 * minitorch.eye(4).reshape(2, 2, 4), minitorch.ones(2, 2)).tolist()
    [0.5, 0.5, 0.5, 0.5]
    """
    checks.tensor("linalg.tensorsolve", "B", B)
    if dims is not None:
        dims = [checks.dim("linalg.tensorsolve", d, A.ndim) for d in dims]
        A = A.movedim(dims, list(range(A.ndim - len(dims), A.ndim)))
    unknowns = A.shape[B.ndim:]
    matrix = A.reshape(B.numel(), math.prod(unknowns))
    with checks.called_as("linalg.tensorsolve", "linalg.solve"):
        return into("linalg.tensorsolve", solve(matrix, B.reshape(-1)).reshape(unknowns), out)
