"""``minitorch.linalg``: PyTorch's ``torch.linalg`` on (batches of) real matrices.

Every function takes matrices in the last two dims and runs over the leading (batch) dims, on
float32 and float64, on "cpu" and "cuda". The decompositions and solves are ops with hand-written
backwards (``minitorch/functions/decomposition.py``, ``solve.py``, ``matrix.py``); the norms and
the rest are compositions of them. A matrix the computation cannot take (singular, not
positive-definite) raises ``LinAlgError``, a RuntimeError. Complex results (``eig``,
``eigvals``) are refused: minitorch has no complex tensors. ``inv_ex``, ``cholesky_ex`` and
``solve_ex`` report failures in an ``info`` tensor instead (``ex.py``).

>>> import minitorch
>>> A = minitorch.tensor([[4.0, 1.0], [1.0, 3.0]])
>>> x = minitorch.linalg.solve(A, minitorch.tensor([1.0, 2.0]))
>>> (A @ x).round(decimals=4).tolist()
[1.0, 2.0]
"""
from ._base import LinAlgError
from .decompositions import cholesky, eig, eigh, eigvals, eigvalsh, qr, svd, svdvals
from .ex import cholesky_ex, inv_ex, solve_ex
from .norms import cond, cross, diagonal, matmul, matrix_norm, multi_dot, norm, vecdot, vector_norm
from .solves import (
    det, inv, lstsq, matrix_exp, matrix_power, matrix_rank, pinv, slogdet, solve, solve_triangular, tensorinv,
    tensorsolve,
)

__all__ = [
    "LinAlgError", "cholesky", "cholesky_ex", "cond", "cross", "det", "diagonal", "eig", "eigh", "eigvals",
    "eigvalsh", "inv", "inv_ex", "lstsq", "matmul", "matrix_exp", "matrix_norm", "matrix_power", "matrix_rank",
    "multi_dot", "norm", "pinv", "qr", "slogdet", "solve", "solve_ex", "solve_triangular", "svd", "svdvals",
    "tensorinv", "tensorsolve", "vecdot", "vector_norm",
]
