"""minitorch.scalar.Scalar: every op's gradient against central differences (and PyTorch),
a node used twice, graphs deeper than the recursion limit, repeated backward calls, the DOT
text and both drawings, and the errors for bad input."""
import math
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minitorch.scalar import Scalar

EPS = 1e-6


def central_difference(f, values, k):
    """d f / d values[k] ~ (f(.., v_k + eps, ..) - f(.., v_k - eps, ..)) / (2 eps), f on floats."""
    up, down = list(values), list(values)
    up[k] += EPS
    down[k] -= EPS
    return (f(*up) - f(*down)) / (2 * EPS)


def engine_gradients(f, values):
    leaves = [Scalar(v) for v in values]
    out = f(*leaves)
    out.backward()
    return out.data, [x.grad for x in leaves]


def check(f, values, tol=1e-6):
    """f's value on Scalars equals f on floats (via .data) and every gradient its central difference."""
    value, grads = engine_gradients(f, values)
    as_float = lambda *vs: f(*(Scalar(v) for v in vs)).data  # noqa: E731
    assert value == pytest.approx(as_float(*values))
    for k, g in enumerate(grads):
        numeric = central_difference(as_float, values, k)
        assert g == pytest.approx(numeric, rel=tol, abs=tol), f"input {k}: engine {g}, numeric {numeric}"


ONE_INPUT = {
    "neg": lambda a: -a,
    "exp": lambda a: a.exp(),
    "log": lambda a: a.log(),
    "tanh": lambda a: a.tanh(),
    "relu": lambda a: a.relu(),
    "sigmoid": lambda a: a.sigmoid(),
    "square": lambda a: a**2,
    "cube": lambda a: a**3,
    "sqrt": lambda a: a**0.5,
    "reciprocal": lambda a: a**-1,
    "add_const": lambda a: a + 3,
    "radd_const": lambda a: 3 + a,
    "rsub_const": lambda a: 3 - a,
    "rmul_const": lambda a: 3 * a,
    "rdiv_const": lambda a: 3 / a,
}
TWO_INPUTS = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
}


@pytest.mark.parametrize("name", ONE_INPUT)
@pytest.mark.parametrize("x", [0.3, 1.7, -0.8])
def test_one_input_ops_match_central_differences(name, x):
    if name in ("log", "sqrt") and x < 0:
        x = -x
    check(ONE_INPUT[name], [x])


@pytest.mark.parametrize("name", TWO_INPUTS)
def test_two_input_ops_match_central_differences(name):
    check(TWO_INPUTS[name], [1.3, -0.7])


@given(st.floats(-3, 3), st.floats(-3, 3), st.floats(0.2, 3))
def test_composite_expression_matches_central_differences(a, b, c):
    def f(a, b, c):
        return ((a * b).tanh() + (c.log() - b) ** 2) / (1 + a.sigmoid()) + (b * c).exp() * 0.1

    check(f, [a, b, c], tol=1e-5)


def test_values_and_gradients_match_pytorch():
    torch = pytest.importorskip("torch")
    vals = [0.5, -1.2, 2.0]

    def f(a, b, c, exp, log, tanh, sig, relu):
        return tanh(a * b) + log(c) * sig(b) / c - relu(a - b) ** 2 + exp(-a)

    leaves = [Scalar(v) for v in vals]
    ours = f(*leaves, Scalar.exp, Scalar.log, Scalar.tanh, Scalar.sigmoid, Scalar.relu)
    ours.backward()
    ts = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in vals]
    theirs = f(*ts, torch.exp, torch.log, torch.tanh, torch.sigmoid, torch.relu)
    theirs.backward()
    assert ours.data == pytest.approx(theirs.item(), rel=1e-12)
    for x, t in zip(leaves, ts):
        assert x.grad == pytest.approx(t.grad.item(), rel=1e-12)


def test_relu_gradient_at_zero_is_zero_like_pytorch():
    x = Scalar(0.0)
    x.relu().backward()
    assert x.grad == 0.0


def test_sigmoid_does_not_overflow_for_large_inputs():
    lo, hi = Scalar(-800.0), Scalar(800.0)
    assert lo.sigmoid().data == 0.0 and hi.sigmoid().data == 1.0


# ------------------------------------------------------------------ accumulation and order
def test_node_used_twice_gets_both_contributions():
    x = Scalar(3.0)
    (x * x).backward()  # d(x^2)/dx = 2x, one x from each factor
    assert x.grad == 6.0
    y = Scalar(3.0)
    (y + y).backward()
    assert y.grad == 2.0


