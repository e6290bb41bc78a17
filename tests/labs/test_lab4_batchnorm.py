"""Lab 4: batch normalisation (``functions/normalization.py``, ``nn/normalization.py``).

The forward pass against small cases worked out by hand and its invariants (each channel of the
output has mean beta and standard deviation gamma); the backward pass against finite differences
and against what the algebra says must hold (with two samples per channel the output is +-1
whatever the input, so dL/dx is 0); the modules against running statistics computed by hand.
"""
import numpy as np
import pytest

import minitorch
import minitorch.nn.functional as F
from minitorch import nn
from minitorch.testing import gradcheck


def t(data, requires_grad=False):
    return minitorch.tensor(np.asarray(data, dtype=np.float64), dtype=minitorch.float64, requires_grad=requires_grad)


def uniform(shape, seed=0, low=-2.0, high=2.0):
    return t(np.random.default_rng(seed).uniform(low, high, shape), requires_grad=True)


# ----------------------------------------------------------------------------- 4.8 forward

@pytest.mark.task(id="4.8")
def test_two_samples_become_minus_one_and_one_then_scaled_and_shifted():
    x = t([[1.0, -4.0], [3.0, 6.0]])  # channel 0: mean 2, variance 1; channel 1: mean 1, variance 25
    out = F.batch_norm(x, None, None, t([2.0, 1.0]), t([0.5, -1.0]), training=True, eps=0.0)
    np.testing.assert_allclose(out.numpy(), [[-1.5, -2.0], [2.5, 0.0]], rtol=1e-12, atol=1e-12)


@pytest.mark.task(id="4.8")
def test_training_updates_the_running_statistics_with_the_unbiased_variance():
    x = t([[1.0, 0.0], [3.0, 0.0], [5.0, 3.0]])  # means 3 and 1; unbiased variances 4 and 3
    mean, var = t([1.0, -1.0]), t([2.0, 0.5])
    out = F.batch_norm(x, mean, var, training=True, momentum=0.25, eps=0.0)
    np.testing.assert_allclose(mean.numpy(), [0.75 * 1 + 0.25 * 3, 0.75 * -1 + 0.25 * 1])
    np.testing.assert_allclose(var.numpy(), [0.75 * 2 + 0.25 * 4, 0.75 * 0.5 + 0.25 * 3])
    # ...but normalises with the biased batch variance (8/3 and 2)
    np.testing.assert_allclose(out.numpy()[:, 0], np.array([-2.0, 0.0, 2.0]) / np.sqrt(8 / 3), rtol=1e-12)
    np.testing.assert_allclose(out.numpy()[:, 1], np.array([-1.0, -1.0, 2.0]) / np.sqrt(2), rtol=1e-12)


@pytest.mark.task(id="4.8")
def test_evaluation_uses_the_running_statistics_and_leaves_them_alone():
    x = t([[1.0, 2.0], [3.0, 4.0]])
    mean, var = t([1.0, 2.0]), t([4.0, 0.25])
    out = F.batch_norm(x, mean, var, t([1.0, 3.0]), t([0.0, 1.0]), training=False, eps=0.0)
    np.testing.assert_allclose(out.numpy(), [[0.0, 1.0], [1.0, 13.0]], rtol=1e-12)
    np.testing.assert_array_equal(mean.numpy(), [1.0, 2.0])
    np.testing.assert_array_equal(var.numpy(), [4.0, 0.25])


@pytest.mark.task(id="4.8")
@pytest.mark.parametrize("shape", [(4, 3), (3, 2, 5), (2, 3, 4, 5)])
def test_each_channel_comes_out_with_mean_beta_and_std_gamma(shape):
    scale = np.arange(1.0, shape[1] + 1).reshape((1, -1) + (1,) * (len(shape) - 2))  # channels of other spreads
    x = t(np.random.default_rng(len(shape)).uniform(-2, 2, shape) * scale)
    weight, bias = t(np.linspace(0.5, 2, shape[1])), t(np.linspace(-1, 1, shape[1]))
    out = F.batch_norm(x, None, None, weight, bias, training=True, eps=0.0).detach().numpy()
    axes = (0, *range(2, len(shape)))
    np.testing.assert_allclose(out.mean(axis=axes), bias.numpy(), atol=1e-12)
    np.testing.assert_allclose(out.std(axis=axes), weight.numpy(), rtol=1e-12)


@pytest.mark.task(id="4.8")
def test_eps_is_added_to_the_variance_and_float32_stays_float32():
    x = minitorch.tensor([[0.0], [2.0]])  # variance 1
    out = F.batch_norm(x, None, None, training=True, eps=3.0)
    assert out.dtype == minitorch.float32
    np.testing.assert_allclose(out.numpy(), [[-0.5], [0.5]], rtol=1e-6)


# ----------------------------------------------------------------------------- 4.9 backward

@pytest.mark.task(id="4.9")
def test_two_samples_give_no_input_gradient_and_the_affine_gradients_by_hand():
    x, weight, bias = t([[1.0], [3.0]], True), t([2.0], True), t([0.5], True)
    out = F.batch_norm(x, None, None, weight, bias, training=True, eps=0.0)
    (out * t([[1.0], [4.0]])).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [[0.0], [0.0]], atol=1e-12)  # the output is -+1 whatever x is
    np.testing.assert_allclose(weight.grad.numpy(), [-1.0 + 4.0])  # sum of g * x_hat
    np.testing.assert_allclose(bias.grad.numpy(), [5.0])  # sum of g


