"""Lab 1: automatic differentiation on single numbers (``minitorch/scalar.py``).

An operation's result remembers its ``children`` and ``local_grads`` (d result / d child);
``topological_order`` lists the graph, every node after its children; ``backward`` applies the
chain rule. The op tests (1.1-1.3) read ``local_grads`` directly and compare them with central
differences, so they do not need ``backward``; the order tests (1.4) build graphs from explicit
local gradients, so they do not need the ops; the backward tests (1.5) use both.
"""
import math

import pytest

from minitorch.scalar import Scalar

EPS = 1e-6


def slope(f, x):
    """The central difference (f(x + eps) - f(x - eps)) / (2 eps)."""
    return (f(x + EPS) - f(x - EPS)) / (2 * EPS)


def node(value, *edges):
    """A Scalar computed from the given (child, local gradient) pairs, without any operation."""
    return Scalar(value, children=[c for c, _ in edges], local_grads=[g for _, g in edges], op="f")


# ----------------------------------------------------------------------------- 1.1 multiplication

@pytest.mark.task(id="1.1")
@pytest.mark.parametrize("a, b", [(2.0, -3.0), (0.5, 4.0), (-1.25, -0.75)])
def test_mul_value_children_and_local_grads(a, b):
    x, y = Scalar(a), Scalar(b)
    z = x * y
    assert z.data == pytest.approx(a * b)
    assert z.children[0] is x and z.children[1] is y
    assert z.local_grads == pytest.approx((slope(lambda t: t * b, a), slope(lambda t: a * t, b)))


@pytest.mark.task(id="1.1")
def test_mul_with_plain_numbers():
    x = Scalar(1.5)
    right, left = x * 4, 4 * x  # a number becomes a constant leaf of the graph
    assert right.data == left.data == pytest.approx(6.0)
    assert right.local_grads == pytest.approx((4.0, 1.5))
    assert left.local_grads == pytest.approx((1.5, 4.0))


@pytest.mark.task(id="1.1")
@pytest.mark.parametrize("a, b", [(2.0, -3.0), (-0.5, 0.25)])
def test_add_sub_neg_values_children_and_local_grads(a, b):
    x, y = Scalar(a), Scalar(b)
    for z, f in ((x + y, lambda s, t: s + t), (x - y, lambda s, t: s - t)):
        assert z.data == pytest.approx(f(a, b))
        assert z.children[0] is x and z.children[1] is y
        assert z.local_grads == pytest.approx((slope(lambda s: f(s, b), a), slope(lambda t: f(a, t), b)))
    n = -x
    assert n.data == -a and n.children[0] is x and n.local_grads == pytest.approx((-1.0,))
    assert (3 - x).data == pytest.approx(3 - a) and (3 - x).local_grads == pytest.approx((1.0, -1.0))
    assert (3 + x).data == pytest.approx(3 + a) and (3 + x).children[1] is x


@pytest.mark.task(id="1.1")
@pytest.mark.parametrize("other", ["2", [1.0], None])
def test_scalar_with_a_non_number_raises(other):
    for op in (lambda: Scalar(1.0) + other, lambda: Scalar(1.0) * other, lambda: other - Scalar(1.0)):
        with pytest.raises(TypeError, match="Scalar"):
            op()


# ----------------------------------------------------------------------------- 1.2 division

@pytest.mark.task(id="1.2")
@pytest.mark.parametrize("a, b", [(3.0, 2.0), (-1.0, 0.25), (0.5, -4.0)])
def test_div_value_and_local_grads(a, b):
    z = Scalar(a) / Scalar(b)
    assert z.data == pytest.approx(a / b)
    expected = (slope(lambda t: t / b, a), slope(lambda t: a / t, b))
    assert z.local_grads == pytest.approx(expected, rel=1e-6)


@pytest.mark.task(id="1.2")
def test_number_divided_by_scalar():
    z = 1 / Scalar(0.5)
    assert z.data == pytest.approx(2.0)
    assert z.local_grads[1] == pytest.approx(-4.0)  # d(1/b)/db = -1/b^2


