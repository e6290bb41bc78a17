"""Lab 3: GELU (task 3.21), dropout's training branch (task 3.22), softplus and the ELU family (task 3.23).

Values at points worked out by hand (Phi(1) = 0.8413..., ln 2, e^-1), invariants (gelu(x) -
gelu(-x) = x, softplus(x) - softplus(-x) = x, dropout's two levels and its rate), finite values
and gradients at +-800, and every backward against finite differences.
"""
import math

import numpy as np
import pytest

import minitorch
import minitorch.nn.functional as F
from minitorch.testing import gradcheck

PHI_1, DENSITY_1 = 0.8413447460685429, 0.24197072451914337  # the standard normal CDF and density at 1


def t(data_or_shape, seed=0, requires_grad=True, scale=3.0):
    """A float64 tensor: from data, or of a shape with values in [-scale, scale]."""
    if isinstance(data_or_shape, tuple):
        data_or_shape = np.random.default_rng(seed).uniform(-scale, scale, data_or_shape)
    return minitorch.tensor(data_or_shape, dtype=minitorch.float64, requires_grad=requires_grad)


def value_and_grad(fn, values):
    """fn at float64 ``values`` and d(sum fn)/dx, with an upstream gradient of ones."""
    x = t(values)
    y = fn(x)
    y.backward(minitorch.ones(*y.shape, dtype=minitorch.float64))
    return y.detach().numpy(), x.grad.numpy()


# ----------------------------------------------------------------------------- 3.21 GELU

