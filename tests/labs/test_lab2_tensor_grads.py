"""Lab 2: broadcasting's backward and the first ops' gradients (``minitorch/functions/``).

``unbroadcast`` (2.1) is checked on hand-worked sums and against its defining property (it is
the adjoint of broadcasting); the ops' backward against central finite differences
(``minitorch.testing.gradcheck``) in float64. Every op test also runs the engine (2.6-2.8), and
tests on broadcast shapes ``unbroadcast``: that is why 2.2, 2.3 and 2.5 build on them.
"""
import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

import minitorch
from minitorch.functions._util import unbroadcast
from minitorch.testing import gradcheck
from minitorch.testing import strategies as S


def t(shape, seed=0, low=-2.0, high=2.0, requires_grad=True):
    """A float64 tensor of the given shape with values spread in [low, high]."""
    data = np.random.default_rng(seed).uniform(low, high, shape)
    return minitorch.tensor(data, dtype=minitorch.float64, requires_grad=requires_grad)


def away_from_zero(shape, seed=1):
    """Values in [0.5, 2] with random signs: safe denominators."""
    rng = np.random.default_rng(seed)
    data = rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape)
    return minitorch.tensor(data, dtype=minitorch.float64, requires_grad=True)


def assert_adjoint(grad, shape, out, seed=0):
    """unbroadcast is the adjoint of broadcasting: for every v of ``shape``,
    sum(grad * broadcast(v)) == sum(unbroadcast(grad) * v). Checked for a random v."""
    v = np.random.default_rng(seed).standard_normal(shape)
    assert out.shape == shape
    np.testing.assert_allclose(np.sum(out * v), np.sum(grad * np.broadcast_to(v, grad.shape)), rtol=1e-10, atol=1e-10)


# ----------------------------------------------------------------------------- 2.1 unbroadcast

@pytest.mark.task(id="2.1")
def test_unbroadcast_by_hand():
    grad = np.arange(6.0).reshape(2, 3)  # [[0, 1, 2], [3, 4, 5]]
    np.testing.assert_allclose(unbroadcast(grad, (3,)), [3, 5, 7])        # a new leading dimension
    np.testing.assert_allclose(unbroadcast(grad, (2, 1)), [[3], [12]])    # a dimension of size 1
    np.testing.assert_allclose(unbroadcast(grad, (1, 3)), [[3, 5, 7]])
    np.testing.assert_allclose(unbroadcast(grad, ()), 15)                 # a 0-d tensor broadcast everywhere
    np.testing.assert_allclose(unbroadcast(grad, (2, 3)), grad)           # nothing to undo
    cube = np.ones((5, 1, 3))
    np.testing.assert_allclose(unbroadcast(cube, (1, 1, 3)), np.full((1, 1, 3), 5.0))  # size 1 in both: only 5 summed


@pytest.mark.task(id="2.1")
@pytest.mark.parametrize("grad_shape, shape", [((2, 3), (3,)), ((2, 3), (2, 1)), ((4, 2, 3), (2, 1)), ((2, 3), ()),
                                               ((5, 1, 3), (1, 1, 3))])
def test_unbroadcast_examples(grad_shape, shape):
    grad = np.random.default_rng(0).standard_normal(grad_shape)
    assert_adjoint(grad, shape, unbroadcast(grad, shape))


@pytest.mark.task(id="2.1")
@given(shapes=S.broadcastable_shape_pairs(), seed=st.integers(0, 2**16))
@example(shapes=((3, 1), (2, 1, 4)), seed=0)  # runs first: a wrong answer fails at once, unshrunk
@settings(max_examples=25)
def test_unbroadcast_any_broadcast(shapes, seed):
    shape, other = shapes
    grad_shape = np.broadcast_shapes(shape, other)
    assume(grad_shape != shape)
    grad = np.random.default_rng(seed).standard_normal(grad_shape)
    assert_adjoint(grad, shape, unbroadcast(grad, shape), seed)


@pytest.mark.task(id="2.2")
def test_add_backward_sums_the_broadcast_copies():
    a, b = t((3, 1)), t((4,), seed=1)
    (a + b).backward(minitorch.ones(3, 4, dtype=minitorch.float64))
    np.testing.assert_allclose(a.grad.numpy(), np.full((3, 1), 4.0))
    np.testing.assert_allclose(b.grad.numpy(), np.full((4,), 3.0))


# ----------------------------------------------------------------------------- 2.2 / 2.3 mul, div

@pytest.mark.task(id="2.2")
def test_mul_backward_same_shapes():
    assert gradcheck(lambda a, b: a * b, (t((3, 4)), t((3, 4), seed=1)))


@pytest.mark.task(id="2.2")
def test_mul_backward_with_broadcasting_and_constants():
    assert gradcheck(lambda a, b: a * b, (t((2, 1, 3)), t((4, 1), seed=1)))
    assert gradcheck(lambda a: a * 2.5, (t((2, 3)),))
    b = t((3,), seed=2, requires_grad=False)  # only one operand needs a gradient
    assert gradcheck(lambda a: a * b, (t((2, 3)),))


@pytest.mark.task(id="2.3")
def test_div_backward_same_shapes():
    assert gradcheck(lambda a, b: a / b, (t((3, 4)), away_from_zero((3, 4))))


@pytest.mark.task(id="2.3")
def test_div_backward_with_broadcasting_and_constants():
    assert gradcheck(lambda a, b: a / b, (t((2, 1, 3)), away_from_zero((4, 1))))
    assert gradcheck(lambda b: 1.5 / b, (away_from_zero((2, 3)),))
    a = t((2, 3), requires_grad=False)
    assert gradcheck(lambda b: a / b, (away_from_zero((3,)),))


# ----------------------------------------------------------------------------- 2.4 sum

@pytest.mark.task(id="2.4")
@pytest.mark.parametrize("dim, keepdim", [(None, False), (0, False), (1, True), ((0, 2), False), (-1, True)])
def test_sum_backward(dim, keepdim):
    assert gradcheck(lambda x: x.sum(dim=dim, keepdim=keepdim), (t((2, 3, 4)),))


@pytest.mark.task(id="2.4")
def test_sum_backward_spreads_the_gradient():
    x = t((2, 3))
    x.sum(dim=1).backward(minitorch.tensor([10.0, 20.0], dtype=minitorch.float64))
    np.testing.assert_allclose(x.grad.numpy(), [[10.0] * 3, [20.0] * 3])


# ----------------------------------------------------------------------------- 2.5 matmul

@pytest.mark.task(id="2.5")
@pytest.mark.parametrize("shape_a, shape_b", [((3, 4), (4, 2)), ((1, 5), (5, 1)), ((4,), (4, 3)), ((2, 4), (4,))])
def test_matmul_backward(shape_a, shape_b):
    assert gradcheck(lambda a, b: a @ b, (t(shape_a), t(shape_b, seed=1)))


@pytest.mark.task(id="2.5")
@pytest.mark.parametrize("shape_a, shape_b", [((2, 3, 4), (4, 5)), ((3, 4), (2, 4, 2)), ((2, 1, 3, 4), (3, 4, 2))])
def test_matmul_backward_batched(shape_a, shape_b):
    assert gradcheck(lambda a, b: a @ b, (t(shape_a), t(shape_b, seed=1)))
