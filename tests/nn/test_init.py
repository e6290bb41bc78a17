"""minitorch.nn.init and Linear's default initialisation.

Each initialiser fills a large tensor; the empirical bounds, mean and standard
deviation must match the formula in its docstring (200,000 samples: the std
estimate is good to about 0.3%, the tolerances are 2%).
"""
import math

import numpy as np
import pytest

import minitorch
import minitorch.nn as nn
from minitorch.nn import init

SHAPES = [(400, 500), (64, 32, 5, 5)]  # a Linear weight and a conv weight


def fans(shape):
    receptive = int(np.prod(shape[2:]))
    return shape[1] * receptive, shape[0] * receptive


def param(shape):
    return nn.Parameter(minitorch.zeros(*shape))


def check_uniform(values, bound):
    assert np.all(np.abs(values) <= bound) and np.abs(values).max() > 0.99 * bound
    np.testing.assert_allclose(values.std(), bound / math.sqrt(3), rtol=0.02)
    assert abs(values.mean()) < 0.02 * bound


def check_normal(values, std, mean=0.0):
    np.testing.assert_allclose(values.std(), std, rtol=0.02)
    assert abs(values.mean() - mean) < 0.02 * std


def test_calculate_gain_matches_pytorch():
    torch = pytest.importorskip("torch")
    cases = [("linear", None), ("conv2d", None), ("sigmoid", None), ("tanh", None), ("relu", None),
             ("leaky_relu", None), ("leaky_relu", 0.2), ("leaky_relu", math.sqrt(5)), ("selu", None)]
    for nonlinearity, param_ in cases:
        assert init.calculate_gain(nonlinearity, param_) == pytest.approx(
            torch.nn.init.calculate_gain(nonlinearity, param_), rel=1e-12
        )
    with pytest.raises(ValueError, match="unsupported nonlinearity"):
        init.calculate_gain("swish")


@pytest.mark.parametrize("shape", SHAPES)
def test_xavier_uniform_and_normal(shape):
    fan_in, fan_out = fans(shape)
    std = 0.5 * math.sqrt(2.0 / (fan_in + fan_out))
    check_uniform(init.xavier_uniform_(param(shape), gain=0.5).detach().numpy(), math.sqrt(3) * std)
    check_normal(init.xavier_normal_(param(shape), gain=0.5).detach().numpy(), std)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("mode", ["fan_in", "fan_out"])
def test_kaiming_uniform_and_normal(shape, mode):
    fan = fans(shape)[0 if mode == "fan_in" else 1]
    relu_std = math.sqrt(2.0) / math.sqrt(fan)
    check_uniform(init.kaiming_uniform_(param(shape), mode=mode, nonlinearity="relu").detach().numpy(),
                  math.sqrt(3) * relu_std)
    values = init.kaiming_normal_(param(shape), mode=mode, nonlinearity="relu").detach().numpy()
    check_normal(values, relu_std)
    leaky_std = math.sqrt(2.0 / (1 + 0.1**2)) / math.sqrt(fan)  # the default nonlinearity is leaky_relu
    check_normal(init.kaiming_normal_(param(shape), a=0.1, mode=mode).detach().numpy(), leaky_std)


def test_uniform_normal_constant_fill_in_place_and_return_the_tensor():
    p = param((400, 500))
    assert init.uniform_(p, -2.0, 4.0) is p
    values = p.detach().numpy()
    assert values.min() >= -2.0 and values.max() <= 4.0
    np.testing.assert_allclose(values.mean(), 1.0, atol=0.03)
    np.testing.assert_allclose(values.std(), 6 / math.sqrt(12), rtol=0.02)
    check_normal(init.normal_(p, mean=3.0, std=0.5).detach().numpy(), 0.5, mean=3.0)
    assert np.all(init.constant_(p, 0.25).detach().numpy() == 0.25)
    assert np.all(init.ones_(p).detach().numpy() == 1) and np.all(init.zeros_(p).detach().numpy() == 0)
    assert p.requires_grad and minitorch.is_grad_enabled()  # no_grad only inside the call


def pdf(z):
    return math.exp(-z * z / 2) / math.sqrt(2 * math.pi)


def cdf(z):
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


def test_trunc_normal_stays_in_bounds_with_the_truncated_moments():
    mean, std, a, b = 1.0, 2.0, -1.0, 5.0
    values = init.trunc_normal_(param((400, 500)), mean, std, a, b).detach().numpy()
    assert values.min() >= a and values.max() <= b
    alpha, beta = (a - mean) / std, (b - mean) / std
    z = cdf(beta) - cdf(alpha)
    shift = (pdf(alpha) - pdf(beta)) / z
    expected_mean = mean + std * shift
    expected_var = std**2 * (1 + (alpha * pdf(alpha) - beta * pdf(beta)) / z - shift**2)
    np.testing.assert_allclose(values.mean(), expected_mean, atol=0.01)
    np.testing.assert_allclose(values.std(), math.sqrt(expected_var), rtol=0.02)
    with pytest.raises(ValueError, match="almost none"):
        init.trunc_normal_(param((2, 2)), mean=0.0, std=1.0, a=50.0, b=60.0)


def test_initialisers_are_reproducible_and_accept_a_generator():
    minitorch.manual_seed(7)
    first = init.kaiming_uniform_(param((5, 4))).detach().numpy().copy()
    minitorch.manual_seed(7)
    np.testing.assert_array_equal(init.kaiming_uniform_(param((5, 4))).detach().numpy(), first)
    g1, g2 = minitorch.Generator(3), minitorch.Generator(3)
    np.testing.assert_array_equal(init.xavier_normal_(param((5, 4)), generator=g1).detach().numpy(),
                                  init.xavier_normal_(param((5, 4)), generator=g2).detach().numpy())


def test_bad_arguments_are_explained():
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        init.xavier_uniform_(param((5,)))
    with pytest.raises(ValueError, match="fan_in' or 'fan_out"):
        init.kaiming_normal_(param((3, 3)), mode="fan_avg")


# ------------------------------------------------------------------ Linear's default
def test_linear_default_init_is_uniform_within_one_over_sqrt_fan_in():
    layer = nn.Linear(300, 400)
    bound = 1 / math.sqrt(300)  # kaiming_uniform_(a=sqrt(5)): gain sqrt(2/6), times sqrt(3/fan_in)
    check_uniform(layer.weight.detach().numpy(), bound)
    bias = layer.bias.detach().numpy()
    assert np.all(np.abs(bias) <= bound) and np.abs(bias).max() > 0.9 * bound
    assert layer.weight.dtype == minitorch.float32 and layer.weight.requires_grad


def test_linear_init_is_reproducible_under_manual_seed():
    def weights():
        model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
        return [p.detach().numpy().copy() for p in model.parameters()]

    minitorch.manual_seed(0)
    a = weights()
    minitorch.manual_seed(0)
    b = weights()
    minitorch.manual_seed(1)
    c = weights()
    for x, y, z in zip(a, b, c):
        np.testing.assert_array_equal(x, y)
        assert not np.array_equal(x, z)
