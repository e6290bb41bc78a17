"""``minitorch.linalg``'s errors (PyTorch's classes, clear messages), its result types, the top-level
and Tensor forms, the refusal of gradients that depend on the basis of repeated values, and the
docstring examples."""
import doctest
import importlib

import numpy as np
import pytest

import minitorch
import minitorch.linalg as LA
from minitorch.linalg import LinAlgError


def _m(*rows, grad=False):
    return minitorch.tensor(rows, dtype=minitorch.float64, requires_grad=grad)


# ----------------------------------------------------------------------------- errors
def test_linalg_error_is_a_runtime_error_like_pytorchs():
    assert issubclass(LinAlgError, RuntimeError)
    torch = pytest.importorskip("torch")
    assert issubclass(torch.linalg.LinAlgError, RuntimeError)


@pytest.mark.parametrize("call", [
    lambda a: LA.inv(a), lambda a: LA.solve(a, minitorch.ones(2, dtype=minitorch.float64)), lambda a: a.inverse(),
    lambda a: LA.matrix_power(a, -1),
])
def test_a_singular_matrix_raises_linalg_error(call):
    with pytest.raises(LinAlgError, match="singular"):
        call(_m([1.0, 2.0], [2.0, 4.0]))


def test_cholesky_of_a_matrix_that_is_not_positive_definite_raises_linalg_error():
    with pytest.raises(LinAlgError, match="linalg.cholesky: the input is not positive-definite"):
        LA.cholesky(_m([1.0, 0.0], [0.0, -1.0]))
    with pytest.raises(LinAlgError, match="^cholesky: "):
        _m([-1.0]).cholesky()


@pytest.mark.parametrize("name", ["inv", "det", "slogdet", "cholesky", "eigh", "eigvalsh", "matrix_exp"])
def test_square_functions_refuse_other_shapes_and_integers(name):
    function = getattr(LA, name)
    with pytest.raises(RuntimeError, match=f"linalg.{name}: A must be batches of square matrices, but they are 2 by 3"):
        function(minitorch.zeros(2, 3))
    with pytest.raises(RuntimeError, match="at least 2 dimensions"):
        function(minitorch.zeros(3))
    with pytest.raises(RuntimeError, match="floating point"):
        function(minitorch.eye(2).long())
    with pytest.raises(TypeError, match="must be a Tensor"):
        function([[1.0]])


def test_argument_errors_name_the_function_and_the_argument():
    a = minitorch.eye(2, dtype=minitorch.float64)
    with pytest.raises(RuntimeError, match="linalg.solve: incompatible shapes"):
        LA.solve(a, minitorch.ones(3, 1, dtype=minitorch.float64))
    with pytest.raises(RuntimeError, match="same dtype"):
        LA.solve(a, minitorch.ones(2, 1))
    with pytest.raises(RuntimeError, match="mode"):
        LA.qr(a, mode="economic")
    with pytest.raises(RuntimeError, match="UPLO"):
        LA.eigh(a, UPLO="X")
    with pytest.raises(TypeError):
        LA.matrix_power(a, 1.5)
    with pytest.raises(RuntimeError, match="ord"):
        LA.matrix_norm(a, 3)
    with pytest.raises(RuntimeError, match="linalg.vector_norm: ord must be a number"):
        LA.vector_norm(a, "fro")
    with pytest.raises(RuntimeError, match="at least 2 tensors"):
        LA.multi_dot([a])
    with pytest.raises(RuntimeError, match="driver"):
        LA.lstsq(a, a, driver="magic")


@pytest.mark.parametrize("name", ["eig", "eigvals"])
def test_general_eigen_decomposition_is_refused_with_the_reason(name):
    with pytest.raises(NotImplementedError, match="complex"):
        getattr(LA, name)(minitorch.eye(2))


# ------------------------------------------------------- repeated eigen- and singular values
def test_eigh_of_repeated_eigenvalues_refuses_a_loss_that_uses_their_vectors():
    a = minitorch.eye(3, dtype=minitorch.float64, requires_grad=True)
    for loss in (lambda w, v: v[:, 0].sum(), lambda w, v: (v * w @ v.mT).sum()):  # basis-dependent; 0/0
        with pytest.raises(RuntimeError, match="linalg_eigh: .*repeated eigenvalues and the loss uses their vectors"):
            loss(*LA.eigh(a)).backward()


def test_eigh_of_repeated_eigenvalues_differentiates_the_values():
    a = minitorch.tensor(np.diag([1.0, 1.0, 3.0]), requires_grad=True)
    w, v = LA.eigh(a)
    (w.sum() + v[:, 2].abs().sum()).backward()  # the third eigenvalue is apart: its vector may be used
    np.testing.assert_allclose(a.grad.numpy(), np.eye(3), atol=1e-12)


def test_svd_of_repeated_singular_values_refuses_a_loss_that_uses_their_vectors():
    a = minitorch.tensor(np.diag([2.0, 2.0, 1.0]), requires_grad=True)
    U, S, Vh = LA.svd(a)
    with pytest.raises(RuntimeError, match="linalg_svd: .*repeated singular values"):
        (U * S.unsqueeze(-2) @ Vh).sum().backward()
    a.grad = None
    LA.svdvals(a).sum().backward()  # the nuclear norm: U Vh
    np.testing.assert_allclose(a.grad.numpy(), np.eye(3), atol=1e-12)


