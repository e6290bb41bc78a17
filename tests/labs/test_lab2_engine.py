"""Lab 2, the engine: ``Op.apply`` records the graph (2.6), ``topological_order`` (2.7), and
``backward`` (2.8: the chain rule, accumulation, the shape check, freeing the graph).

The graphs here are made of small ops defined in this file, so that the engine's tasks need no
op of the other tasks.
"""
import numpy as np
import pytest

import minitorch
from minitorch.autograd.engine import topological_order
from minitorch.autograd.function import Op
from minitorch.errors import ShapeError


class Affine(Op):
    """z = 2 a + 3 b (b may be a number);  dz/da = 2, dz/db = 3."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.seen = (type(a), type(b))
        return 2 * a + 3 * b

    @staticmethod
    def backward(ctx, grad):
        return 2 * grad, 3 * grad


class Scale(Op):
    """z = c x for a number c;  dz/dx = c."""

    @staticmethod
    def forward(ctx, x, c):
        ctx.c = c
        return c * x

    @staticmethod
    def backward(ctx, grad):
        return ctx.c * grad, None


class WrongShape(Op):
    """z = x, with a backward that forgets to sum a broadcast: a gradient of the wrong shape."""

    @staticmethod
    def forward(ctx, x):
        return x.copy()

    @staticmethod
    def backward(ctx, grad):
        return np.ones((5,) + grad.shape)


def leaf(values, requires_grad=True):
    return minitorch.tensor(np.asarray(values, dtype=float), dtype=minitorch.float64, requires_grad=requires_grad)


# ----------------------------------------------------------------------------- 2.6 Op.apply

@pytest.mark.task(id="2.6")
def test_apply_records_the_node_and_its_edges():
    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0], requires_grad=False)
    z = Affine.apply(a, b)
    np.testing.assert_allclose(z.detach().numpy(), [11.0, 16.0])
    assert z.requires_grad and isinstance(z.grad_fn, Affine)
    assert z.grad_fn.seen == (np.ndarray, np.ndarray)  # forward gets arrays, not tensors
    assert z.grad_fn.edges[0] is a and z.grad_fn.edges[1] is None
    assert list(z.grad_fn.needs_input_grad) == [True, False]
    w = Affine.apply(z, 1.5)  # a number is passed as it is
    assert w.grad_fn.seen == (np.ndarray, float) and w.grad_fn.edges[0] is z.grad_fn
    np.testing.assert_allclose(w.detach().numpy(), [26.5, 36.5])


@pytest.mark.task(id="2.6")
def test_apply_records_nothing_without_a_gradient():
    a = leaf([1.0, 2.0])
    with minitorch.no_grad():
        z = Affine.apply(a, a)
    assert not z.requires_grad and z.grad_fn is None
    z = Affine.apply(leaf([1.0], requires_grad=False), 2.0)
    assert not z.requires_grad and z.grad_fn is None
    n = Affine.apply(minitorch.tensor([1, 2]), 1)  # an integer output never requires grad
    assert n.dtype == minitorch.int64 and n.grad_fn is None and n.tolist() == [5, 7]


# ----------------------------------------------------------------------------- 2.7 topological order

def _check_order(order, parents):
    """Each node once, and before every node that made one of its inputs."""
    assert len(order) == len(set(order)) == len(parents)
    position = {node: k for k, node in enumerate(order)}
    for node, ins in parents.items():
        for p in ins:
            assert position[node] < position[p], "a node came after one of its inputs' nodes"


@pytest.mark.task(id="2.7")
def test_topological_order_of_a_diamond_and_two_roots():
    x = leaf([1.0])
    a = Scale.apply(x, 2.0)
    b, c = Scale.apply(a, 3.0), Scale.apply(a, 4.0)
    d = Affine.apply(b, c)
    e = Scale.apply(b, 5.0)
    parents = {n.grad_fn: [p.grad_fn for p in ps] for n, ps in
               [(a, []), (b, [a]), (c, [a]), (d, [b, c]), (e, [b])]}
    order = topological_order(d.grad_fn, e.grad_fn)
    _check_order(order, parents)
    assert topological_order(c.grad_fn) == [c.grad_fn, a.grad_fn]


@pytest.mark.task(id="2.7")
def test_topological_order_of_a_deep_graph_needs_no_recursion():
    x = leaf([0.0])
    nodes, y = [], x
    for _ in range(5000):
        y = Affine.apply(y, y)  # every node reached along two edges
        nodes.append(y.grad_fn)
    assert topological_order(y.grad_fn) == nodes[::-1]


# ----------------------------------------------------------------------------- 2.8 backward

@pytest.mark.task(id="2.8")
def test_backward_chain_rule_and_a_tensor_used_twice():
    x = leaf([1.0, -2.0])
    y = Scale.apply(x, 3.0)
    z = Affine.apply(y, y)  # y used twice: dz/dy = 2 + 3
    z.backward(minitorch.tensor([1.0, 10.0], dtype=minitorch.float64))
    np.testing.assert_allclose(x.grad.numpy(), [15.0, 150.0])
    assert y.grad is None and x.grad.dtype == minitorch.float64


@pytest.mark.task(id="2.8")
def test_backward_accumulates_across_calls_and_frees_the_graph():
    x = leaf([2.0])
    Scale.apply(x, 3.0).backward()
    Scale.apply(x, 4.0).backward()
    np.testing.assert_allclose(x.grad.numpy(), [7.0])
    y = Scale.apply(Scale.apply(x, 2.0), 2.0)
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), [15.0])
    with pytest.raises(RuntimeError, match="second time"):
        y.backward()


@pytest.mark.task(id="2.8")
def test_backward_of_a_deep_graph():
    x = leaf([1.0])
    y = x
    for _ in range(3000):
        y = Scale.apply(y, 1.001)
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), [1.001**3000], rtol=1e-9)


@pytest.mark.task(id="2.8")
def test_backward_checks_shapes_and_its_start():
    with pytest.raises(ShapeError, match="WrongShape"):
        WrongShape.apply(leaf([1.0, 2.0])).backward(minitorch.ones(2, dtype=minitorch.float64))
    y = Scale.apply(leaf([1.0, 2.0]), 2.0)
    with pytest.raises(RuntimeError, match="scalar"):
        y.backward()
    with pytest.raises(ShapeError):
        y.backward(minitorch.ones(3, dtype=minitorch.float64))
    with pytest.raises(RuntimeError, match="does not require grad"):
        leaf([1.0], requires_grad=False).backward()


@pytest.mark.task(id="2.8")
def test_backward_to_chosen_inputs_only():
    x, w = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    y = Affine.apply(Scale.apply(x, 2.0), w)
    y.backward(minitorch.ones(2, dtype=minitorch.float64), inputs=[x])
    np.testing.assert_allclose(x.grad.numpy(), [4.0, 4.0])
    assert w.grad is None
    with pytest.raises(RuntimeError, match="inputs"):
        Scale.apply(x, 2.0).backward(minitorch.ones(2, dtype=minitorch.float64), inputs=[])
