"""minitorch against PyTorch: the same float64 data through the same expression must give the
same outputs and the same gradients (PyTorch's autograd is the reference; minitorch's
gradients are still computed by its own hand-written backward rules)."""
import numpy as np
import pytest

import minitorch

torch = pytest.importorskip("torch")

# (name, expression of (lib, *inputs), a few input-shape sets, domain of the values). Every op of the
# catalog is compared by tests/test_catalog.py (its family's calls, or its entry's Case calls);
# these are the operators with Python numbers, 0-d tensors and compositions.
CASES = [
    ("operators", lambda m, a, b: (a + b) * (a - b) / (b * b + 1), [((3, 4), (4,)), ((2, 1, 3), (4, 1)), ((), (3,))],
     "any"),
    ("pow", lambda m, a, b: a**b, [((3, 4), (4,)), ((2, 3), ())], "positive"),
    ("scalars", lambda m, x: (2.0 - x) * 3 + 1.5 / x - x / 4 + x**3 + 2**x + x**-0.5,
     [((3, 4),), ((5,),)], "positive"),
    ("neg", lambda m, x: -x, [((3, 4),)], "any"),
    ("exp_0d", lambda m, x: x.exp(), [((),)], "any"),
    ("T", lambda m, x: x.T @ x, [((3, 4),)], "any"),
    ("mlp", lambda m, x, w, b: ((x @ w + b).relu() @ w.T).tanh().log_softmax(-1).mean(),
     [((5, 3), (3, 3), (3,))], "any"),
]

PARAMS = [
    pytest.param(name, fn, shapes, domain, id=f"{name}-{'x'.join(map(str, shapes))}")
    for name, fn, shape_sets, domain in CASES
    for shapes in shape_sets
]


def _data(shapes, domain, seed=0):
    rng = np.random.default_rng(seed)
    if domain == "positive":
        return [rng.uniform(0.5, 2.0, s) for s in shapes]
    return [rng.standard_normal(s) for s in shapes]


def _run(lib, fn, arrays):
    """Output values, int indices if any, and the gradient of sum(w * out) for every input."""
    inputs = [lib.tensor(a, requires_grad=True) for a in arrays]
    out = fn(lib, *inputs)
    values, indices = (out if isinstance(out, tuple) else (out, None))
    w = np.random.default_rng(1).standard_normal(tuple(values.shape))
    (values * lib.tensor(w)).sum().backward()
    grads = [x.grad.numpy() if x.grad is not None else np.zeros(a.shape) for x, a in zip(inputs, arrays)]
    return values.detach().numpy(), None if indices is None else indices.numpy(), grads


@pytest.mark.parametrize("name, fn, shapes, domain", PARAMS)
def test_same_as_pytorch(name, fn, shapes, domain):
    arrays = _data(shapes, domain)
    ours, ours_idx, our_grads = _run(minitorch, fn, arrays)
    theirs, _, their_grads = _run(torch, fn, arrays)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)
    for k, (g, h) in enumerate(zip(our_grads, their_grads)):
        np.testing.assert_allclose(g, h, rtol=1e-9, atol=1e-12, err_msg=f"{name}: gradient of input {k}")


@pytest.mark.parametrize("which", ["max", "min"])
@pytest.mark.parametrize("dim, keepdim", [(0, False), (1, True), (-1, False), (2, True)])
def test_max_min_with_dim_return_values_and_indices(which, dim, keepdim):
    (array,) = _data([(3, 4, 5)], "any", seed=dim + 7)

    def fn(lib, x):
        return getattr(x, which)(dim=dim, keepdim=keepdim)

    ours, our_indices, (our_grad,) = _run(minitorch, fn, [array])
    theirs, their_indices, (their_grad,) = _run(torch, fn, [array])
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)
    np.testing.assert_array_equal(our_indices, their_indices)
    assert our_indices.dtype == np.int64
    np.testing.assert_allclose(our_grad, their_grad, rtol=1e-12)
    values, indices = getattr(minitorch, which)(minitorch.tensor(array), dim)  # unpacks as a pair
    assert values.shape == indices.shape == np.max(array, axis=dim).shape


def test_dtype_promotion_matches_pytorch():
    examples = [
        lambda m: m.tensor([1, 2]) / m.tensor([2, 4]),
        lambda m: m.tensor([1, 2]) * 0.5,
        lambda m: m.tensor([1, 2]) + 1,
        lambda m: m.tensor([1.0]) + m.tensor([1.0], dtype=m.float64),
        lambda m: m.tensor([1, 2]) + m.tensor([1.0], dtype=m.float64),
        lambda m: m.tensor([True]) * 2.5,
        lambda m: m.tensor([1.0, 2.0]) / np.float64(3.0),
        lambda m: m.tensor([1, 2]).exp(),
        lambda m: m.tensor([1, 2]).sigmoid(),
        lambda m: m.arange(3),
        lambda m: m.arange(0, 1, 0.5),
        lambda m: m.tensor(1.5),
        lambda m: m.full((2,), 3),
    ]
    for make in examples:
        assert str(make(minitorch).dtype).split(".")[-1] == str(make(torch).dtype).split(".")[-1]