# ---------------------------------------------------------- results and other forms
def test_results_are_named_tuples_with_pytorchs_fields():
    a = _m([4.0, 1.0], [1.0, 3.0])
    assert LA.svd(a)._fields == ("U", "S", "Vh")
    assert a.svd()._fields == minitorch.svd(a)._fields == ("U", "S", "V")
    assert LA.eigh(a)._fields == ("eigenvalues", "eigenvectors")
    assert LA.slogdet(a)._fields == a.slogdet()._fields == ("sign", "logabsdet")
    assert LA.qr(a)._fields == a.qr()._fields == ("Q", "R")
    assert LA.lstsq(a, a)._fields == ("solution", "residuals", "rank", "singular_values")
    assert minitorch.triangular_solve(a, a)._fields == ("solution", "cloned_coefficient")


def test_the_older_forms_match_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2)
    a = rng.standard_normal((2, 4, 3))
    for lib in (minitorch, torch):
        x = lib.tensor(a)
        u, s, v = lib.svd(x)
        _, s_only, v_zeros = x.svd(some=False, compute_uv=False)
        q, r = x.qr(some=False)
        result = [u @ s.diag_embed() @ v.mT, s_only, v_zeros, (q @ r), q.shape, x.pinverse(rcond=0.3)]
        if lib is minitorch:
            ours = result
    for o, t in zip(ours, result):
        if isinstance(o, tuple):
            assert tuple(o) == tuple(t)
        else:
            np.testing.assert_allclose(o.numpy(), t.numpy(), rtol=1e-10, atol=1e-12)


def test_qr_mode_r_gives_r_only():
    a = minitorch.tensor(np.random.default_rng(5).standard_normal((4, 3)))
    Q, R = LA.qr(a, mode="r")
    assert Q.shape == (0,)
    np.testing.assert_allclose(R.numpy(), LA.qr(a).R.numpy())


def test_lstsq_reports_rank_singular_values_and_residuals_as_pytorch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    a, b = rng.standard_normal((5, 3)), rng.standard_normal((5, 2))
    for driver in ("gels", "gelsy", "gelsd", "gelss"):
        ours = LA.lstsq(minitorch.tensor(a), minitorch.tensor(b), driver=driver)
        theirs = torch.linalg.lstsq(torch.tensor(a), torch.tensor(b), driver=driver)
        for o, t in zip(ours, theirs):
            assert tuple(o.shape) == tuple(t.shape) and str(o.dtype).split(".")[-1] == str(t.dtype).split(".")[-1]
            np.testing.assert_allclose(o.numpy(), t.numpy(), rtol=1e-10, atol=1e-12)


def test_matrix_rank_and_cond_match_torch():
    torch = pytest.importorskip("torch")
    a = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.0, 1.0, 1.0]])
    for lib in (minitorch, torch):
        x = lib.tensor(a)
        spd = x @ x.mT + lib.eye(3, dtype=x.dtype)
        values = [lib.linalg.matrix_rank(x), lib.linalg.matrix_rank(x, atol=1.5), lib.linalg.matrix_rank(spd, hermitian=True)]
        values += [lib.linalg.cond(spd, p) for p in ("fro", "nuc", 1, -1, float("inf"), -float("inf"))]
        if lib is minitorch:
            ours = values
    for o, t in zip(ours, values):
        assert o.numpy().dtype == t.numpy().dtype
        np.testing.assert_allclose(o.numpy(), t.numpy(), rtol=1e-10)


def test_linalg_is_a_module_with_torchs_names():
    linalg = importlib.import_module("minitorch.linalg")
    assert linalg is minitorch.linalg
    for name in ("norm", "vector_norm", "matrix_norm", "solve", "inv", "det", "svd", "qr", "eigh", "LinAlgError"):
        assert hasattr(linalg, name)
    for name in ("svd", "qr", "cholesky", "logdet", "slogdet", "pinverse", "matrix_power", "matrix_exp"):
        assert callable(getattr(minitorch, name)) and callable(getattr(minitorch.Tensor, name))


@pytest.mark.parametrize("module", ["minitorch.linalg", "minitorch.linalg._base", "minitorch.linalg.decompositions",
                                    "minitorch.linalg.solves", "minitorch.linalg.norms"])
def test_docstring_examples_run(module):
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_det_gradient_at_a_singular_matrix_is_the_cofactor_matrix():
    """d det(A)/dA is the cofactor matrix, also where A is singular (finite differences agree)."""
    a = minitorch.tensor([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]], dtype=minitorch.float64,
                         requires_grad=True)
    minitorch.det(a).backward()
    numeric = np.zeros((3, 3))
    base = a.detach().numpy()
    for i in range(3):
        for j in range(3):
            bumped = base.copy()
            bumped[i, j] += 1e-6
            numeric[i, j] = (np.linalg.det(bumped) - np.linalg.det(base)) / 1e-6
    np.testing.assert_allclose(a.grad.numpy(), numeric, atol=1e-5)