@pytest.mark.task(id="1.2")
@pytest.mark.parametrize("a, n", [(1.5, 3), (-2.0, 2), (4.0, 0.5), (0.7, -1.5), (-3.0, 0)])
def test_pow_value_and_local_grad(a, n):
    z = Scalar(a) ** n
    assert z.data == pytest.approx(a**n)
    assert z.children[0].data == a and len(z.children) == 1
    assert z.local_grads == pytest.approx((slope(lambda t: t**n, a),), rel=1e-6, abs=1e-9)


@pytest.mark.task(id="1.2")
def test_pow_at_zero():
    assert (Scalar(0.0) ** 3).local_grads == (0.0,)
    assert (Scalar(0.0) ** 0.5).local_grads == (math.inf,)  # a vertical slope
    assert (Scalar(0.0) ** 0).data == 1.0 and (Scalar(0.0) ** 0).local_grads == (0.0,)


@pytest.mark.task(id="1.2")
def test_bad_divisions_and_powers_raise():
    with pytest.raises(ZeroDivisionError, match="Scalar"):
        Scalar(1.0) / 0
    with pytest.raises(ZeroDivisionError, match="Scalar"):
        2.0 / Scalar(0.0)
    with pytest.raises(ZeroDivisionError, match="Scalar"):
        Scalar(0.0) ** -1
    with pytest.raises(ValueError, match="Scalar"):
        Scalar(-4.0) ** 0.5  # not a real number
    with pytest.raises(TypeError, match="Scalar"):
        Scalar(2.0) ** Scalar(3.0)  # the exponent must be a plain number


# ----------------------------------------------------------------------------- 1.3 exp, log, tanh, relu, sigmoid

@pytest.mark.task(id="1.3")
@pytest.mark.parametrize("a", [-2.0, -0.3, 0.0, 0.7, 3.0])
def test_tanh_value_and_local_grad(a):
    z = Scalar(a).tanh()
    assert z.data == pytest.approx(math.tanh(a))
    assert z.local_grads == pytest.approx((slope(math.tanh, a),), rel=1e-6)


@pytest.mark.task(id="1.3")
def test_tanh_saturates_without_overflow():
    for a in (-800.0, 800.0):  # e^800 overflows a float: a correct tanh never forms it
        z = Scalar(a).tanh()
        assert z.data == pytest.approx(math.copysign(1.0, a))
        assert z.local_grads == pytest.approx((0.0,), abs=1e-12)


@pytest.mark.task(id="1.3")
@pytest.mark.parametrize("a", [-1.5, 0.2, 2.5])
def test_exp_log_sigmoid_values_and_local_grads(a):
    def sigmoid(t):
        return 1 / (1 + math.exp(-t))

    for z, f in ((Scalar(a).exp(), math.exp), (Scalar(a).sigmoid(), sigmoid)):
        assert z.data == pytest.approx(f(a))
        assert z.local_grads == pytest.approx((slope(f, a),), rel=1e-6)
    z = Scalar(abs(a)).log()
    assert z.data == pytest.approx(math.log(abs(a)))
    assert z.local_grads == pytest.approx((slope(math.log, abs(a)),), rel=1e-6)


@pytest.mark.task(id="1.3")
def test_relu_and_its_kink():
    assert Scalar(1.5).relu().data == 1.5 and Scalar(1.5).relu().local_grads == (1.0,)
    assert Scalar(-2.0).relu().data == 0.0 and Scalar(-2.0).relu().local_grads == (0.0,)
    assert Scalar(0.0).relu().local_grads == (0.0,)  # PyTorch's choice at a = 0


