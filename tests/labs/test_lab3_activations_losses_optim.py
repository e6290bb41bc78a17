"""Lab 3: activations, losses and optimisers.

Activations (``functions/pointwise.py``, ``functions/softmax.py``): each backward against
finite differences. Losses (``nn/functional.py``): values against numpy, gradients against
finite differences. Optimisers (``optim/sgd.py``, ``optim/adam.py``): three steps with set
gradients against PyTorch's parameters after them, and the first step worked out by hand.
"""
import numpy as np
import pytest

import minitorch
import minitorch.nn.functional as F
from minitorch.nn import Parameter
from minitorch.optim import SGD, Adam
from minitorch.testing import gradcheck


def t(data_or_shape, seed=0, requires_grad=True, scale=2.0):
    """A float64 tensor: from data, or of a shape with values in [-scale, scale]."""
    if isinstance(data_or_shape, tuple):
        data_or_shape = np.random.default_rng(seed).uniform(-scale, scale, data_or_shape)
    return minitorch.tensor(data_or_shape, dtype=minitorch.float64, requires_grad=requires_grad)


def log_softmax_np(x, axis):
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


# ----------------------------------------------------------------------------- 3.1 - 3.4 activations

@pytest.mark.task(id="3.1")
def test_relu_backward():
    assert gradcheck(lambda x: x.relu(), (t((3, 5)),))
    x = t([-1.5, 2.0, -0.25, 0.75])
    x.relu().backward(minitorch.ones(4, dtype=minitorch.float64))
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 1.0, 0.0, 1.0])


@pytest.mark.task(id="3.2")
def test_sigmoid_backward():
    assert gradcheck(lambda x: x.sigmoid(), (t((3, 5), scale=4.0),))


@pytest.mark.task(id="3.2")
def test_sigmoid_backward_saturates_without_nan():
    x = t([-800.0, 800.0])
    x.sigmoid().backward(minitorch.ones(2, dtype=minitorch.float64))
    np.testing.assert_allclose(x.grad.numpy(), [0.0, 0.0], atol=1e-300)


@pytest.mark.task(id="3.3")
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_softmax_backward(dim):
    assert gradcheck(lambda x: x.softmax(dim), (t((3, 4, 2)),))


@pytest.mark.task(id="3.4")
@pytest.mark.parametrize("dim", [0, -1])
def test_log_softmax_backward(dim):
    assert gradcheck(lambda x: x.log_softmax(dim), (t((3, 4)),))


@pytest.mark.task(id="3.4")
def test_log_softmax_backward_of_large_logits_is_finite():
    x = t([[1000.0, 0.0, -1000.0]])
    x.log_softmax(-1).backward(t([[1.0, 0.0, 0.0]], requires_grad=False))
    np.testing.assert_allclose(x.grad.numpy(), [[0.0, 0.0, 0.0]], atol=1e-12)


# ----------------------------------------------------------------------------- 3.5 mse

@pytest.mark.task(id="3.5")
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_mse_loss_value(reduction):
    x, y = np.array([[1.0, 2.0], [3.0, -1.0]]), np.array([[0.5, 2.0], [1.0, 1.0]])
    errors = (x - y) ** 2
    expected = {"mean": errors.mean(), "sum": errors.sum(), "none": errors}[reduction]
    out = F.mse_loss(t(x), t(y, requires_grad=False), reduction=reduction)
    np.testing.assert_allclose(out.detach().numpy(), expected)


@pytest.mark.task(id="3.5")
def test_mse_loss_gradient():
    target = t((4, 3), seed=1, requires_grad=False)
    assert gradcheck(lambda x: F.mse_loss(x, target), (t((4, 3)),))


# ----------------------------------------------------------------------------- 3.6 cross-entropy

LOGITS = np.array([[2.0, -1.0, 0.5], [0.1, 0.2, 3.0], [-2.0, 1.0, 1.5], [0.0, 0.0, 0.0]])
TARGET = np.array([0, 2, 1, 2])


@pytest.mark.task(id="3.6")
def test_cross_entropy_value():
    logp = log_softmax_np(LOGITS, 1)
    picked = -logp[np.arange(4), TARGET]
    target = minitorch.tensor(TARGET, dtype=minitorch.int64)
    np.testing.assert_allclose(F.cross_entropy(t(LOGITS), target).detach().numpy(), picked.mean())
    np.testing.assert_allclose(F.cross_entropy(t(LOGITS), target, reduction="none").detach().numpy(), picked)
    np.testing.assert_allclose(F.nll_loss(t(logp), target, reduction="sum").detach().numpy(), picked.sum())


