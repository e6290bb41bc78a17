"""Forward values of the ops that the catalog's shared tests do not cover (tests/test_catalog.py
runs every unary, binary, reduction and logical op against numpy), and PyTorch's dtype rules."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minitorch
from minitorch import functions as ops
from minitorch.testing import strategies as S

erf = np.vectorize(math.erf)


def t(array):
    return minitorch.tensor(np.asarray(array, dtype=np.float64))


def assert_values(tensor, expected, rtol=1e-12, atol=1e-12):
    expected = np.asarray(expected)
    assert isinstance(tensor, minitorch.Tensor)
    assert tensor.shape == expected.shape, f"shape {tensor.shape}, expected {expected.shape}"
    np.testing.assert_allclose(tensor.numpy(), expected, rtol=rtol, atol=atol)


# ------------------------------------------------------------------ elementwise
UNARY = {
    "neg": (lambda x: -x, np.negative, None),
    "sigmoid_large": (lambda x: x.sigmoid(), lambda a: 1 / (1 + np.exp(-a)), S.grid(-30, 30, 1 / 4)),
    "gelu": (lambda x: ops.GELU.apply(x), lambda a: a * 0.5 * (1 + erf(a / math.sqrt(2))), None),
    "gelu_tanh": (
        lambda x: ops.GELU.apply(x, "tanh"),
        lambda a: 0.5 * a * (1 + np.tanh(math.sqrt(2 / math.pi) * (a + 0.044715 * a**3))),
        None,
    ),
    "clamp": (lambda x: x.clamp(-1, 2), lambda a: np.clip(a, -1, 2), None),
    "clamp_min": (lambda x: minitorch.clamp(x, min=0.5), lambda a: np.maximum(a, 0.5), None),
    "clip_max": (lambda x: x.clip(max=-0.5), lambda a: np.minimum(a, -0.5), None),
    "square": (lambda x: x**2, np.square, None),
}


@pytest.mark.parametrize("name", sorted(UNARY))
@given(data=st.data())
def test_unary(name, data):
    op, reference, elements = UNARY[name]
    a = data.draw(S.arrays(elements=elements))
    assert_values(op(minitorch.tensor(a)), reference(a))


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_keeps_float32(name):
    op, _, _ = UNARY[name]
    assert op(minitorch.tensor([0.5, 1.5, 2.5])).dtype == minitorch.float32


def test_sigmoid_does_not_overflow():
    out = minitorch.tensor([-1000.0, 0.0, 1000.0]).sigmoid()
    assert out.tolist() == [0.0, 0.5, 1.0]


BINARY = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide}


@pytest.mark.parametrize("symbol", sorted(BINARY))
@given(data=st.data())
def test_binary_broadcast(symbol, data):
    shape_a, shape_b = data.draw(S.broadcastable_shape_pairs())
    a, b = data.draw(S.arrays(shape_a)), data.draw(S.arrays(shape_b))
    ta, tb = minitorch.tensor(a), minitorch.tensor(b)
    expected = BINARY[symbol](a, b)
    assert_values({"+": ta + tb, "-": ta - tb, "*": ta * tb, "/": ta / tb}[symbol], expected)


@given(a=S.arrays(elements=S.grid(0.5, 2)))
def test_scalar_forms(a):
    x = minitorch.tensor(a)
    assert_values(2.5 - x, 2.5 - a)
    assert_values(1.5 / x, 1.5 / a)
    assert_values(x / 4, a / 4)
    assert_values(3 * x, 3 * a)
    assert_values(x**1.5, a**1.5)
    assert_values(2**x, 2**a)
    assert_values(x**x, a**a)


# ------------------------------------------------------------------ reductions
REDUCTIONS = {
    "var": (lambda x, d, k: x.var(d, k), lambda a, d, k: np.var(a, d, ddof=1, keepdims=k)),
    "var0": (lambda x, d, k: x.var(d, k, correction=0), lambda a, d, k: np.var(a, d, keepdims=k)),
    "std": (lambda x, d, k: x.std(d, k), lambda a, d, k: np.std(a, d, ddof=1, keepdims=k)),
    "logsumexp": (
        lambda x, d, k: x.logsumexp(d, k),
        lambda a, d, k: np.log(np.sum(np.exp(a), d, keepdims=k)),
    ),
}


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@given(data=st.data())
def test_reduction(name, data):
    op, reference = REDUCTIONS[name]
    # var and std divide by n - 1: every reduced size must be at least 2.
    shape = data.draw(S.shapes(min_dims=1, min_side=2) if name in ("var", "std") else S.shapes())
    a = data.draw(S.arrays(shape))
    dim, keepdim = data.draw(S.reduction_dims(shape)), data.draw(st.booleans())
    axis = dim if dim is None or len(shape) else None  # numpy has no axis 0 for a 0-d array
    assert_values(op(minitorch.tensor(a), dim, keepdim), reference(a, axis, keepdim))


@pytest.mark.parametrize("which", ["max", "min"])
@given(data=st.data())
def test_max_min_with_dim_returns_values_and_indices(which, data):
    shape = data.draw(S.shapes(min_dims=1))
    a = data.draw(S.arrays(shape))
    dim, keepdim = data.draw(S.dim(shape)), data.draw(st.booleans())
    values, indices = getattr(minitorch.tensor(a), which)(dim=dim, keepdim=keepdim)
    arg = {"max": np.argmax, "min": np.argmin}[which]
    assert_values(values, getattr(np, which)(a, axis=dim, keepdims=keepdim))
    assert indices.dtype == minitorch.int64
    np.testing.assert_array_equal(indices.numpy(), arg(a, axis=dim, keepdims=keepdim))
    result = getattr(minitorch, which)(minitorch.tensor(a), dim)
    assert result.values.shape == result.indices.shape
    assert getattr(minitorch.tensor(a), which)().item() == getattr(np, which)(a)


def test_logsumexp_is_stable_for_large_values():
    out = minitorch.tensor([1000.0, 1000.0], dtype=minitorch.float64).logsumexp(0)
    assert out.item() == pytest.approx(1000 + math.log(2))


def test_argmax_argmin():
    x = minitorch.tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]])
    assert x.argmax().item() == 3
    assert x.argmax(dim=1).tolist() == [1, 0]
    assert x.argmin(dim=0, keepdim=True).tolist() == [[0, 1, 0]]
    assert minitorch.argmax(x, 1).tolist() == [1, 0]


# ------------------------------------------------------------------ shapes
@given(data=st.data())
def test_shape_ops(data):
    shape = data.draw(S.shapes(min_dims=1, max_dims=4, max_side=3))
    a = data.draw(S.arrays(shape))
    x = minitorch.tensor(a)
    ndim = len(shape)
    assert_values(x.reshape(-1), a.reshape(-1))
    assert_values(x.contiguous().view(tuple(reversed(shape))), a.reshape(tuple(reversed(shape))))
    d0, d1 = data.draw(S.dim(shape)), data.draw(S.dim(shape))
    assert_values(x.transpose(d0, d1), np.swapaxes(a, d0, d1))
    order = data.draw(st.permutations(range(ndim)))
    assert_values(x.permute(*order), a.transpose(order))
    assert_values(x.T, a.T)
    new = data.draw(st.integers(-ndim - 1, ndim))
    assert_values(x.unsqueeze(new), np.expand_dims(a, new))
    assert_values(x.squeeze(), np.squeeze(a))
    assert_values(x.flatten(), a.reshape(-1))
    if ndim >= 2:
        assert_values(x.flatten(1), a.reshape(shape[0], -1))


def test_squeeze_dim_leaves_other_sizes_alone():
    x = minitorch.zeros(1, 3, 1)
    assert x.squeeze(0).shape == (3, 1)
    assert x.squeeze(1).shape == (1, 3, 1)  # size 3 cannot be squeezed: unchanged, as in PyTorch
    assert x.squeeze((0, 2)).shape == (3,)
    assert x.mT.shape == (1, 1, 3)


@given(data=st.data())
def test_expand(data):
    shape, other = data.draw(S.broadcastable_shape_pairs())
    target = np.broadcast_shapes(shape, other)
    a = data.draw(S.arrays(shape))
    assert_values(minitorch.tensor(a).expand(*target), np.broadcast_to(a, target))


# ------------------------------------------------------------------ indexing and joining
@given(data=st.data())
def test_getitem(data):
    shape = data.draw(S.shapes(min_dims=1))
    a = data.draw(S.arrays(shape))
    x = minitorch.tensor(a)
    index = data.draw(S.basic_indices(shape))
    assert_values(x[index], a[index])
    picks = data.draw(st.lists(st.integers(-shape[0], shape[0] - 1), min_size=1, max_size=6))
    assert_values(x[minitorch.tensor(picks)], a[np.array(picks)])
    mask = data.draw(hnp.arrays(np.bool_, shape))
    assert_values(x[minitorch.tensor(mask)], a[mask])


@given(data=st.data())
def test_cat_stack(data):
    shape = data.draw(S.shapes(min_dims=1))
    dim = data.draw(S.dim(shape))
    arrays = [data.draw(S.arrays(shape)) for _ in range(data.draw(st.integers(1, 3)))]
    tensors = [minitorch.tensor(a) for a in arrays]
    assert_values(minitorch.cat(tensors, dim), np.concatenate(arrays, dim))
    assert_values(minitorch.stack(tensors, dim), np.stack(arrays, dim))
    assert_values(minitorch.stack(tensors, -1), np.stack(arrays, -1))


@given(data=st.data())
def test_where_masked_fill(data):
    shapes = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=3, max_side=3))
    cond = data.draw(hnp.arrays(np.bool_, shapes.input_shapes[0]))
    a, b = data.draw(S.arrays(shapes.input_shapes[1])), data.draw(S.arrays(shapes.input_shapes[2]))
    out = minitorch.where(minitorch.tensor(cond), minitorch.tensor(a), minitorch.tensor(b))
    assert_values(out, np.where(cond, a, b))
    x = data.draw(S.arrays(shapes.result_shape))
    assert_values(minitorch.tensor(x).masked_fill(minitorch.tensor(cond), -7.0), np.where(cond, -7.0, x))


@given(data=st.data())
def test_matmul(data):
    shape_a, shape_b = data.draw(S.matmul_shapes())
    a, b = data.draw(S.arrays(shape_a)), data.draw(S.arrays(shape_b))
    assert_values(minitorch.tensor(a) @ minitorch.tensor(b), a @ b)
    assert_values(minitorch.matmul(minitorch.tensor(a), minitorch.tensor(b)), np.matmul(a, b))


@given(data=st.data())
def test_softmax_log_softmax(data):
    shape = data.draw(S.shapes(min_dims=1))
    a = data.draw(S.arrays(shape))
    dim = data.draw(S.dim(shape))
    e = np.exp(a - a.max(axis=dim, keepdims=True))
    expected = e / e.sum(axis=dim, keepdims=True)
    assert_values(minitorch.tensor(a).softmax(dim), expected)
    assert_values(minitorch.tensor(a).log_softmax(dim), np.log(expected))
    np.testing.assert_allclose(minitorch.softmax(minitorch.tensor(a), dim).sum(dim).numpy(), 1.0)


def test_softmax_of_huge_logits_is_finite():
    x = minitorch.tensor([[1000.0, 0.0], [-1000.0, -1000.0]])
    assert x.softmax(-1).tolist() == [[1.0, 0.0], [0.5, 0.5]]
    assert x.log_softmax(-1).isfinite().all().item()


def test_clone_is_a_copy():
    x = t([1.0, 2.0])
    y = x.clone()
    y.add_(1)
    assert x.tolist() == [1.0, 2.0] and y.tolist() == [2.0, 3.0]


# ------------------------------------------------------------------ dtype rules (PyTorch's)
def test_python_floats_give_float32_and_numpy_float64_is_kept():
    assert minitorch.tensor(1.5).dtype == minitorch.float32
    assert minitorch.tensor([1.0, 2.0]).dtype == minitorch.float32
    assert minitorch.tensor(np.array([1.0])).dtype == minitorch.float64
    assert minitorch.tensor(np.float32([1.0])).dtype == minitorch.float32
    assert minitorch.tensor([1, 2]).dtype == minitorch.int64
    assert minitorch.tensor([True]).dtype == minitorch.bool


@pytest.mark.parametrize("expression, dtype, values", [
    (lambda: minitorch.tensor([1, 2]) / minitorch.tensor([2, 4]), minitorch.float32, [0.5, 0.5]),
    (lambda: minitorch.tensor([1, 3]) / 2, minitorch.float32, [0.5, 1.5]),
    (lambda: 3 / minitorch.tensor([2, 4]), minitorch.float32, [1.5, 0.75]),
    (lambda: minitorch.tensor([1, 2]) * 0.5, minitorch.float32, [0.5, 1.0]),
    (lambda: 0.5 * minitorch.tensor([1, 2]), minitorch.float32, [0.5, 1.0]),
    (lambda: 2.0 - minitorch.tensor([1, 2]), minitorch.float32, [1.0, 0.0]),
    (lambda: minitorch.tensor([1, 2]) + minitorch.tensor([2, 4]), minitorch.int64, [3, 6]),
    (lambda: minitorch.tensor([1, 2]) * 2, minitorch.int64, [2, 4]),
    (lambda: minitorch.tensor([1, 2]) ** 2, minitorch.int64, [1, 4]),
    (lambda: minitorch.tensor([1, 2]) + t([0.5, 0.5]), minitorch.float64, [1.5, 2.5]),
    (lambda: minitorch.tensor([1.0]) + t([0.5]), minitorch.float64, [1.5]),
    (lambda: minitorch.tensor([1.0]) + 0.5, minitorch.float32, [1.5]),
    (lambda: t([1.0]) * 0.5, minitorch.float64, [0.5]),
    (lambda: minitorch.tensor([1.0]) / np.float64(4.0), minitorch.float32, [0.25]),  # np.sqrt(d)
    (lambda: minitorch.tensor([True, False]) * 2.5, minitorch.float32, [2.5, 0.0]),
    (lambda: minitorch.tensor([0, 4]).sqrt(), minitorch.float32, [0.0, 2.0]),
    (lambda: minitorch.tensor([1, 2]).sum(), minitorch.int64, 3),
    (lambda: minitorch.tensor([1, 2]).float().mean(), minitorch.float32, 1.5),
])
def test_type_promotion(expression, dtype, values):
    out = expression()
    assert out.dtype == dtype
    assert out.tolist() == values


def test_mean_of_integers_is_refused():
    with pytest.raises(RuntimeError, match="mean"):
        minitorch.tensor([1, 2]).mean()


def test_casts():
    x = minitorch.tensor([1.7, -2.2])
    assert x.double().dtype == minitorch.float64
    assert x.long().tolist() == [1, -2]
    assert x.to(minitorch.float64).dtype == minitorch.float64
    assert x.to("float64").dtype == minitorch.float64
    assert x.to(minitorch.float32) is x
    assert x.int().dtype == minitorch.int32
    assert (x > 0).float().tolist() == [1.0, 0.0]
    assert x.type_as(t([1.0])).dtype == minitorch.float64