def test_diamond_graph_waits_for_every_path():
    """x feeds a and b; out uses a directly and through b: out = a + exp(a), a = 2x."""
    x = Scalar(0.5)
    a = x * 2
    out = a + a.exp()
    out.backward()
    assert a.grad == pytest.approx(1 + math.exp(1.0))
    assert x.grad == pytest.approx(2 * (1 + math.exp(1.0)))


def test_topological_order_puts_every_node_after_its_children():
    x, y = Scalar(1.0), Scalar(2.0)
    out = (x * y + x).tanh() * y
    order = out.topological_order()
    assert order[-1] is out and len(order) == len({id(n) for n in order}) == 6
    place = {id(n): i for i, n in enumerate(order)}
    for node in order:
        assert all(place[id(c)] < place[id(node)] for c in node.children)


def test_leaves_accumulate_across_backward_calls_intermediates_do_not():
    x = Scalar(2.0)
    h = x * x
    out = h * 3
    out.backward()
    out.backward()
    assert x.grad == 2 * 12.0  # leaf: summed over both calls, as in PyTorch
    assert h.grad == 3.0  # intermediate: this call's value
    x.grad = 0.0
    out.backward()
    assert x.grad == 12.0


def test_deep_chain_does_not_hit_the_recursion_limit():
    depth = 3 * sys.getrecursionlimit()
    x = Scalar(0.3)
    y = x
    for _ in range(depth):
        y = y * 1.0001 + 0.0
    y.backward()
    assert x.grad == pytest.approx(1.0001**depth, rel=1e-9)
    assert len(y.to_dot().splitlines()) > depth


# ------------------------------------------------------------------ drawing
def graph():
    a, b = Scalar(2.0, "a"), Scalar(-1.0, "b")
    out = ((a * b + a / b - a) ** 2).exp().log().tanh().relu().sigmoid() + (-b)
    out.label = "out"
    out.backward()
    return out


def test_dot_text_contains_every_op_label_and_value():
    text = graph().to_dot()
    assert text.startswith("digraph") and text.rstrip().endswith("}")
    for op in ["+", "-", "*", "/", "**2", "exp", "log", "tanh", "relu", "sigmoid", "neg"]:
        assert f'shape=ellipse, label="{op}"' in text, op
    assert "{ a | data 2.0000 | grad" in text and "{ out | data" in text
    # 5 two-input ops (* / + - +) and 7 one-input ops, each with one more arrow to its result
    assert text.count("->") == 5 * 3 + 7 * 2


def test_dot_escapes_record_characters_in_labels():
    text = Scalar(1.0, "x{1}|<y>").to_dot()
    assert r"x\{1\}\|\<y\>" in text


def test_matplotlib_drawing_writes_an_image(tmp_path):
    path = tmp_path / "graph.png"
    text = graph().draw_graph(path, renderer="matplotlib")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert text == graph().to_dot()


def test_dot_renderer_when_graphviz_is_installed(tmp_path):
    import shutil

    if shutil.which("dot") is None:
        with pytest.raises(RuntimeError, match="not on the PATH"):
            graph().draw_graph(tmp_path / "g.png", renderer="dot")
        pytest.skip("graphviz's dot is not installed; install graphviz to test rendering with it")
    path = tmp_path / "g.svg"
    graph().draw_graph(path, renderer="dot")
    assert "<svg" in path.read_text()


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda: Scalar("3"), TypeError, "real number"),
        (lambda: Scalar(1.0) + "a", TypeError, "numbers and Scalars"),
        (lambda: Scalar(1.0) ** Scalar(2.0), TypeError, "plain number"),
        (lambda: Scalar(-8.0) ** 0.5, ValueError, "fractional power"),
        (lambda: Scalar(0.0) ** -1, ZeroDivisionError, "negative power"),
        (lambda: Scalar(1.0) / 0, ZeroDivisionError, "divisor is zero"),
        (lambda: Scalar(0.0).log(), ValueError, "positive number, got 0.0"),
        (lambda: Scalar(1000.0).exp(), OverflowError, "too large"),
        (lambda: Scalar(1.0).draw_graph("x.png", renderer="svg"), ValueError, "renderer must be"),
    ],
)
def test_bad_input_raises_a_clear_error(make, error, words):
    with pytest.raises(error, match=words):
        make()
