"""Lab 2, the ops: values on small hand-worked cases, gradients against central finite
differences (``minitorch.testing.gradcheck``, float64). Every op's test also needs the engine
(tasks 2.6-2.8) and, where an op broadcasts, ``unbroadcast`` (2.1).
"""
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import minitorch
from minitorch.testing import gradcheck


def t(shape, seed=0, low=-2.0, high=2.0, requires_grad=True):
    """A float64 tensor of the given shape with values spread in [low, high]."""
    data = np.random.default_rng(seed).uniform(low, high, shape)
    return minitorch.tensor(data, dtype=minitorch.float64, requires_grad=requires_grad)


def positive(shape, seed=0):
    return t(shape, seed, 0.5, 2.0)


def value(x):
    return x.detach().numpy()


# ----------------------------------------------------------------------------- 2.2 add, sub, neg, mul

@pytest.mark.task(id="2.2")
def test_add_sub_neg_mul_values():
    a = minitorch.tensor([[1.0, 2.0], [3.0, 4.0]])
    b = minitorch.tensor([10.0, 20.0])
    np.testing.assert_allclose((a + b).numpy(), [[11, 22], [13, 24]])
    np.testing.assert_allclose((a - b).numpy(), [[-9, -18], [-7, -16]])
    np.testing.assert_allclose((-a).numpy(), [[-1, -2], [-3, -4]])
    np.testing.assert_allclose((a * b).numpy(), [[10, 40], [30, 80]])
    np.testing.assert_allclose((2 - a).numpy(), [[1, 0], [-1, -2]])


@pytest.mark.task(id="2.2")
@pytest.mark.parametrize("fn", [lambda a, b: a + b, lambda a, b: a - b, lambda a, b: -a * b - b],
                         ids=["add", "sub", "neg-mul-sub"])
def test_add_sub_neg_backward_with_broadcasting(fn):
    assert gradcheck(fn, (t((2, 1, 3)), t((4, 1), seed=1)))
    assert gradcheck(fn, (t((3,)), t((), seed=2)))


@pytest.mark.task(id="2.2")
def test_sub_gradients_by_hand():
    a, b = t((2, 3)), t((3,), seed=1)
    (a - b).backward(minitorch.ones(2, 3, dtype=minitorch.float64))
    np.testing.assert_allclose(a.grad.numpy(), np.ones((2, 3)))
    np.testing.assert_allclose(b.grad.numpy(), np.full(3, -2.0))


# ----------------------------------------------------------------------------- 2.3 div, pow, exp, log

@pytest.mark.task(id="2.3")
def test_pow_exp_log_values():
    x = minitorch.tensor([1.0, 2.0, 4.0])
    np.testing.assert_allclose((x ** 2).numpy(), [1, 4, 16])
    np.testing.assert_allclose((2 ** x).numpy(), [2, 4, 16])
    np.testing.assert_allclose(x.log().exp().numpy(), [1, 2, 4], rtol=1e-6)
    np.testing.assert_allclose((x / 4).numpy(), [0.25, 0.5, 1])
    n = minitorch.tensor([2, 3, -1])
    assert (n ** 2).tolist() == [4, 9, 1] and (n ** minitorch.tensor([-1, -1, -1])).tolist() == [0, 0, -1]
    with pytest.raises(RuntimeError):
        n ** -1


@pytest.mark.task(id="2.3")
def test_pow_exp_log_backward():
    assert gradcheck(lambda a, b: a ** b, (positive((2, 3)), t((3,), seed=1)))
    assert gradcheck(lambda a: a ** 3, (t((4,)),))
    assert gradcheck(lambda a: a.exp(), (t((2, 3)),))
    assert gradcheck(lambda a: a.log(), (positive((2, 3)),))


@pytest.mark.task(id="2.3")
def test_pow_gradient_at_zero_as_pytorch():
    x = minitorch.tensor([0.0, 0.0, 2.0], dtype=minitorch.float64, requires_grad=True)
    y = minitorch.tensor([0.0, 2.0, 0.0], dtype=minitorch.float64, requires_grad=True)
    (x ** y).backward(minitorch.ones(3, dtype=minitorch.float64))
    np.testing.assert_allclose(x.grad.numpy(), [0.0, 0.0, 0.0])
    np.testing.assert_allclose(y.grad.numpy(), [0.0, 0.0, np.log(2.0)])


