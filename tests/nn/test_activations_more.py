"""The activations of nn.functional and nn beyond relu/sigmoid/tanh: values and gradients against
PyTorch (float64, several shapes), hypothesis gradchecks, stability at huge inputs, the modules'
reprs and the in-place forms, and errors for bad arguments."""
import numpy as np
import pytest
from hypothesis import given

import minitorch
import minitorch.nn as nn
import minitorch.nn.functional as F
from minitorch.errors import ShapeError
from minitorch.testing import gradcheck
from minitorch.testing import strategies as S

CALLS = {  # name -> (keyword arguments)
    "leaky_relu": {"negative_slope": 0.2}, "elu": {"alpha": 0.7}, "selu": {}, "celu": {"alpha": 1.5},
    "silu": {}, "softplus": {"beta": 2.0, "threshold": 5.0}, "softsign": {}, "mish": {},
    "hardtanh": {"min_val": -0.5, "max_val": 2.0}, "hardsigmoid": {}, "hardswish": {}, "relu6": {},
    "logsigmoid": {}, "tanhshrink": {}, "softshrink": {"lambd": 0.3}, "hardshrink": {"lambd": 0.3},
    "threshold": {"threshold": 0.1, "value": -2.0}, "relu": {},
}
SHAPES = [(), (5,), (3, 4), (2, 3, 4)]


@pytest.mark.parametrize("name", CALLS)
@given(x=S.tensors(elements=S.grid(-8, 8)))
def test_gradcheck(name, x):
    assert gradcheck(lambda t: getattr(F, name)(t, **CALLS[name]), [x])


@pytest.mark.parametrize("name", CALLS)
@pytest.mark.parametrize("shape", SHAPES)
def test_same_as_pytorch(name, shape):
    torch = pytest.importorskip("torch")
    data = np.random.default_rng(len(shape)).standard_normal(shape) * 4
    ours, theirs = minitorch.tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
    out, ref = getattr(F, name)(ours, **CALLS[name]), getattr(torch.nn.functional, name)(theirs, **CALLS[name])
    out.sum().backward()
    ref.sum().backward()
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=1e-10, atol=1e-12)
    rtol = 1e-7 if name.startswith("hards") else 1e-9  # PyTorch's hardsigmoid slope 1/6 is a float32 constant
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=rtol, atol=1e-12)


@pytest.mark.parametrize("name", CALLS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_huge_inputs_stay_finite_and_match(name, dtype):
    torch = pytest.importorskip("torch")
    data = np.array([-1e4, -100.0, -30.0, -1.0, 0.25, 3.0, 30.0, 100.0, 1e4], dtype=dtype)
    ours, theirs = minitorch.tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
    out, ref = getattr(F, name)(ours, **CALLS[name]), getattr(torch.nn.functional, name)(theirs, **CALLS[name])
    out.sum().backward()
    ref.sum().backward()
    assert out.dtype == getattr(minitorch, dtype)
    assert np.isfinite(out.detach().numpy()).all() and np.isfinite(ours.grad.numpy()).all()
    rtol = 1e-5 if dtype == "float32" else 1e-7  # hardsigmoid: PyTorch uses a float32 1/6
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=rtol, atol=1e-12)
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=rtol, atol=1e-12)


@pytest.mark.parametrize("call", [
    lambda f, x, w: f.glu(x, dim=1), lambda f, x, w: f.glu(x), lambda f, x, w: f.prelu(x, w),
    lambda f, x, w: f.prelu(x, w[:1]), lambda f, x, w: f.softmin(x, dim=1),
    lambda f, x, w: f.rrelu(x, 0.1, 0.3, training=False),
])
def test_other_activations_same_as_pytorch(call):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    x, w = rng.standard_normal((2, 4, 6)), rng.uniform(0.1, 0.5, 4)
    results = []
    for lib in (minitorch, torch):
        ts = [lib.tensor(x, requires_grad=True), lib.tensor(w, requires_grad=True)]
        call(lib.nn.functional, *ts).sum().backward()
        grads = [np.zeros(t.shape) if t.grad is None else t.grad.numpy() for t in ts]
        results.append([call(lib.nn.functional, *ts).detach().numpy()] + grads)
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def test_rrelu_training_draws_slopes_in_range_and_is_seeded():
    x = -minitorch.ones(1000)
    minitorch.manual_seed(0)
    first = F.rrelu(x, 0.1, 0.3, training=True)
    minitorch.manual_seed(0)
    assert (F.rrelu(x, 0.1, 0.3, training=True) == first).all()
    slopes = -first.numpy()
    assert slopes.min() >= 0.1 and slopes.max() < 0.3 and slopes.std() > 0.01


def test_in_place_forms_write_into_the_input():
    for name in ("relu_", "elu_", "selu_", "celu_", "leaky_relu_", "hardtanh_", "rrelu_"):
        x = minitorch.tensor([-2.0, 0.5, 3.0])
        assert getattr(F, name)(x) is x
        np.testing.assert_allclose(x.numpy(), getattr(F, name[:-1])(minitorch.tensor([-2.0, 0.5, 3.0])).numpy())
    x = minitorch.tensor([-2.0, 0.5])
    assert F.threshold_(x, 0.0, 7.0) is x and x.tolist() == [7.0, 0.5]
    assert F.leaky_relu(x, inplace=True) is x


