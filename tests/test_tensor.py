"""Making tensors and reading them back: constructors, dtypes, conversions, repr, comparisons."""
import numpy as np
import pytest

import minitorch


# ------------------------------------------------------------------ constructors
def test_tensor_copies_its_data():
    data = np.array([1.0, 2.0])
    t = minitorch.tensor(data)
    data[0] = 99.0
    assert t.tolist() == [1.0, 2.0]
    assert minitorch.tensor([[1, 2], [3, 4]]).shape == (2, 2)
    assert minitorch.tensor(3.5).shape == () and minitorch.tensor(3.5).ndim == 0
    assert minitorch.tensor(t).tolist() == [1.0, 2.0]


def test_tensor_with_dtype_and_requires_grad():
    t = minitorch.tensor([1, 2], dtype=minitorch.float64, requires_grad=True)
    assert t.dtype == minitorch.float64 and t.requires_grad and t.is_leaf and t.grad is None


def test_python_floats_keep_full_precision_with_dtype_float64():
    assert minitorch.tensor([0.1], dtype=minitorch.float64).tolist() == [0.1]
    assert minitorch.tensor(0.1, dtype=minitorch.float64).item() == 0.1
    assert minitorch.tensor([0.1]).dtype == minitorch.float32  # the default stays float32
    assert minitorch.tensor([1.7], dtype=minitorch.int64).tolist() == [1]
    assert minitorch.tensor([1.0], dtype="float16").dtype == minitorch.float16


@pytest.mark.parametrize("make, shape, dtype, value", [
    (lambda: minitorch.zeros(2, 3), (2, 3), minitorch.float32, 0.0),
    (lambda: minitorch.zeros((2, 3)), (2, 3), minitorch.float32, 0.0),
    (lambda: minitorch.ones([4]), (4,), minitorch.float32, 1.0),
    (lambda: minitorch.ones(2, dtype=minitorch.float64), (2,), minitorch.float64, 1.0),
    (lambda: minitorch.ones(2, dtype=minitorch.int64), (2,), minitorch.int64, 1),
    (lambda: minitorch.full((2, 2), 7.5), (2, 2), minitorch.float32, 7.5),
    (lambda: minitorch.full((3,), 7), (3,), minitorch.int64, 7),
    (lambda: minitorch.full((1,), True), (1,), minitorch.bool, True),
    (lambda: minitorch.zeros_like(minitorch.tensor([1, 2])), (2,), minitorch.int64, 0),
    (lambda: minitorch.ones_like(minitorch.zeros(2, 1, dtype=minitorch.float64)), (2, 1),
     minitorch.float64, 1.0),
    (lambda: minitorch.ones_like(minitorch.tensor([1, 2]), dtype=minitorch.float32), (2,),
     minitorch.float32, 1.0),
    (lambda: minitorch.zeros(()), (), minitorch.float32, 0.0),
])
def test_filled_constructors(make, shape, dtype, value):
    t = make()
    assert t.shape == shape and t.dtype == dtype
    assert (t.numpy() == value).all()


def test_constructors_with_requires_grad():
    assert minitorch.zeros(2, requires_grad=True).requires_grad
    assert minitorch.randn(2, requires_grad=True).requires_grad
    assert not minitorch.ones(2).requires_grad


def test_arange():
    assert minitorch.arange(5).tolist() == [0, 1, 2, 3, 4]
    assert minitorch.arange(5).dtype == minitorch.int64
    assert minitorch.arange(2, 8, 3).tolist() == [2, 5]
    half = minitorch.arange(0, 1, 0.25)
    assert half.dtype == minitorch.float32 and half.tolist() == [0.0, 0.25, 0.5, 0.75]
    assert minitorch.arange(3, dtype=minitorch.float64).dtype == minitorch.float64
    with pytest.raises(RuntimeError, match="step"):
        minitorch.arange(0, 5, 0)