# ----------------------------------------------------------------------------- 2.4 sum and mean

@pytest.mark.task(id="2.4")
def test_sum_and_mean_values_and_keepdim():
    x = minitorch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    np.testing.assert_allclose(x.sum().numpy(), 21.0)
    np.testing.assert_allclose(x.mean(dim=0).numpy(), [2.5, 3.5, 4.5])
    assert x.sum(dim=1, keepdim=True).shape == (2, 1) and x.mean(dim=(0, 1), keepdim=True).shape == (1, 1)


@pytest.mark.task(id="2.4")
@pytest.mark.parametrize("dim, keepdim", [(None, False), (1, True), ((0, 2), False)])
def test_mean_backward(dim, keepdim):
    assert gradcheck(lambda x: x.mean(dim=dim, keepdim=keepdim), (t((2, 3, 4)),))


# ----------------------------------------------------------------------------- 2.9 max, var, logsumexp

@pytest.mark.task(id="2.9")
def test_max_and_min_share_the_gradient_among_ties():
    x = minitorch.tensor([[1.0, 3.0, 3.0], [2.0, 0.0, 0.0]], dtype=minitorch.float64, requires_grad=True)
    np.testing.assert_allclose(value(x.amax(dim=1)), [3.0, 2.0])
    x.amax(dim=1).backward(minitorch.ones(2, dtype=minitorch.float64))
    np.testing.assert_allclose(x.grad.numpy(), [[0, 0.5, 0.5], [1, 0, 0]])
    x.grad = None
    x.amin(dim=1).backward(minitorch.ones(2, dtype=minitorch.float64))
    np.testing.assert_allclose(x.grad.numpy(), [[1, 0, 0], [0, 0.5, 0.5]])
    assert gradcheck(lambda a: a.amax(dim=(0, 2), keepdim=True), (t((2, 3, 4)),))


@pytest.mark.task(id="2.9")
def test_var_std_logsumexp_prod():
    x = minitorch.tensor([1.0, 2.0, 3.0, 6.0])
    np.testing.assert_allclose(x.var().numpy(), 14 / 3)
    np.testing.assert_allclose(x.var(correction=0).numpy(), 3.5)
    np.testing.assert_allclose(minitorch.tensor([1000.0, 1000.0]).logsumexp(dim=0).numpy(), 1000 + np.log(2))
    assert gradcheck(lambda a: a.var(dim=1), (t((3, 4)),))
    assert gradcheck(lambda a: a.std(dim=0, keepdim=True), (t((3, 4)),))
    assert gradcheck(lambda a: a.logsumexp(dim=-1), (t((3, 4)),))
    assert gradcheck(lambda a: a.prod(dim=1), (t((3, 4)),))


@pytest.mark.task(id="2.9")
def test_prod_gradient_with_zeros_and_std_of_a_constant():
    x = minitorch.tensor([[2.0, 0.0, 3.0], [0.0, 0.0, 5.0]], dtype=minitorch.float64, requires_grad=True)
    x.prod(dim=1).backward(minitorch.ones(2, dtype=minitorch.float64))
    np.testing.assert_allclose(x.grad.numpy(), [[0, 6, 0], [0, 0, 0]])
    c = minitorch.ones(4, dtype=minitorch.float64, requires_grad=True)
    c.std().backward()
    np.testing.assert_allclose(c.grad.numpy(), np.zeros(4))


# ----------------------------------------------------------------------------- 2.10 shape ops

@pytest.mark.task(id="2.10")
@pytest.mark.parametrize("fn", [
    lambda x: x.reshape(4, 6), lambda x: x.permute(2, 0, 1), lambda x: x.transpose(0, 2),
    lambda x: x.unsqueeze(1).expand(2, 5, 3, 4), lambda x: x.flip(0, 2), lambda x: x.roll(1, 2),
    lambda x: x.repeat(2, 1, 3), lambda x: x.unsqueeze(1).squeeze(1),
], ids=["reshape", "permute", "transpose", "expand", "flip", "roll", "repeat", "squeeze"])
def test_shape_ops_backward(fn):
    assert gradcheck(fn, (t((2, 3, 4)),))


