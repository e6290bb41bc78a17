"""In-place ops on tensors in the graph (not leaves), as public programs write them: a causal mask
filled into attention scores with ``masked_fill_``, ``x += y`` on an activation, ``nn.ReLU(inplace=True)``,
``sigmoid_``/``clamp_``/``copy_`` on an op's output. As in PyTorch, the tensor takes the in-place op
as its history, and gradients flow through it; a leaf that requires grad, and a view of one, are
still refused (views of graph tensors: tests/test_inplace_graph.py)."""
import numpy as np
import pytest
from hypothesis import given

import minitorch
from minitorch.testing import gradcheck
from minitorch.testing import strategies as S


def _program(torch, x, w):
    """Attention-like scores, masked in place, then in-place arithmetic and activations."""
    scores = x @ w
    scores.masked_fill_(torch.triu(torch.ones(scores.shape), 1).bool(), -float("inf"))
    a = torch.softmax(scores, -1)
    h = x * 2
    h += a
    h.mul_(a + 1)
    h.clamp_(max=1.5)
    h.sigmoid_()
    g = x + 0
    g.copy_(h * 3)
    return torch.nn.functional.relu(g - 2, inplace=True)


def test_in_place_on_graph_tensors_gives_pytorchs_values_and_gradients():
    torch = pytest.importorskip("torch")
    x0, w0 = np.arange(12.0).reshape(3, 4) / 7, np.linspace(-1, 1, 16).reshape(4, 4)
    results = []
    for lib in (minitorch, torch):
        x, w = lib.tensor(x0, requires_grad=True), lib.tensor(w0, requires_grad=True)
        out = _program(lib, x, w)
        (out * lib.tensor(np.cos(np.arange(12.0)).reshape(3, 4))).sum().backward()
        results.append([out.detach().numpy(), x.grad.numpy(), w.grad.numpy()])
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)


@given(S.arrays(shape=(3, 4)), S.arrays(shape=(4, 4)))
def test_in_place_on_graph_tensors_gradcheck(x0, w0):
    x, w = minitorch.tensor(x0, requires_grad=True), minitorch.tensor(w0, requires_grad=True)
    assert gradcheck(lambda a, b: _program(minitorch, a, b) + 0, [x, w])


def test_the_tensor_takes_the_in_place_ops_history():
    x = minitorch.tensor([1.0, -2.0], requires_grad=True)
    y = x * 3
    assert y.masked_fill_(y < 0, 0.0) is y
    assert y.grad_fn.name() == "MaskedFillBackward0" and y.tolist() == [3.0, 0.0]  # as PyTorch
    y.sum().backward()
    assert x.grad.tolist() == [3.0, 0.0]


def test_an_op_that_saved_the_old_values_keeps_them():
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    y.mul_(y)  # Mul saved y's old values: d(y*y)/dx = 2x
    y.sum().backward()
    assert x.grad.tolist() == [2.0, 4.0]


def test_leaves_views_and_used_values_are_still_refused():
    leaf = minitorch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf tensor"):
        leaf.add_(1)
    with pytest.raises(RuntimeError, match="view of a leaf tensor"):  # a view of a graph tensor works:
        leaf[:1].mul_(2)                                             # tests/test_inplace_graph.py
    y = leaf.exp()
    y.add_(1)  # Exp's backward needs its output as it was
    with pytest.raises(minitorch.InPlaceModificationError, match="Exp"):
        y.sum().backward()


def test_without_grad_in_place_still_writes_plain_arrays():
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    with minitorch.no_grad():
        y = x * 2
        y.add_(1)
    assert y.grad_fn is None and y.tolist() == [3.0, 5.0]


@pytest.mark.parametrize("name, kwargs", [
    ("relu", {}), ("leaky_relu", {"negative_slope": 0.1}), ("elu", {}), ("selu", {}), ("hardtanh", {}),
    ("relu6", {}), ("silu", {}), ("hardswish", {}), ("hardsigmoid", {}), ("threshold", {"threshold": 0.5, "value": -1.0}),
])
def test_inplace_activations_on_an_ops_output_as_pytorch(name, kwargs):
    """``nn.LeakyReLU(0.2, inplace=True)`` after a layer: the ops that compute the activation saved
    the input that the activation then overwrites; they keep a copy."""
    torch = pytest.importorskip("torch")
    results = []
    for lib in (minitorch, torch):
        x = lib.tensor(np.linspace(-3, 3, 12).reshape(3, 4), requires_grad=True)
        h = x * 1.5
        y = getattr(lib.nn.functional, name)(h, inplace=True, **kwargs)
        assert y is h
        (y * y).sum().backward()
        results.append((y.detach().numpy(), x.grad.numpy()))
    for ours, theirs in zip(*results):  # PyTorch's hardsigmoid backward uses a float32 1/6, also in float64
        np.testing.assert_allclose(ours, theirs, rtol=1e-7, atol=1e-12)
