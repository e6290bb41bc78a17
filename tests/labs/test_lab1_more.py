"""Lab 1: checking derivatives numerically (``minitorch/scalar.py``).

``central_difference`` (1.10) approximates a derivative from two values of a function of plain
numbers; ``derivative_check`` (1.11) compares what ``backward`` computes with it. The 1.11 tests
build their graphs from explicit local gradients (``node``), so they need ``topological_order``
and ``backward`` but none of the operations; a graph given a wrong local gradient must be caught.
"""
import math

import pytest

from minitorch.scalar import Scalar, central_difference, derivative_check


def node(value, *edges):
    """A Scalar computed from the given (child, local gradient) pairs, without any operation."""
    return Scalar(value, children=[c for c, _ in edges], local_grads=[g for _, g in edges], op="f")


# ----------------------------------------------------------------------------- 1.10 central differences

@pytest.mark.task(id="1.10")
def test_central_difference_hand_worked_values():
    # ((x + e)^3 - (x - e)^3) / 2e = 3x^2 + e^2 exactly: 3.01 at x = 1, e = 0.1 (a forward difference gives 3.31)
    assert central_difference(lambda x: x**3, 1.0, epsilon=0.1) == pytest.approx(3.01, rel=1e-12)
    assert central_difference(lambda x: x * x, 3.0) == pytest.approx(6.0, rel=1e-8)
    assert central_difference(math.sin, 0.0) == pytest.approx(1.0, rel=1e-10)


@pytest.mark.task(id="1.10")
def test_central_difference_picks_the_argument():
    def f(x, y, z):
        return x * y + 5 * z
    assert central_difference(f, 2.0, -3.0, 0.5) == pytest.approx(-3.0, rel=1e-8)  # arg=0 by default
    assert central_difference(f, 2.0, -3.0, 0.5, arg=1) == pytest.approx(2.0, rel=1e-8)
    assert central_difference(f, 2.0, -3.0, 0.5, arg=-1) == pytest.approx(5.0, rel=1e-8)  # as a list index


@pytest.mark.task(id="1.10")
def test_central_difference_reads_a_scalar_result():
    assert central_difference(lambda x: Scalar(4 * x), 0.25) == pytest.approx(4.0, rel=1e-8)


@pytest.mark.task(id="1.10")
def test_central_difference_error_shrinks_like_epsilon_squared():
    errors = [abs(central_difference(math.exp, 0.0, epsilon=e) - 1.0) for e in (1e-1, 1e-2)]
    assert errors[1] == pytest.approx(errors[0] / 100, rel=0.02)  # e^2 / 6 for exp at 0


@pytest.mark.task(id="1.10")
@pytest.mark.parametrize("call, error, words", [
    (lambda: central_difference(abs, 1.0, arg=1), IndexError, "arg"),
    (lambda: central_difference(abs, 1.0, 2.0, arg=-3), IndexError, "arg"),
    (lambda: central_difference(abs, 1.0, arg=0.0), TypeError, "arg"),
    (lambda: central_difference(abs, 1.0, epsilon=0.0), ValueError, "epsilon"),
    (lambda: central_difference(abs, "1"), TypeError, "vals"),
    (lambda: central_difference(str, 1.0), TypeError, "result"),
])
def test_central_difference_bad_arguments_raise(call, error, words):
    with pytest.raises(error, match=f"central_difference.*{words}"):
        call()


# ----------------------------------------------------------------------------- 1.11 derivative_check

def product(a, b):
    """a * b with its true local gradients."""
    return node(a.data * b.data, (a, b.data), (b, a.data))


def fourth_power(a):
    """(a^2)^2 through two nodes, so backward must chain: 4 a^3."""
    square = node(a.data**2, (a, 2 * a.data))
    return node(square.data**2, (square, 2 * square.data))


@pytest.mark.task(id="1.11")
def test_derivative_check_passes_and_fills_grads():
    a, b = Scalar(2.0), Scalar(-3.0)
    a.grad = 7.0  # a stale gradient is cleared first
    assert derivative_check(product, a, b) is True
    assert (a.grad, b.grad) == pytest.approx((-3.0, 2.0))
    c = Scalar(0.5)
    assert derivative_check(fourth_power, c) is True and c.grad == pytest.approx(0.5)
    assert (a.data, b.data, c.data) == (2.0, -3.0, 0.5)  # inputs left where they were


@pytest.mark.task(id="1.11")
def test_derivative_check_names_every_wrong_argument():
    def swapped(a, b):  # local gradients the wrong way round
        return node(a.data * b.data, (a, a.data), (b, b.data))
    with pytest.raises(RuntimeError, match=r"argument 0 \(value 2\).*-3.*argument 1 \(value -3\)"):
        derivative_check(swapped, Scalar(2.0), Scalar(-3.0))

    def half_wrong(a, b):
        return node(a.data * b.data, (a, b.data), (b, 0.0))
    with pytest.raises(RuntimeError, match="argument 1") as info:
        derivative_check(half_wrong, Scalar(2.0), Scalar(-3.0))
    assert "argument 0" not in str(info.value)


@pytest.mark.task(id="1.11")
def test_derivative_check_tolerances():
    def slightly_off(a):
        return node(3 * a.data, (a, 3.0 + 1e-9))
    assert derivative_check(slightly_off, Scalar(1.0)) is True

    def off(a):
        return node(3 * a.data, (a, 3.01))
    with pytest.raises(RuntimeError, match="derivative_check"):
        derivative_check(off, Scalar(1.0))
    assert derivative_check(off, Scalar(1.0), rtol=0.01) is True


@pytest.mark.task(id="1.11")
def test_derivative_check_bad_arguments_raise():
    with pytest.raises(TypeError, match="derivative_check.*Scalar"):
        derivative_check(product, Scalar(1.0), 2.0)
    with pytest.raises(TypeError, match="derivative_check.*Scalar"):
        derivative_check(lambda a: a.data, Scalar(1.0))
    x = Scalar(1.0)
    with pytest.raises(ValueError, match="derivative_check"):
        derivative_check(product, x, x)