@pytest.mark.task(id="1.3")
def test_sigmoid_and_exp_at_the_extremes():
    for a, value in ((-800.0, 0.0), (800.0, 1.0)):
        z = Scalar(a).sigmoid()  # e^800 overflows a float: a correct sigmoid never forms it
        assert z.data == pytest.approx(value) and z.local_grads == pytest.approx((0.0,), abs=1e-12)
    with pytest.raises(OverflowError, match="Scalar.exp"):
        Scalar(800.0).exp()
    for a in (0.0, -1.0):
        with pytest.raises(ValueError, match="Scalar.log"):
            Scalar(a).log()


# ----------------------------------------------------------------------------- 1.4 topological order

def check_order(root, order):
    assert order[-1] is root
    assert len({id(n) for n in order}) == len(order), "a node appears twice"
    position = {id(n): k for k, n in enumerate(order)}
    for n in order:
        for child in n.children:
            assert id(child) in position, "a node's child is missing from the order"
            assert position[id(child)] < position[id(n)], "a node comes before one of its children"


@pytest.mark.task(id="1.4")
def test_topological_order_of_a_diamond():
    a = Scalar(1.0, "a")
    b, c = node(2.0, (a, 1.0)), node(3.0, (a, 1.0))
    d = node(4.0, (b, 1.0), (c, 1.0))
    order = d.topological_order()
    check_order(d, order)
    assert {id(n) for n in order} == {id(a), id(b), id(c), id(d)}


@pytest.mark.task(id="1.4")
def test_topological_order_with_a_node_used_twice():
    x = Scalar(2.0)
    y = node(4.0, (x, 1.0), (x, 1.0))
    z = node(6.0, (y, 1.0), (x, 1.0))
    order = z.topological_order()
    check_order(z, order)
    assert len(order) == 3


@pytest.mark.task(id="1.4")
def test_topological_order_of_a_deep_chain_needs_no_recursion():
    x = Scalar(0.5)
    y = x
    for _ in range(3000):  # deeper than Python's recursion limit (1000)
        y = node(y.data, (y, 1.0))
    order = y.topological_order()
    assert len(order) == 3001 and order[0] is x and order[-1] is y


# ----------------------------------------------------------------------------- 1.5 backward

@pytest.mark.task(id="1.5")
def test_backward_applies_the_chain_rule():
    x = Scalar(1.0)
    h = node(10.0, (x, 3.0))   # dh/dx = 3
    L = node(20.0, (h, -2.0))  # dL/dh = -2
    L.backward()
    assert L.grad == 1.0 and h.grad == -2.0
    assert x.grad == pytest.approx(-6.0)


@pytest.mark.task(id="1.5")
def test_backward_adds_up_every_path():
    a = Scalar(1.0)
    b, c = node(0.0, (a, 2.0)), node(0.0, (a, 5.0))
    d = node(0.0, (b, 3.0), (c, 7.0))
    d.backward()
    assert a.grad == pytest.approx(2 * 3 + 5 * 7)
    x = Scalar(3.0)
    (x + x).backward()  # the same child twice: two contributions
    assert x.grad == pytest.approx(2.0)


@pytest.mark.task(id="1.5")
def test_backward_matches_finite_differences():
    def f(x, y):  # only +, -, ** and exp: none of them is a lab task
        return ((x - y) ** 2 + x).exp() - y ** 3

    x, y = Scalar(0.3), Scalar(-0.4)
    f(x, y).backward()
    assert x.grad == pytest.approx(slope(lambda t: f(Scalar(t), y).data, 0.3), rel=1e-6)
    assert y.grad == pytest.approx(slope(lambda t: f(x, Scalar(t)).data, -0.4), rel=1e-6)


@pytest.mark.task(id="1.5")
def test_leaves_accumulate_and_intermediates_restart():
    x = Scalar(2.0)
    h = node(0.0, (x, 3.0))
    L = node(0.0, (h, 1.0))
    L.backward()
    L.backward()
    assert x.grad == pytest.approx(6.0)  # leaves add up over calls, as in PyTorch
    assert h.grad == pytest.approx(1.0)  # intermediate results start from 0 on each call
