"""The decompositions of ``minitorch.linalg``: ``cholesky``, ``qr``, ``svd``, ``svdvals``, ``eigh``,
``eigvalsh`` (and the refusal of ``eig``/``eigvals``, whose results are complex).

Each runs one op of ``minitorch/functions/decomposition.py`` whose outputs come packed in one
tensor (``unpack`` takes them apart with views), so that one backward sees all their gradients.
"""

from .. import checks
from .. import functions as ops
from ..functions.decomposition import unpack
from ..return_types import return_type
from ._base import into, matrices, raising

QRResult = return_type("linalg_qr", ["Q", "R"])
SVDResult = return_type("linalg_svd", ["U", "S", "Vh"])
EighResult = return_type("linalg_eigh", ["eigenvalues", "eigenvectors"])


def cholesky(A, *, upper=False, out=None):
    """L with A = L L^T (L lower triangular, positive diagonal) of a symmetric positive-definite A
    (only its lower triangle is read); with ``upper=True`` U = L^T, A = U^T U.

    >>> import minitorch
    >>> minitorch.linalg.cholesky(minitorch.tensor([[4.0, 2.0], [2.0, 5.0]])).tolist()
    [[2.0, 0.0], [1.0, 2.0]]
    """
    matrices("linalg.cholesky", A, square=True)
    with raising("linalg.cholesky", "the input is not positive-definite, so it has no Cholesky factor; a "
                                    "covariance matrix may need a small jitter added to its diagonal"):
        return into("linalg.cholesky", ops.Cholesky.apply(A, bool(upper)), out)


def qr(A, mode="reduced", *, out=None):
    """(Q, R) with A = Q R, Q with orthonormal columns and R upper triangular. ``mode``: "reduced"
    (Q is m x k, R k x n, k = min(m, n)), "complete" (Q m x m, R m x n), "r" (R only, Q empty).

    >>> import minitorch
    >>> Q, R = minitorch.linalg.qr(minitorch.tensor([[3.0, 1.0], [4.0, 2.0]]))
    >>> (Q @ R).round(decimals=4).tolist()
    [[3.0, 1.0], [4.0, 2.0]]
    """
    matrices("linalg.qr", A)
    checks.choice("linalg.qr", "mode", mode, ("reduced", "complete", "r"), error=RuntimeError)
    m, n = A.shape[-2:]
    q_columns = m if mode == "complete" else min(m, n)
    packed = ops.QR.apply(A, "complete" if mode == "complete" else "reduced")
    Q, R = unpack(packed, ((m, q_columns), (q_columns, n)))
    if mode == "r":
        Q = A.new_zeros(0)
    return into("linalg.qr", QRResult(Q, R), out)


def svd(A, full_matrices=True, *, driver=None, out=None):
    """(U, S, Vh) with A = U diag(S) Vh: S the singular values in descending order, U and Vh^T with
    orthonormal columns (m x m and n x n with ``full_matrices``; else m x k and k x n, k = min(m, n)).
    ``driver`` (a cuSOLVER choice in PyTorch) is accepted and ignored.

    The signs of the columns of U (and rows of Vh) are arbitrary: a loss should use them in pairs.

    >>> import minitorch
    >>> minitorch.linalg.svd(minitorch.tensor([[3.0, 0.0], [0.0, -4.0]])).S.tolist()
    [4.0, 3.0]
    """
    matrices("linalg.svd", A)
    m, n = A.shape[-2:]
    k = min(m, n)
    packed = ops.SVD.apply(A, bool(full_matrices))
    pieces = unpack(packed, ((m, m if full_matrices else k), (k,), (n if full_matrices else k, n)))
    return into("linalg.svd", SVDResult(*pieces), out)


def svdvals(A, *, driver=None, out=None):
    """The singular values of A, in descending order (differentiable: dS_i = u_i^T dA v_i).

    >>> import minitorch
    >>> minitorch.linalg.svdvals(minitorch.tensor([[0.0, 2.0], [1.0, 0.0]])).tolist()
    [2.0, 1.0]
    """
    with checks.called_as("linalg.svdvals", "linalg.svd"):
        return into("linalg.svdvals", svd(A, full_matrices=False).S, out)


def eigh(A, UPLO="L", *, out=None):
    """(eigenvalues, eigenvectors) of a symmetric A = V diag(w) V^T, eigenvalues ascending; only
    the triangle ``UPLO`` ("L" or "U") of A is read. Each eigenvector's sign is arbitrary.

    >>> import minitorch
    >>> minitorch.linalg.eigh(minitorch.tensor([[2.0, 1.0], [1.0, 2.0]])).eigenvalues.tolist()
    [1.0, 3.0]
    """
    matrices("linalg.eigh", A, square=True)
    checks.choice("linalg.eigh", "UPLO", UPLO, ("L", "U"), error=RuntimeError)
    n = A.shape[-1]
    return into("linalg.eigh", EighResult(*unpack(ops.Eigh.apply(A, UPLO), ((n,), (n, n)))), out)


def eigvalsh(A, UPLO="L", *, out=None):
    """The eigenvalues of a symmetric A, ascending (``eigh(A).eigenvalues``).

    >>> import minitorch
    >>> minitorch.linalg.eigvalsh(minitorch.tensor([[2.0, 0.0], [0.0, 1.0]])).tolist()
    [1.0, 2.0]
    """
    with checks.called_as("linalg.eigvalsh", "linalg.eigh"):
        return into("linalg.eigvalsh", eigh(A, UPLO).eigenvalues, out)


def eig(A, *, out=None):
    """Not available: the eigenvalues of a general matrix are complex, and minitorch has no complex
    tensors. For a symmetric matrix use ``eigh``; for scales and directions of a general one, ``svd``."""
    raise NotImplementedError("linalg.eig: the eigen-decomposition of a general matrix is complex, and minitorch "
                              "has no complex tensors. Use linalg.eigh for a symmetric matrix, or linalg.svd.")


def eigvals(A, *, out=None):
    """Not available (complex results): see ``eig``; ``eigvalsh`` gives a symmetric matrix's."""
    raise NotImplementedError("linalg.eigvals: the eigenvalues of a general matrix are complex, and minitorch "
                              "has no complex tensors. Use linalg.eigvalsh for a symmetric matrix, or "
                              "linalg.svdvals.")