def test_eye():
    np.testing.assert_array_equal(minitorch.eye(3).numpy(), np.eye(3))
    assert minitorch.eye(2, 3).shape == (2, 3)
    assert minitorch.eye(2).dtype == minitorch.float32


def test_rand_and_randn():
    minitorch.manual_seed(0)
    u = minitorch.rand(1000)
    assert u.dtype == minitorch.float32 and u.shape == (1000,)
    assert 0 <= u.numpy().min() and u.numpy().max() < 1
    assert abs(u.numpy().mean() - 0.5) < 0.05
    n = minitorch.randn(100, 100)
    assert abs(n.numpy().mean()) < 0.05 and abs(n.numpy().std() - 1) < 0.05
    assert minitorch.randn(2, 3, dtype=minitorch.float64).dtype == minitorch.float64
    assert minitorch.rand((2, 3)).shape == (2, 3)


def test_randint_and_randperm():
    minitorch.manual_seed(0)
    r = minitorch.randint(3, 6, (200,))
    assert r.dtype == minitorch.int64 and set(r.tolist()) == {3, 4, 5}
    assert set(minitorch.randint(4, size=(100,)).tolist()) == {0, 1, 2, 3}
    p = minitorch.randperm(10)
    assert p.dtype == minitorch.int64 and sorted(p.tolist()) == list(range(10))


def test_from_numpy_shares_memory():
    array = np.array([1.0, 2.0, 3.0])
    t = minitorch.from_numpy(array)
    assert t.dtype == minitorch.float64
    array[0] = 10.0
    assert t.tolist() == [10.0, 2.0, 3.0]
    t.mul_(2)
    assert array.tolist() == [20.0, 4.0, 6.0]
    with pytest.raises(TypeError, match="numpy.ndarray"):
        minitorch.from_numpy([1.0, 2.0])


# ------------------------------------------------------------------ reading values back
def test_item():
    assert minitorch.tensor(3).item() == 3 and isinstance(minitorch.tensor(3).item(), int)
    assert minitorch.tensor([[2.5]]).item() == 2.5
    assert isinstance(minitorch.tensor(2.5).item(), float)
    assert float(minitorch.tensor([1.5])) == 1.5 and int(minitorch.tensor(4)) == 4
    with pytest.raises(RuntimeError, match=r"2 elements.*shape \(2,\)"):
        minitorch.tensor([1.0, 2.0]).item()


def test_numpy_and_tolist():
    t = minitorch.tensor([[1.0, 2.0]])
    assert isinstance(t.numpy(), np.ndarray) and t.numpy().dtype == np.float32
    assert t.tolist() == [[1.0, 2.0]]
    assert np.asarray(t).shape == (1, 2)
    with pytest.raises(RuntimeError, match=r"detach\(\).numpy\(\)"):
        minitorch.tensor([1.0], requires_grad=True).numpy()
    assert minitorch.tensor([1.0], requires_grad=True).detach().numpy().tolist() == [1.0]


def test_size_and_friends():
    t = minitorch.zeros(2, 3, 4)
    assert t.size() == (2, 3, 4) and t.size(1) == 3 and t.size(-1) == 4
    assert t.dim() == 3 and t.ndim == 3 and t.numel() == 24 and len(t) == 2
    assert t.is_floating_point() and not minitorch.tensor([1]).is_floating_point()
    assert t.device == "cpu"
    assert [row.shape for row in minitorch.zeros(2, 3)] == [(3,), (3,)]


def test_repr():
    assert repr(minitorch.tensor([1.0, 2.5])) == "tensor([1.0000, 2.5000])"
    assert repr(minitorch.tensor([1, 2])) == "tensor([1, 2])"
    assert repr(minitorch.tensor(np.array([1.5]))) == "tensor([1.5000], dtype=minitorch.float64)"
    assert repr(minitorch.tensor([1.0], requires_grad=True)) == "tensor([1.], requires_grad=True)"
    assert repr(minitorch.tensor([1.0], requires_grad=True) * 2) == "tensor([2.], grad_fn=<MulBackward0>)"
    assert repr(minitorch.float32) == "minitorch.float32"