@pytest.mark.parametrize("make", [
    lambda m: m.LeakyReLU(0.2), lambda m: m.ELU(alpha=0.5), lambda m: m.CELU(), lambda m: m.SELU(),
    lambda m: m.SiLU(), lambda m: m.Mish(), lambda m: m.Softplus(beta=2.0), lambda m: m.Softsign(),
    lambda m: m.Hardtanh(-2.0, 2.0), lambda m: m.ReLU6(), lambda m: m.Hardsigmoid(), lambda m: m.Hardswish(),
    lambda m: m.LogSigmoid(), lambda m: m.Softmin(dim=1), lambda m: m.Softmax2d(), lambda m: m.Tanhshrink(),
    lambda m: m.Softshrink(0.3), lambda m: m.Hardshrink(), lambda m: m.Threshold(0.1, 20.0), lambda m: m.GLU(),
    lambda m: m.RReLU().eval(), lambda m: m.GELU(),
    lambda m: m.Sigmoid(), lambda m: m.Tanh(), lambda m: m.Identity(), lambda m: m.Unflatten(1, (3, 1)),
])
def test_modules_same_as_pytorch(make):
    torch = pytest.importorskip("torch")
    data = np.random.default_rng(0).standard_normal((2, 6, 2, 2)) if "Softmax2d" in repr(make(nn)) else (
        np.random.default_rng(0).standard_normal((2, 3, 4)))
    ours, theirs = make(nn), make(torch.nn)
    out = ours(minitorch.tensor(data)).numpy()
    np.testing.assert_allclose(out, theirs(torch.tensor(data)).detach().numpy(), rtol=1e-10, atol=1e-12)
    if "shrink(" not in repr(ours):  # PyTorch prints Softshrink(0.3); we print the keyword
        assert repr(ours) == repr(theirs)


def test_prelu_learns_its_slopes():
    layer = nn.PReLU(3)
    layer(-minitorch.ones(2, 3, 4)).sum().backward()
    assert [name for name, _ in layer.named_parameters()] == ["weight"]
    np.testing.assert_allclose(layer.weight.grad.numpy(), [-8.0, -8.0, -8.0])


@pytest.mark.parametrize("call, error, words", [
    (lambda: F.glu(minitorch.ones(2, 3)), ShapeError, "even"),
    (lambda: F.prelu(minitorch.ones(2, 3), minitorch.ones(2)), ShapeError, "per channel"),
    (lambda: F.hardtanh(minitorch.ones(2), 2.0, 1.0), ValueError, "min_val"),
    (lambda: F.softshrink(minitorch.ones(2), -1.0), ValueError, "lambd"),
    (lambda: F.celu(minitorch.ones(2), 0.0), ValueError, "alpha"),
    (lambda: F.softplus(minitorch.ones(2), beta="a"), TypeError, "beta"),
    (lambda: F.elu(minitorch.ones(2, dtype=minitorch.int64)), RuntimeError, "floating"),
    (lambda: F.softmin(minitorch.ones(2)), ValueError, "dim"),
    (lambda: F.rrelu(minitorch.ones(2), 0.5, 0.1), ValueError, "lower"),
    (lambda: nn.Softmax2d()(minitorch.ones(2, 3)), ValueError, "Softmax2d"),
])
def test_bad_arguments_get_clear_errors(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_distances_and_one_hot_same_as_pytorch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    a, b = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    calls = [lambda f, x, y: f.normalize(x), lambda f, x, y: f.normalize(x, p=1.0, dim=0),
             lambda f, x, y: f.cosine_similarity(x, y), lambda f, x, y: f.pairwise_distance(x, y, keepdim=True),
             lambda f, x, y: f.pairwise_distance(x, y, p=1.0), lambda f, x, y: f.pdist(x),
             lambda f, x, y: f.pdist(x, p=3)]
    for call in calls:
        results = []
        for lib in (minitorch, torch):
            ts = [lib.tensor(a, requires_grad=True), lib.tensor(b, requires_grad=True)]
            out = call(lib.nn.functional, *ts)
            out.sum().backward()
            results.append([out.detach().numpy()] + [np.zeros(3) if t.grad is None else t.grad.numpy() for t in ts])
        for x, y in zip(*results):
            np.testing.assert_allclose(x, y, rtol=1e-10, atol=1e-12)
    for mod in ("CosineSimilarity", "PairwiseDistance"):
        np.testing.assert_allclose(getattr(nn, mod)()(minitorch.tensor(a), minitorch.tensor(b)).numpy(),
                                   getattr(torch.nn, mod)()(torch.tensor(a), torch.tensor(b)).numpy(), rtol=1e-10)
    index = np.array([[0, 3], [2, 1]])
    ours = F.one_hot(minitorch.tensor(index))
    assert ours.dtype == minitorch.int64 and ours.tolist() == torch.nn.functional.one_hot(torch.tensor(index)).tolist()
    assert F.one_hot(minitorch.tensor([1]), num_classes=4).tolist() == [[0, 1, 0, 0]]
    with pytest.raises(RuntimeError, match="num_classes"):
        F.one_hot(minitorch.tensor([5]), num_classes=3)
    with pytest.raises(RuntimeError, match="integer"):
        F.one_hot(minitorch.tensor([1.0]))


@given(x=S.tensors(shape=(3, 4)), y=S.tensors(shape=(3, 4)))
def test_distance_gradcheck(x, y):
    assert gradcheck(lambda a, b: F.cosine_similarity(a, b), [x, y])
    assert gradcheck(lambda a: F.normalize(a, dim=1), [x])


def test_cuda_gives_the_cpu_values():
    x = minitorch.tensor(np.random.default_rng(2).standard_normal((3, 4)) * 30)
    for name, kwargs in CALLS.items():
        on_cpu = getattr(F, name)(x, **kwargs)
        on_cuda = getattr(F, name)(x.to("cuda"), **kwargs)
        assert on_cuda.device == "cuda"
        np.testing.assert_allclose(on_cuda.cpu().numpy(), on_cpu.numpy(), rtol=1e-12)
