"""Tensor methods PyTorch programs use that minitorch lacked: ``+x``/``positive``, ``ravel``,
``new``, ``ndimension``, ``nbytes``/``itemsize``, ``is_cpu``/``get_device``, ``is_signed``,
``is_same_size``, ``is_nonzero``, ``equal``, ``fill_diagonal_``, ``logit``, ``clamp_min``/``clamp_max``
and NumPy's comparison names; each against torch where it is installed."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minitorch
from minitorch.testing import gradcheck


def _libs():
    torch = pytest.importorskip("torch")
    return (minitorch, torch)


def test_positive_is_self_and_refuses_bool():
    x = minitorch.tensor([1.0, -2.0], requires_grad=True)
    assert (+x) is x and x.positive() is x and minitorch.positive(x) is x
    with pytest.raises(RuntimeError, match="bool"):
        +minitorch.tensor([True])


@pytest.mark.parametrize("expr", [
    "L.tensor([[1, 2], [3, 4]]).t().ravel().tolist()",
    "L.tensor([[1, 2], [3, 4]]).ndimension()",
    "(L.zeros(2, 3).nbytes, L.zeros(2, dtype=L.float64).itemsize, L.zeros(1).is_cpu, L.zeros(1).get_device())",
    "(L.tensor([1]).is_signed(), L.tensor([1], dtype=L.uint8).is_signed(), L.tensor([True]).is_signed())",
    "(L.zeros(2, 3).is_same_size(L.ones(2, 3)), L.zeros(2).is_same_size(L.ones(3)))",
    "(L.tensor([3]).is_nonzero(), L.tensor([[0.0]]).is_nonzero())",
    "(L.tensor([1, 2]).equal(L.tensor([1, 2])), L.tensor([1, 2]).equal(L.tensor([1, 3])))",
    "(str(L.tensor([1, 2]).new([1.7]).dtype).split('.')[1], tuple(L.tensor([1.0]).new(2, 3).shape), tuple(L.tensor([1]).new().shape))",
    "L.zeros(7, 3).fill_diagonal_(5, wrap=True).tolist()",
    "L.zeros(7, 3).fill_diagonal_(5).tolist()",
    "L.zeros(2, 4).fill_diagonal_(-1).tolist()",
    "L.zeros(3, 3, 3).fill_diagonal_(1).nonzero().tolist()",
    "L.tensor([-2.0, 0.5, 3.0]).clamp_min(0).tolist()",
    "L.tensor([-2.0, 0.5, 3.0]).clamp_max(L.tensor([0.0, 0.0, 1.0])).tolist()",
    "[L.tensor([1, 2, 3]).greater(2).tolist(), L.less_equal(L.tensor([1, 2, 3]), 2).tolist(), L.not_equal(L.tensor([1]), 1).tolist()]",
    "L.tensor([0.25, 0.5, 0.9], dtype=L.float64).logit().tolist()",
    "L.logit(L.tensor([0.05, 0.5, 0.99], dtype=L.float64), 0.1).tolist()",
])
def test_same_as_torch(expr):
    results = [eval(expr, {"L": L}) for L in _libs()]
    assert results[0] == pytest.approx(results[1]) if _flat_numbers(results[0]) else results[0] == results[1]


def _flat_numbers(value):
    return isinstance(value, list) and all(isinstance(v, float) for v in value)


@pytest.mark.parametrize("shape", [(2,), (0,), (1, 0)])
def test_is_nonzero_refuses_other_than_one_element(shape):
    for L in _libs():
        with pytest.raises(RuntimeError, match="ambiguous"):
            L.zeros(*shape).is_nonzero()


def test_fill_diagonal_refuses_what_torch_refuses():
    for L in _libs():
        with pytest.raises(RuntimeError, match="equal length"):
            L.zeros(2, 3, 4).fill_diagonal_(1)
        with pytest.raises(RuntimeError):
            L.zeros(3).fill_diagonal_(1)


def test_fill_diagonal_in_the_graph_gives_torchs_gradient():
    grads = []
    for L in _libs():
        w = L.ones(3, 3, requires_grad=True)
        y = w * 2
        y.fill_diagonal_(0)
        (y * y).sum().backward()
        grads.append(w.grad.tolist())
    assert grads[0] == grads[1]


@given(st.lists(st.floats(0.05, 0.95), min_size=1, max_size=6), st.sampled_from([None, 0.1, 0.3]))
def test_logit_gradcheck(values, eps):
    x = minitorch.tensor(values, dtype=minitorch.float64, requires_grad=True)
    if eps is not None:  # stay off the clamp's corners, where the derivative jumps
        x = minitorch.tensor([v for v in values if abs(v - eps) > 1e-3 and abs(v - 1 + eps) > 1e-3] or [0.5],
                             dtype=minitorch.float64, requires_grad=True)
    assert gradcheck(lambda t: t.logit(eps), [x])


def test_logit_gradient_is_zero_where_clamped_as_torch():
    grads = []
    for L in _libs():
        x = L.tensor([0.05, 0.5, 0.97], dtype=L.float64, requires_grad=True)
        L.logit(x, 0.1).sum().backward()
        grads.append(x.grad.tolist())
    assert grads[0] == pytest.approx(grads[1])


def test_type_names_and_converts_as_torch():
    for L in _libs():
        prefix = L.__name__
        assert L.zeros(1).type() == f"{prefix}.FloatTensor"
        assert [L.ones(1, dtype=d).type().split(".")[-1] for d in (L.int64, L.uint8, L.bool, L.float64)] == [
            "LongTensor", "ByteTensor", "BoolTensor", "DoubleTensor"]
        assert L.zeros(1).type("torch.DoubleTensor").dtype == L.float64
        assert L.zeros(1).type(L.LongTensor).dtype == L.int64
        assert L.zeros(1).type(L.int32).dtype == L.int32


def test_diagonal_is_a_view_as_torch():
    results = []
    for L in _libs():
        d = L.zeros(2, 3, 3)
        d.diagonal(dim1=-2, dim2=-1).fill_(-1.0)
        w = L.ones(3, 3, requires_grad=True)
        z = w * 1
        z.diagonal(1).mul_(3)
        (z * z).sum().backward()
        results.append((d.tolist(), w.grad.tolist(), L.arange(12.0).reshape(3, 4).t().diagonal(-1).tolist()))
    assert results[0] == results[1]


def test_real_dtype_complex_api_as_torch():
    for L in _libs():
        x = L.tensor([1.0, -2.0])
        assert x.conj() is x and x.resolve_conj() is x and x.resolve_neg() is x and x.real is x
        assert not (x.is_conj() or x.is_neg() or x.is_complex() or x.is_pinned() or x.is_shared())
        assert L.conj(x) is x
        with pytest.raises(RuntimeError, match="imag is not implemented"):
            x.imag


def test_function_forms_of_methods_and_small_top_level_names():
    for L in _libs():
        x = L.ones(2, 2, requires_grad=True)
        assert not L.detach(x).requires_grad and tuple(L.ravel(x).shape) == (4,)
        assert L.is_nonzero(L.tensor([2])) and L.is_same_size(x, L.zeros(2, 2)) and L.is_signed(x)
        assert L.get_device(x) == -1
        assert L.fill(L.zeros(2), 3.0).tolist() == [3.0, 3.0]
        assert L.frombuffer(bytearray(8), dtype=L.int32, count=1, offset=4).tolist() == [0]
        assert L.empty_strided((2, 3), (1, 2)).stride() == (1, 2)
        assert L.from_dlpack(np.arange(3)).tolist() == [0, 1, 2]
        y = L.ones(4, requires_grad=True).split(2)[1]
        assert y.output_nr == 1 and not y.retains_grad
        y.retain_grad()
        assert y.retains_grad


def test_set_default_tensor_type_warns_and_sets_the_dtype():
    with pytest.warns(UserWarning, match="deprecated"):
        minitorch.set_default_tensor_type(minitorch.DoubleTensor)
    try:
        assert minitorch.zeros(1).dtype == minitorch.float64
    finally:
        with pytest.warns(UserWarning):
            minitorch.set_default_tensor_type("torch.FloatTensor")
    assert minitorch.get_default_dtype() == minitorch.float32


def test_float_power_in_place_needs_a_float64_tensor_as_torch():
    for L in _libs():
        x = L.tensor([2.0, 3.0], dtype=L.float64)
        assert x.float_power_(2) is x and x.tolist() == [4.0, 9.0]
        with pytest.raises(RuntimeError):
            L.tensor([2.0]).float_power_(2)