def test_bool_of_a_tensor():
    assert bool(minitorch.tensor([1.0])) and not bool(minitorch.tensor(0))
    with pytest.raises(RuntimeError, match="ambiguous"):
        bool(minitorch.tensor([1.0, 2.0]))


# ------------------------------------------------------------------ comparisons
@pytest.mark.parametrize("op, expected", [
    (lambda a, b: a == b, [False, True, False]),
    (lambda a, b: a != b, [True, False, True]),
    (lambda a, b: a < b, [True, False, False]),
    (lambda a, b: a <= b, [True, True, False]),
    (lambda a, b: a > b, [False, False, True]),
    (lambda a, b: a >= b, [False, True, True]),
])
def test_comparisons_give_bool_tensors_without_grad(op, expected):
    a = minitorch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = minitorch.tensor([2.0, 2.0, 2.0])
    for out in (op(a, b), op(a, 2.0)):
        assert out.dtype == minitorch.bool and not out.requires_grad and out.grad_fn is None
        assert out.tolist() == expected


def test_comparison_broadcasting_and_errors():
    assert (minitorch.tensor([[1.0], [3.0]]) > minitorch.tensor([0.0, 2.0])).tolist() == [
        [True, False], [True, True]]
    with pytest.raises(minitorch.ShapeError, match=r"\(2,\) and \(3,\)"):
        minitorch.tensor([1.0, 2.0]) < minitorch.tensor([1.0, 2.0, 3.0])


def test_logical_ops_on_bool_tensors():
    a, b = minitorch.tensor([True, False]), minitorch.tensor([True, True])
    assert (a & b).tolist() == [True, False] and (a | b).tolist() == [True, True]
    assert (~a).tolist() == [False, True]
    assert a.any().item() and not a.all().item()
    with pytest.raises(TypeError, match="bool"):
        ~minitorch.tensor([1.0])


def test_tensors_hash_by_identity():
    a, b = minitorch.tensor([1.0]), minitorch.tensor([1.0])
    assert len({a, b}) == 2


# ------------------------------------------------------------------ errors
def test_ragged_lists_are_refused():
    with pytest.raises(ValueError, match="rectangular"):
        minitorch.tensor([[1.0, 2.0], [3.0]])


@pytest.mark.parametrize("data", [["a", "b"], [None], {"a": 1}, [[1, 2], [3, "x"]]])
def test_non_numbers_are_refused(data):
    with pytest.raises(TypeError, match="numeric"):
        minitorch.tensor(data)


@pytest.mark.parametrize("make", [
    lambda: minitorch.tensor(np.array([1 + 2j])),
    lambda: minitorch.tensor([1.0], dtype="complex64"),
    lambda: minitorch.zeros(2, dtype=np.complex64),
    lambda: minitorch.from_numpy(np.array([1], dtype=np.uint32)),
])
def test_unsupported_dtypes_are_refused(make):
    with pytest.raises(TypeError, match="minitorch does not support dtype.*supported dtypes are"):
        make()


def test_bad_sizes_and_devices():
    with pytest.raises(TypeError, match="zeros: sizes must be integers"):
        minitorch.zeros(2.5)
    with pytest.raises(RuntimeError, match="one GPU"):
        minitorch.ones(2).to("cuda:1")
    with pytest.raises(ValueError, match="unknown device"):
        minitorch.ones(2, device="tpu")


def test_view_refuses_a_layout_that_needs_a_copy():
    x = minitorch.randn(3, 4)
    assert np.shares_memory(x.view(12).numpy(), x.numpy())
    with pytest.raises(RuntimeError, match=r"cannot be viewed as \(12,\) without copying.*reshape"):
        x.T.view(12)
    flat = x.T.contiguous().view(12)
    np.testing.assert_array_equal(flat.numpy(), x.numpy().T.ravel())
    np.testing.assert_array_equal(x.T.reshape(12).numpy(), x.numpy().T.ravel())
