"""``linalg.inv_ex``, ``cholesky_ex``, ``solve_ex`` (results with LAPACK's ``info``) and QR's backward
for wide matrices (m < n): PyTorch's values, infos, errors and gradients, a float64 gradcheck, the
``cuda`` device."""
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from tests.linalg.linalg_helpers import matrices, same_as_torch, same_on_cuda

import minitorch
from minitorch.testing import gradcheck
from minitorch.testing import strategies as S

EX = {
    "inv_ex": ("square", None, lambda lib, a: lib.linalg.inv_ex(a)),
    "cholesky_ex": ("spd", None, lambda lib, a: (lib.linalg.cholesky_ex((a + a.mT) / 2),
                                                 lib.linalg.cholesky_ex((a + a.mT) / 2, upper=True).L)),
    "solve_ex": ("square", 2, lambda lib, a, b: (*lib.linalg.solve_ex(a, b), lib.linalg.solve_ex(a, b.mT, left=False).result,
                                                 lib.linalg.solve_ex(a, b[..., 0]).result)),
}


def _flat(out):
    return [t for o in (out if isinstance(out, tuple) else (out,)) for t in (o if isinstance(o, tuple) else (o,))]


def _arrays(data, name):
    kind, extra, _ = EX[name]
    drawn = data.draw(matrices(kind, extra))
    return drawn if isinstance(drawn, tuple) else (drawn,)


@pytest.mark.parametrize("name", EX)
@given(data=st.data())
def test_ex_forms_as_pytorch_on_well_conditioned_matrices(name, data):
    arrays = _arrays(data, name)
    same_as_torch(lambda lib, *t: _flat(EX[name][2](lib, *t)), *arrays)
    tensors = [minitorch.tensor(a, requires_grad=True) for a in arrays]
    assert all((t == 0).all() for t in _flat(EX[name][2](minitorch, *tensors)) if t.dtype == minitorch.int32)
    assert gradcheck(lambda *t: tuple(o for o in _flat(EX[name][2](minitorch, *t)) if o.is_floating_point()), tensors)


@pytest.mark.parametrize("name", EX)
@given(data=st.data())
def test_ex_forms_on_cuda(name, data):
    same_on_cuda(lambda lib, *t: _flat(EX[name][2](lib, *t)), *_arrays(data, name))


SINGULAR = np.array([[[1.0, 2.0], [2.0, 4.0]], [[2.0, 0.0], [0.0, 3.0]], [[0.0, 1.0], [0.0, 1.0]], [[0.0, 0.0], [0.0, 0.0]]])
NOT_DEFINITE = np.array([[[1.0, 2.0], [2.0, 1.0]], [[4.0, 2.0], [2.0, 5.0]], [[-1.0, 0.0], [0.0, 1.0]]])


def test_failures_give_pytorchs_info_and_errors():
    torch = pytest.importorskip("torch")
    def solve_ex(lib, a):
        return lib.linalg.solve_ex(a, lib.ones(*a.shape[:-1], 1, dtype=a.dtype))
    for call, values in [(lambda lib, a: lib.linalg.inv_ex(a), v) for v in (SINGULAR, SINGULAR[0])] + [
            (solve_ex, SINGULAR)]:  # exact zeros: a nearly singular matrix's info depends on the LAPACK's rounding
        ours, theirs = (call(lib, lib.tensor(values)) for lib in (minitorch, torch))
        np.testing.assert_array_equal(ours.info.numpy(), theirs.info.numpy())
        fine = theirs.info.numpy() == 0
        np.testing.assert_allclose(ours[0].numpy()[fine], theirs[0].numpy()[fine])
        assert np.isnan(ours[0].numpy()[~fine]).all()
    ours, theirs = (lib.linalg.cholesky_ex(lib.tensor(NOT_DEFINITE)) for lib in (minitorch, torch))
    np.testing.assert_array_equal(ours.info.numpy(), theirs.info.numpy())
    np.testing.assert_allclose(ours.L.numpy()[1], theirs.L.numpy()[1])
    for op, values in (("inv_ex", SINGULAR), ("cholesky_ex", NOT_DEFINITE), ("cholesky_ex", NOT_DEFINITE[0]),
                       ("inv_ex", SINGULAR[0])):
        messages = []
        for lib in (minitorch, torch):
            with pytest.raises(RuntimeError) as caught:
                getattr(lib.linalg, op)(lib.tensor(values), check_errors=True)
            messages.append(str(caught.value))
        assert messages[0] == messages[1]


def test_a_failed_matrix_keeps_the_others_gradients():
    a = minitorch.tensor(SINGULAR, requires_grad=True)
    inverse, info = minitorch.linalg.inv_ex(a)
    assert info.tolist() == [2, 0, 1, 1] and info.dtype == minitorch.int32
    assert inverse.grad_fn.name() == "LinalgInvExBackward0"
    inverse[1].sum().backward()
    expected = -np.linalg.inv(SINGULAR[1]).T @ np.ones((2, 2)) @ np.linalg.inv(SINGULAR[1]).T
    np.testing.assert_allclose(a.grad.numpy()[1], expected)
    assert not a.grad.numpy()[[0, 2, 3]].any()  # the failed ones: NaN results, no gradient
    with pytest.raises(minitorch.linalg.LinAlgError, match=r"\(Batch element 0\): The diagonal element 2 is zero"):
        minitorch.linalg.inv_ex(a, check_errors=True)


def test_ex_forms_take_out_and_return_named_results():
    a = minitorch.tensor([[4.0, 2.0], [2.0, 5.0]])
    L, info = minitorch.empty(2, 2), minitorch.empty((), dtype=minitorch.int32)
    result = minitorch.linalg.cholesky_ex(a, out=(L, info))
    assert result.L is L and result.info is info and L.tolist() == [[2.0, 0.0], [1.0, 2.0]] and info.item() == 0
    assert minitorch.linalg.solve_ex(a, minitorch.ones(2))._fields == ("result", "info")
    assert minitorch.linalg.inv_ex(a)._fields == ("inverse", "info")
    with pytest.raises(RuntimeError, match="square"):
        minitorch.linalg.inv_ex(minitorch.ones(2, 3))


@st.composite
def wide(draw):
    """A float64 (batch of) m x n matrix with m < n whose leading square block is well-conditioned."""
    batch = draw(S.shapes(min_dims=0, max_dims=1, max_side=2))
    m = draw(st.integers(1, 3))
    n = draw(st.integers(m + 1, 5))
    a = draw(S.arrays(batch + (m, n), elements=S.grid(-1, 1, 1 / 64)))
    a[..., :m] += 2 * np.eye(m)
    assume(np.all(np.linalg.cond(a[..., :m]) < 50))
    return a


@pytest.mark.parametrize("mode", ["reduced", "complete"])
@given(a=wide())
def test_qr_backward_of_a_wide_matrix_as_pytorch(mode, a):
    same_as_torch(lambda lib, t: lib.linalg.qr(t, mode=mode), a)
    assert gradcheck(lambda t: tuple(minitorch.linalg.qr(t, mode=mode)), [minitorch.tensor(a, requires_grad=True)])


def test_qr_backward_refuses_complete_mode_of_a_tall_matrix():
    a = minitorch.tensor(np.arange(6.0).reshape(3, 2) + np.eye(3, 2), requires_grad=True)
    Q, R = minitorch.linalg.qr(a, mode="complete")
    with pytest.raises(RuntimeError, match="mode='reduced'"):
        (Q.sum() + R.sum()).backward()
