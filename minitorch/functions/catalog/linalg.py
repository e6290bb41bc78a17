"""Catalog entries of linear algebra: the top-level and Tensor forms (``svd``, ``qr``, ``cholesky``,
``logdet``, ...) and ``minitorch.linalg``'s functions, named "linalg.<name>" (that surface only).

The Case inputs are normal matrices: each call makes of them what its op needs (a symmetric
positive-definite ``_spd``, a well-conditioned ``_conditioned``), and uses the vectors of svd
and eigh only through what does not depend on their signs (``_gauge_free``).
"""
from .. import decomposition, matrix, solve
from .spec import Case, OpSpec


def _eye(m, a):
    return m.eye(a.shape[-1], dtype=a.dtype, device=a.device)


def _spd(m, a):
    """A symmetric positive-definite matrix made of ``a``."""
    return a @ a.mT + _eye(m, a)


def _conditioned(m, a):
    """``a`` plus a multiple of the identity: far from singular."""
    return a + 3 * _eye(m, a)


def _gauge_free(u, v):
    """Products of singular or eigen-vectors that do not depend on their signs."""
    return (u * v.mT.abs().sum(-2, keepdim=True)).abs(), u @ v


_SQUARE = ((2, 3, 3),)
_TALL = ((2, 4, 3),)