@pytest.mark.task(id="4.9")
def test_training_input_gradient_sums_to_zero_per_channel():
    x = uniform((3, 2, 2, 2), seed=1)
    out = F.batch_norm(x, None, None, t([1.5, -0.5]), None, training=True)
    (out * uniform((3, 2, 2, 2), seed=2).detach()).sum().backward()
    np.testing.assert_allclose(x.grad.numpy().sum(axis=(0, 2, 3)), [0.0, 0.0], atol=1e-12)


@pytest.mark.task(id="4.9")
def test_evaluation_input_gradient_is_the_scaled_upstream_gradient():
    x, weight = t([[1.0, 2.0], [3.0, 4.0]], True), t([2.0, 3.0], True)
    out = F.batch_norm(x, t([0.0, 0.0]), t([4.0, 9.0]), weight, None, training=False, eps=0.0)
    (out * t([[1.0, 1.0], [2.0, -1.0]])).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [[1.0, 1.0], [2.0, -1.0]], rtol=1e-12)  # g * gamma / sqrt(var)
    np.testing.assert_allclose(weight.grad.numpy(), [0.5 + 3.0, 2 / 3 - 4 / 3], rtol=1e-12)  # sum g * x_hat


@pytest.mark.task(id="4.9")
@pytest.mark.parametrize("shape", [(5, 3), (2, 3, 4), (3, 2, 2, 3)])
@pytest.mark.parametrize("affine", [True, False])
def test_training_gradcheck(shape, affine):
    params = (uniform(shape[1], seed=3, low=0.5), uniform(shape[1], seed=4)) if affine else ()
    assert gradcheck(lambda x, *p: F.batch_norm(x, None, None, *p, training=True), (uniform(shape), *params))


@pytest.mark.task(id="4.9")
def test_evaluation_gradcheck():
    mean, var = t([0.5, -0.5, 1.0]), t([0.5, 2.0, 1.5])
    args = (uniform((2, 3, 2, 2)), uniform(3, seed=3, low=0.5), uniform(3, seed=4))
    assert gradcheck(lambda x, w, b: F.batch_norm(x, mean, var, w, b, training=False), args)


# ----------------------------------------------------------------------------- 4.10 the modules

def batches():
    """Two (2, 1, 1, 2) batches: 1, 3, 1, 3 (mean 2, biased variance 1, unbiased 4/3) and
    4, 4, 2, 6 (mean 4, biased variance 2, unbiased 8/3)."""
    return t([[[[1.0, 3.0]]], [[[1.0, 3.0]]]]), t([[[[4.0, 4.0]]], [[[2.0, 6.0]]]])


@pytest.mark.task(id="4.10")
def test_running_statistics_follow_the_momentum_and_count_the_batches():
    layer = nn.BatchNorm2d(1, momentum=0.5, dtype=minitorch.float64)
    first, second = batches()
    layer(first)  # mean 2, unbiased variance 4/3
    layer(second)  # mean 4, unbiased variance 8/3
    assert int(layer.num_batches_tracked.item()) == 2
    np.testing.assert_allclose(layer.running_mean.numpy(), [0.5 * (0.5 * 2) + 0.5 * 4])
    np.testing.assert_allclose(layer.running_var.numpy(), [0.5 * (0.5 * 1 + 0.5 * 4 / 3) + 0.5 * 8 / 3])


@pytest.mark.task(id="4.10")
def test_momentum_none_is_the_cumulative_average():
    layer = nn.BatchNorm2d(1, momentum=None, dtype=minitorch.float64)
    for batch in batches():
        layer(batch)
    np.testing.assert_allclose(layer.running_mean.numpy(), [3.0])  # (2 + 4) / 2
    np.testing.assert_allclose(layer.running_var.numpy(), [(4 / 3 + 8 / 3) / 2])


@pytest.mark.task(id="4.10")
def test_eval_normalises_with_the_running_statistics_and_changes_nothing():
    layer = nn.BatchNorm1d(2, eps=0.0, dtype=minitorch.float64)
    with minitorch.no_grad():
        layer.running_mean.copy_(t([1.0, -1.0]))
        layer.running_var.copy_(t([4.0, 1.0]))
    layer.eval()
    out = layer(t([[3.0, 0.0], [5.0, 1.0]]))
    np.testing.assert_allclose(out.detach().numpy(), [[1.0, 1.0], [2.0, 2.0]])
    np.testing.assert_array_equal(layer.running_mean.numpy(), [1.0, -1.0])
    assert int(layer.num_batches_tracked.item()) == 0


@pytest.mark.task(id="4.10")
def test_without_running_statistics_eval_still_uses_the_batch():
    layer = nn.BatchNorm2d(1, track_running_stats=False, eps=0.0, dtype=minitorch.float64).eval()
    assert layer.running_mean is None and layer.num_batches_tracked is None
    out = layer(batches()[1])
    np.testing.assert_allclose(out.detach().numpy().reshape(-1), np.array([0.0, 0.0, -2.0, 2.0]) / np.sqrt(2))