@pytest.mark.task(id="3.6")
def test_cross_entropy_weights_and_ignore_index():
    logp = log_softmax_np(LOGITS, 1)
    w = np.array([1.0, 2.0, 0.5])
    target = np.array([0, 2, -100, 1])
    keep = target != -100
    rows, classes = np.arange(4)[keep], target[keep]
    expected = (-w[classes] * logp[rows, classes]).sum() / w[classes].sum()
    weight = t(w, requires_grad=False)
    out = F.cross_entropy(t(LOGITS), minitorch.tensor(target, dtype=minitorch.int64), weight=weight)
    np.testing.assert_allclose(out.detach().numpy(), expected)


@pytest.mark.task(id="3.6")
def test_cross_entropy_gradient_is_softmax_minus_one_hot():
    x = t(LOGITS)
    F.cross_entropy(x, minitorch.tensor(TARGET, dtype=minitorch.int64)).backward()
    expected = (np.exp(log_softmax_np(LOGITS, 1)) - np.eye(3)[TARGET]) / 4
    np.testing.assert_allclose(x.grad.numpy(), expected, atol=1e-12)


# ----------------------------------------------------------------------------- 3.7 / 3.8 optimisers

GRADS = [np.array([0.5, -1.0, 2.0]), np.array([0.25, 0.5, -1.0]), np.array([-0.75, 0.0, 1.5])]
START = np.array([1.0, -2.0, 0.5])


def run_optimizer(make, grads=GRADS):
    """Parameters after one step per gradient in ``grads``."""
    p = Parameter(minitorch.tensor(START, dtype=minitorch.float64))
    opt = make([p])
    for g in grads:
        p.grad = minitorch.tensor(g, dtype=minitorch.float64)
        opt.step()
    return p.detach().numpy()


# The parameters after the three steps, as PyTorch 2.13's SGD and Adam give them (float64).
SGD_EXPECTED = [
    (dict(momentum=0.9), [0.892, -1.824, -0.002]),
    (dict(momentum=0.5, dampening=0.5), [0.93125, -1.8625, 0.15]),
    (dict(momentum=0.9, nesterov=True), [0.9028, -1.7916, -0.2018]),
    (dict(momentum=0.8, weight_decay=0.1), [0.858104, -1.745208, 0.0222095]),
]
ADAM_EXPECTED = [
    (dict(), [0.9814979720110778, -1.985277836733145, 0.48206642197232835]),
    (dict(betas=(0.5, 0.9), eps=1e-3), [0.9866535317658023, -1.99000999000999, 0.4844266611965915]),
    (dict(amsgrad=True), [0.9814979720110778, -1.9852788663871088, 0.48206642197232835]),
]


@pytest.mark.task(id="3.7")
@pytest.mark.parametrize("options, expected", SGD_EXPECTED)
def test_sgd_with_momentum(options, expected):
    actual = run_optimizer(lambda ps: SGD(ps, lr=0.1, **options))
    np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=1e-15)


@pytest.mark.task(id="3.7")
def test_sgd_first_step_by_hand():
    # the first step has no history: the buffer starts as g, so theta - lr g whatever the momentum
    actual = run_optimizer(lambda ps: SGD(ps, lr=0.1, momentum=0.9), grads=GRADS[:1])
    np.testing.assert_allclose(actual, START - 0.1 * GRADS[0], rtol=1e-15)


@pytest.mark.task(id="3.8")
@pytest.mark.parametrize("options, expected", ADAM_EXPECTED)
def test_adam(options, expected):
    actual = run_optimizer(lambda ps: Adam(ps, lr=0.01, **options))
    np.testing.assert_allclose(actual, expected, rtol=1e-10)


@pytest.mark.task(id="3.8")
def test_adam_first_step_moves_every_coordinate_by_lr():
    # bias correction makes m_hat = g and v_hat = g^2 on the first step: a step of lr g / (|g| + eps)
    actual = run_optimizer(lambda ps: Adam(ps, lr=0.01), grads=GRADS[:1])
    np.testing.assert_allclose(actual, START - 0.01 * np.sign(GRADS[0]), rtol=1e-7)