OPS = (
    # ---------------------------------------------------------- top level and Tensor methods
    OpSpec("svd", (decomposition.SVD,), "input, some=True, compute_uv=True",
           cases=(Case(lambda m, a: (lambda u, s, v: (s, *_gauge_free(u, v.mT)))(*a.svd()), _TALL),
                  Case(lambda m, a: m.svd(a, compute_uv=False).S, _TALL))),
    OpSpec("qr", (decomposition.QR,), "input, some=True", cases=(Case(lambda m, a: m.qr(a), _TALL),)),
    OpSpec("cholesky", (decomposition.Cholesky,), "input, upper=False",
           cases=(Case(lambda m, a: (m.cholesky(_spd(m, a)), _spd(m, a).cholesky(upper=True)), _SQUARE),)),
    OpSpec("cholesky_solve", (solve.Solve,), "input, input2, upper=False",
           cases=(Case(lambda m, b, a: m.cholesky_solve(b, _conditioned(m, a).tril()), ((2, 3, 2), (3, 3))),)),
    OpSpec("cholesky_inverse", (solve.Solve,), "input, upper=False",
           cases=(Case(lambda m, a: m.cholesky_inverse(_conditioned(m, a).triu(), upper=True), ((3, 3),)),)),
    OpSpec("triangular_solve", (solve.Solve,), "input, A, upper=True, transpose=False, unitriangular=False",
           cases=(Case(lambda m, b, a: m.triangular_solve(b, _conditioned(m, a), transpose=True).solution,
                       ((3, 2), (3, 3))),)),
    OpSpec("logdet", (solve.SlogDet,), "input", cases=(Case(lambda m, a: m.logdet(_spd(m, a)), _SQUARE),)),
    OpSpec("slogdet", (solve.SlogDet,), "input", cases=(Case(lambda m, a: m.slogdet(a), _SQUARE),)),
    OpSpec("pinverse", (solve.PseudoInverse,), "input, rcond=1e-15",
           cases=(Case(lambda m, a: (m.pinverse(a), a.mT.pinverse()), _TALL),)),
    OpSpec("matrix_power", (matrix.Inverse,), "input, n",
           cases=(Case(lambda m, a: (m.matrix_power(a, 3), a.matrix_power(-2), a.matrix_power(0)), _SQUARE),)),
    OpSpec("matrix_exp", (solve.MatrixExp,), "input",
           cases=(Case(lambda m, a: (m.matrix_exp(a), (4 * a).matrix_exp()), _SQUARE),)),
    # ------------------------------------------------------------------ minitorch.linalg
    OpSpec("linalg.inv", (matrix.Inverse,), "A, *, out=None", linalg=True, method=False, namespace=False,
           cases=(Case(lambda m, a: m.linalg.inv(a), _SQUARE),)),
    OpSpec("linalg.det", (matrix.Det,), "A, *, out=None", linalg=True, method=False, namespace=False,
           cases=(Case(lambda m, a: m.linalg.det(a), _SQUARE),)),
    OpSpec("linalg.slogdet", (solve.SlogDet,), "A, *, out=None", linalg=True, method=False, namespace=False,
           cases=(Case(lambda m, a: m.linalg.slogdet(a), _SQUARE),)),
    OpSpec("linalg.solve", (solve.Solve,), "A, B, *, left=True, out=None", linalg=True, method=False, namespace=False,
           cases=(Case(lambda m, a, b: (m.linalg.solve(a, b), m.linalg.solve(a, b[..., 0]),
                                        m.linalg.solve(a[0], b.mT, left=False)), ((2, 3, 3), (3, 2))),)),
    OpSpec("linalg.solve_triangular", (solve.Solve,), "A, B, *, upper, left=True, unitriangular=False, out=None",
           linalg=True, method=False, namespace=False,
           cases=(Case(lambda m, a, b: (m.linalg.solve_triangular(_conditioned(m, a), b, upper=True),
                                        m.linalg.solve_triangular(a, b.mT, upper=False, left=False, unitriangular=True)),
                       ((3, 3), (3, 2))),)),
    OpSpec("linalg.lstsq", (solve.PseudoInverse,), "A, B, rcond=None, *, driver=None", linalg=True, method=False, namespace=False,
           cases=(Case(lambda m, a, b: (m.linalg.lstsq(a, b).solution, m.linalg.lstsq(a, b, driver="gelsd")[1]),
                       ((2, 4, 3), (2, 4, 2))),)),
    OpSpec("linalg.cholesky", (decomposition.Cholesky,), "A, *, upper=False, out=None", linalg=True, method=False, namespace=False,
           cases=(Case(lambda m, a: m.linalg.cholesky(_spd(m, a)), _SQUARE),)),
    OpSpec("linalg.qr", (decomposition.QR,), "A, mode='reduced', *, out=None", linalg=True, method=False, namespace=False,
           cases=(Case(lambda m, a: (*m.linalg.qr(a), *m.linalg.qr(a[..., :3, :], "complete")), _TALL),)),
    OpSpec("linalg.svd", (decomposition.SVD,), "A, full_matrices=True, *, driver=None, out=None",
           linalg=True, method=False, namespace=False,
           cases=(Case(lambda m, a: (lambda u, s, vh: (s, *_gauge_free(u, vh)))(*m.linalg.svd(a, full_matrices=False)),
                       _TALL),
                  Case(lambda m, a: (lambda u, s, vh: (s, *_gauge_free(u, vh[..., :3, :])))(*m.linalg.svd(a.mT)), _TALL))),
    OpSpec("linalg.svdvals", (decomposition.SVD,), "A, *, driver=None, out=None", linalg=True, method=False, namespace=False,
           cases=(Case(lambda m, a: m.linalg.svdvals(a), _TALL),)),
    OpSpec("linalg.eigh", (decomposition.Eigh,), "A, UPLO='L', *, out=None", linalg=True, method=False, namespace=False,
           cases=(Case(lambda m, a: (lambda w, v: (w, *_gauge_free(v, v.mT)))(*m.linalg.eigh(a + a.mT)), _SQUARE),
                  Case(lambda m, a: m.linalg.eigh(a + a.mT, UPLO="U").eigenvalues, _SQUARE))),
    OpSpec("linalg.eigvalsh", (decomposition.Eigh,), "A, UPLO='L', *, out=None", linalg=True, method=False, namespace=False,
           cases=(Case(lambda m, a: m.linalg.eigvalsh(a + a.mT), _SQUARE),)),
    OpSpec("linalg.pinv", (solve.PseudoInverse,), "A, *, atol=None, rtol=None, hermitian=False, out=None",
           linalg=True, method=False, namespace=False,
           cases=(Case(lambda m, a: (m.linalg.pinv(a), m.linalg.pinv(a.mT, rtol=0.1),
                                     m.linalg.pinv(_spd(m, a[..., :3, :]), hermitian=True)), _TALL),)),
    OpSpec("linalg.matrix_rank", (decomposition.SVD,), "A, *, atol=None, rtol=None, hermitian=False, out=None",
           linalg=True, method=False, namespace=False,
           cases=(Case(lambda m, a: (m.linalg.matrix_rank(a), m.linalg.matrix_rank(a @ a.mT, hermitian=True),
                                     m.linalg.matrix_rank(a, atol=1.0, rtol=0.5)), _TALL),)),
    OpSpec("linalg.matrix_power", (matrix.Inverse,), "A, n, *, out=None", linalg=True, method=False, namespace=False,
           cases=(Case(lambda m, a: m.linalg.matrix_power(a, -3), _SQUARE),)),
    OpSpec("linalg.matrix_exp", (solve.MatrixExp,), "A", linalg=True, method=False, namespace=False,
           cases=(Case(lambda m, a: m.linalg.matrix_exp(a[0]), _SQUARE),)),
    OpSpec("linalg.vector_norm", (), "x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None",
           linalg=True, method=False, namespace=False,
           cases=(Case(lambda m, a: (m.linalg.vector_norm(a), m.linalg.vector_norm(a, 1, (0, 2), True),
                                     m.linalg.vector_norm(a, float("inf"), -1)), _TALL),)),
    OpSpec("linalg.matrix_norm", (decomposition.SVD,), "A, ord='fro', dim=(-2, -1), keepdim=False, *, dtype=None, out=None",
           linalg=True, method=False, namespace=False,
           cases=(Case(lambda m, a: tuple(m.linalg.matrix_norm(a, p) for p in ("fro", "nuc", 2, -2, 1, -1, float("inf")))
                       + (m.linalg.matrix_norm(a, -float("inf"), dim=(0, 2), keepdim=True),), _TALL),)),
    OpSpec("linalg.norm", (decomposition.SVD,), "input, ord=None, dim=None, keepdim=False, *, out=None, dtype=None",
           linalg=True, method=False, namespace=False,
           cases=(Case(lambda m, a: (m.linalg.norm(a), m.linalg.norm(a[0], "nuc"), m.linalg.norm(a, 3, dim=1),
                                     m.linalg.norm(a, dim=(1, 2), keepdim=True), m.linalg.norm(a[0, 0], 1)), _TALL),)),
    OpSpec("linalg.cond", (decomposition.SVD,), "A, p=None, *, out=None", linalg=True, method=False, namespace=False,
           cases=(Case(lambda m, a: (m.linalg.cond(a), m.linalg.cond(a, -2)), _SQUARE),)),
    OpSpec("linalg.cross", (), "input, other, *, dim=-1, out=None", linalg=True, method=False, namespace=False,
           cases=(Case(lambda m, a, b: m.linalg.cross(a, b), ((2, 3), (1, 3))),)),
    OpSpec("linalg.vecdot", (), "x, y, *, dim=-1, out=None", linalg=True, method=False, namespace=False,
           cases=(Case(lambda m, a, b: m.linalg.vecdot(a, b, dim=0), ((3, 2), (3, 1))),)),
    OpSpec("linalg.multi_dot", (), "tensors, *, out=None", linalg=True, method=False, namespace=False,
           cases=(Case(lambda m, a, b, c: (m.linalg.multi_dot([a, b, c]), m.linalg.multi_dot([a[0], b])),
                       ((2, 3), (3, 4), (4,))),)),
    OpSpec("linalg.diagonal", (), "A, *, offset=0, dim1=-2, dim2=-1", linalg=True, method=False, namespace=False,
           cases=(Case(lambda m, a: m.linalg.diagonal(a, offset=1, dim1=0), _TALL),)),
    OpSpec("linalg.matmul", (), "input, other, *, out=None", linalg=True, method=False, namespace=False,
           cases=(Case(lambda m, a, b: m.linalg.matmul(a, b), ((2, 4, 3), (3,))),)),
    OpSpec("linalg.tensorinv", (matrix.Inverse,), "A, ind=2, *, out=None", linalg=True, method=False, namespace=False,
           cases=(Case(lambda m, a: m.linalg.tensorinv(_conditioned(m, a).reshape(2, 2, 4), ind=2), ((4, 4),)),)),
    OpSpec("linalg.tensorsolve", (solve.Solve,), "A, B, dims=None, *, out=None", linalg=True, method=False, namespace=False,
           cases=(Case(lambda m, a, b: m.linalg.tensorsolve(_conditioned(m, a).reshape(2, 2, 4), b), ((4, 4), (2, 2))),)),
)