@pytest.mark.task(id="2.10")
def test_repeat_and_expand_sum_their_copies():
    x = minitorch.tensor([1.0, 2.0], dtype=minitorch.float64, requires_grad=True)
    x.repeat(3).backward(minitorch.ones(6, dtype=minitorch.float64))
    x.expand(4, 2).backward(minitorch.ones(4, 2, dtype=minitorch.float64))
    np.testing.assert_allclose(x.grad.numpy(), [7.0, 7.0])


# ----------------------------------------------------------------------------- 2.11 indexing

@pytest.mark.task(id="2.11")
def test_getitem_backward_adds_up_repeated_indices():
    x = minitorch.tensor([1.0, 2.0, 3.0], dtype=minitorch.float64, requires_grad=True)
    x[minitorch.tensor([0, 2, 0, 0])].backward(minitorch.ones(4, dtype=minitorch.float64))
    np.testing.assert_allclose(x.grad.numpy(), [3.0, 0.0, 1.0])


@pytest.mark.task(id="2.11")
@pytest.mark.parametrize("fn", [
    lambda x: x[1:, ::2], lambda x: x[0, :, [2, 0, 2]], lambda x: x[x.detach() > 0],
    lambda x: x.gather(2, minitorch.tensor([[[0, 3], [1, 1], [2, 0]]] * 2)),
], ids=["slices", "int-and-array", "mask", "gather"])
def test_getitem_and_gather_backward(fn):
    assert gradcheck(fn, (t((2, 3, 4)),))


@pytest.mark.task(id="2.11")
def test_gather_values():
    x = minitorch.tensor([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_allclose(x.gather(1, minitorch.tensor([[1, 1], [0, 1]])).numpy(), [[2, 2], [3, 4]])


@pytest.mark.task(id="2.11")
def test_cat_stack_where_masked_fill_index_put_backward():
    mask = minitorch.tensor([[True, False, True]])
    assert gradcheck(lambda a, b: minitorch.cat([a, b, a], dim=1), (t((2, 3)), t((2, 1), seed=1)))
    assert gradcheck(lambda a, b: minitorch.stack([a, b], dim=1), (t((2, 3)), t((2, 3), seed=1)))
    assert gradcheck(lambda a, b: minitorch.where(mask, a, b), (t((2, 3)), t((3,), seed=1)))
    assert gradcheck(lambda a: a.masked_fill(mask, 0.0), (t((2, 3)),))
    index = (minitorch.tensor([0, 1, 0]),)
    assert gradcheck(lambda a, v: a.index_put(index, v, accumulate=True), (t((2, 3)), t((3, 3), seed=1)))
    assert gradcheck(lambda a, v: a.index_put((minitorch.tensor([1]),), v), (t((2, 3)), t((3,), seed=1)))


@pytest.mark.task(id="2.11")
def test_index_put_values():
    x = minitorch.zeros(3)
    index = (minitorch.tensor([0, 2, 0]),)
    np.testing.assert_allclose(x.index_put(index, minitorch.tensor([1.0, 2.0, 3.0]), accumulate=True).numpy(),
                               [4, 0, 2])
    np.testing.assert_allclose(x.index_put((minitorch.tensor([1]),), minitorch.tensor(5.0)).numpy(), [0, 5, 0])


# ----------------------------------------------------------------------------- 2.5 matmul forward

@pytest.mark.task(id="2.5")
def test_matmul_values():
    a = minitorch.tensor([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_allclose((a @ a).numpy(), [[7, 10], [15, 22]])
    np.testing.assert_allclose((a @ minitorch.tensor([1.0, -1.0])).numpy(), [-1, -1])
    assert (minitorch.ones(5, 1, 2, 3) @ minitorch.ones(4, 3, 2)).shape == (5, 4, 2, 2)


@pytest.mark.task(id="2.5")
@given(batch=st.sampled_from([(), (2,), (3, 1)]), other=st.sampled_from([(), (1,), (1, 2)]), seed=st.integers(0, 99))
@example(batch=(3, 1), other=(1, 2), seed=0)
@settings(max_examples=10)
def test_matmul_backward_broadcast_batches(batch, other, seed):
    assert gradcheck(lambda a, b: a @ b, (t(batch + (2, 3), seed), t(other + (3, 2), seed + 1)))