@pytest.mark.task(id="3.21")
def test_gelu_exact_at_worked_points():
    y, g = value_and_grad(F.gelu, [-1.0, 0.0, 1.0])
    # gelu(x) = x Phi(x), gelu'(x) = Phi(x) + x phi(x); Phi(-1) = 1 - Phi(1), phi even
    np.testing.assert_allclose(y, [-(1 - PHI_1), 0.0, PHI_1], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(g, [1 - PHI_1 - DENSITY_1, 0.5, PHI_1 + DENSITY_1], rtol=1e-12)


@pytest.mark.task(id="3.21")
def test_gelu_tanh_at_worked_points():
    y, g = value_and_grad(lambda x: F.gelu(x, approximate="tanh"), [0.0, 1.0])
    t1 = math.tanh(math.sqrt(2 / math.pi) * 1.044715)  # the tanh form's inner value at x = 1
    slope = 0.5 * (1 + t1) + 0.5 * (1 - t1 * t1) * math.sqrt(2 / math.pi) * (1 + 3 * 0.044715)
    np.testing.assert_allclose(y, [0.0, 0.5 * (1 + t1)], rtol=1e-12)
    np.testing.assert_allclose(g, [0.5, slope], rtol=1e-12)
    assert abs(y[1] - PHI_1) < 2e-4  # the approximation is close to the exact value


@pytest.mark.task(id="3.21")
@pytest.mark.parametrize("approximate", ["none", "tanh"])
def test_gelu_is_x_plus_its_mirror_and_finite_far_out(approximate):
    x = t((12,), seed=1).detach().numpy()  # the difference in numpy: the test needs no task of lab 2
    difference = F.gelu(t(x), approximate=approximate).detach().numpy() - \
        F.gelu(t(-x), approximate=approximate).detach().numpy()
    np.testing.assert_allclose(difference, x, rtol=1e-12, atol=1e-12)
    y, g = value_and_grad(lambda v: F.gelu(v, approximate=approximate), [-800.0, 800.0])
    np.testing.assert_allclose(y, [0.0, 800.0], atol=1e-12)
    np.testing.assert_allclose(g, [0.0, 1.0], atol=1e-12)


@pytest.mark.task(id="3.21")
@pytest.mark.parametrize("approximate", ["none", "tanh"])
def test_gelu_backward(approximate):
    assert gradcheck(lambda x: F.gelu(x, approximate=approximate), (t((3, 4)),))


# ----------------------------------------------------------------------------- 3.23 softplus, ELU family

@pytest.mark.task(id="3.23")
def test_softplus_at_worked_points():
    y, g = value_and_grad(F.softplus, [0.0, 800.0, -800.0])
    np.testing.assert_allclose(y, [math.log(2), 800.0, 0.0], rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(g, [0.5, 1.0, 0.0], rtol=1e-12, atol=1e-300)
    y, g = value_and_grad(lambda x: F.softplus(x, beta=2.0, threshold=3.0), [1.0, 2.0])
    # beta x = 2 <= threshold: log(1 + e^2) / 2, slope sigmoid(2); beta x = 4 > threshold: x itself
    np.testing.assert_allclose(y, [math.log1p(math.e ** 2) / 2, 2.0], rtol=1e-12)
    np.testing.assert_allclose(g, [1 / (1 + math.exp(-2)), 1.0], rtol=1e-12)


@pytest.mark.task(id="3.23")
def test_softplus_is_x_plus_its_mirror():
    x = t((10,), seed=2).detach().numpy()
    difference = F.softplus(t(x)).detach().numpy() - F.softplus(t(-x)).detach().numpy()
    np.testing.assert_allclose(difference, x, atol=1e-12)


@pytest.mark.task(id="3.23")
def test_elu_family_at_worked_points():
    e = math.exp(-1)
    y, g = value_and_grad(lambda x: F.elu(x, alpha=2.0), [-1.0, 0.0, 1.0, -800.0])
    np.testing.assert_allclose(y, [2 * (e - 1), 0.0, 1.0, -2.0], rtol=1e-12)
    np.testing.assert_allclose(g, [2 * e, 2.0, 1.0, 0.0], rtol=1e-12, atol=1e-300)
    y, g = value_and_grad(lambda x: F.celu(x, alpha=2.0), [-2.0, 3.0])  # alpha (e^(x / alpha) - 1)
    np.testing.assert_allclose(y, [2 * (e - 1), 3.0], rtol=1e-12)
    np.testing.assert_allclose(g, [e, 1.0], rtol=1e-12)
    scale, alpha = 1.0507009873554805, 1.6732632423543772
    y, g = value_and_grad(F.selu, [-1.0, 1.0])
    np.testing.assert_allclose(y, [scale * alpha * (e - 1), scale], rtol=1e-12)
    np.testing.assert_allclose(g, [scale * alpha * e, scale], rtol=1e-12)


@pytest.mark.task(id="3.23")
@pytest.mark.parametrize("fn", [F.softplus, lambda x: F.softplus(x, beta=0.5, threshold=1.0),
                                lambda x: F.elu(x, alpha=0.7), F.selu, lambda x: F.celu(x, alpha=1.5)],
                         ids=["softplus", "softplus_beta", "elu", "selu", "celu"])
def test_softplus_and_elu_backward(fn):
    values = np.random.default_rng(3).uniform(-3, 3, (3, 4))
    values[np.abs(values) < 0.1] = 0.5  # away from elu's kink and softplus' threshold
    assert gradcheck(fn, (t(values),))


# ----------------------------------------------------------------------------- 3.22 dropout

@pytest.mark.task(id="3.22")
def test_dropout_keeps_or_zeroes_each_element_and_rescales():
    minitorch.manual_seed(0)
    x = t((4000,), scale=1.0)
    y, g = (a.ravel() for a in value_and_grad(lambda v: F.dropout(v, 0.25), x.detach().numpy()))
    kept = y != 0
    np.testing.assert_allclose(y[kept], x.detach().numpy()[kept] / 0.75, rtol=1e-12)
    assert abs((~kept).mean() - 0.25) < 0.04, f"dropped {(~kept).mean():.3f} of the elements, expected about 0.25"
    np.testing.assert_allclose(g, np.where(kept, 1 / 0.75, 0.0), rtol=1e-12)  # backward through the same mask


@pytest.mark.task(id="3.22")
def test_dropout_repeats_under_manual_seed_and_differs_between_calls():
    x = minitorch.ones(200, dtype=minitorch.float64)
    minitorch.manual_seed(7)
    first, second = F.dropout(x, 0.5).numpy(), F.dropout(x, 0.5).numpy()
    minitorch.manual_seed(7)
    np.testing.assert_array_equal(F.dropout(x, 0.5).numpy(), first)
    assert not np.array_equal(first, second), "each call must draw a fresh mask"


@pytest.mark.task(id="3.22")
def test_dropout_edge_cases_and_eval_mode():
    values = [1.5, -2.0, 0.25]
    for fn in (lambda v: F.dropout(v, 0.0), lambda v: F.dropout(v, 0.6, training=False)):
        y, g = value_and_grad(fn, values)
        np.testing.assert_array_equal(y, values)
        np.testing.assert_array_equal(g, [1.0, 1.0, 1.0])
    y, g = value_and_grad(lambda v: F.dropout(v, 1.0), values)
    np.testing.assert_array_equal(y, [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(g, [0.0, 0.0, 0.0])


@pytest.mark.task(id="3.22")
def test_dropout_inplace_writes_into_the_input():
    minitorch.manual_seed(1)
    x = minitorch.ones(50, dtype=minitorch.float64)
    y = F.dropout(x, 0.5, inplace=True)
    assert set(np.unique(x.numpy())) <= {0.0, 2.0}
    np.testing.assert_array_equal(x.numpy(), y.numpy())


@pytest.mark.task(id="3.22")
def test_dropout2d_zeroes_whole_channels():
    minitorch.manual_seed(2)
    y, g = value_and_grad(lambda v: F.dropout2d(v, 0.5), np.ones((8, 16, 2, 3)))
    per_channel = y.reshape(8, 16, -1)
    assert np.all(per_channel == per_channel[..., :1]), "each (sample, channel) map is kept or dropped whole"
    assert set(np.unique(y)) == {0.0, 2.0}
    assert 0.3 < (per_channel[..., 0] == 0).mean() < 0.7
    np.testing.assert_array_equal(g, y)  # x = 1: the gradient is the rescaled mask, the output itself
