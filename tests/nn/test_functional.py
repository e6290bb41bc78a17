"""minitorch.nn.functional: activations, softmax, linear and dropout (the losses: test_losses.py).

Values and input gradients are compared with PyTorch in float64; dropout is
checked statistically and for reproducibility; hypothesis checks softmax's laws.
"""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minitorch
import minitorch.nn.functional as F
from minitorch.errors import ShapeError

RNG = np.random.default_rng(0)


def against_torch(name, *arrays, **kwargs):
    """Run F.<name> and torch.nn.functional.<name> on the same float64 arrays (all requiring grad).

    Backpropagates the same random cotangent through both and compares outputs and gradients.
    """
    torch = pytest.importorskip("torch")
    ours = [minitorch.tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    out = getattr(F, name)(*ours, **kwargs)
    ref = getattr(torch.nn.functional, name)(*theirs, **kwargs)
    assert out.dtype == minitorch.float64
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=1e-10, atol=1e-12)
    cotangent = RNG.normal(size=tuple(ref.shape))
    out.backward(minitorch.tensor(cotangent))
    ref.backward(torch.tensor(cotangent))
    for mine, theirs_ in zip(ours, theirs):
        np.testing.assert_allclose(mine.grad.numpy(), theirs_.grad.numpy(), rtol=1e-9, atol=1e-12)
    return out


# ----------------------------------------------------------------- activations
@pytest.mark.parametrize(
    "name, kwargs",
    [("relu", {}), ("sigmoid", {}), ("tanh", {}), ("gelu", {}), ("gelu", {"approximate": "tanh"})],
)
def test_activations_match_torch(name, kwargs):
    against_torch(name, RNG.normal(size=(3, 5)) * 3, **kwargs)


def test_gelu_rejects_unknown_approximation():
    with pytest.raises(ValueError, match="approximate"):
        F.gelu(minitorch.randn(3), approximate="fast")


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_softmax_and_log_softmax_match_torch(name, dim):
    against_torch(name, RNG.normal(size=(2, 3, 4)) * 5, dim=dim)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_is_stable_for_huge_logits(name):
    x = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4 + 1]])
    out = against_torch(name, x, dim=1)
    assert np.isfinite(out.detach().numpy()).all()


# ---------------------------------------------------------------------- linear
@pytest.mark.parametrize("input_shape", [(5, 3), (2, 4, 3), (3,)])
@pytest.mark.parametrize("with_bias", [True, False])
def test_linear_matches_torch(input_shape, with_bias):
    arrays = [RNG.normal(size=input_shape), RNG.normal(size=(2, 3))] + ([RNG.normal(size=2)] if with_bias else [])
    out = against_torch("linear", *arrays)
    assert out.shape == input_shape[:-1] + (2,)


def test_linear_shape_errors_name_the_shapes():
    x, w = minitorch.randn(4, 3), minitorch.randn(2, 5)
    with pytest.raises(ShapeError, match=r"\(4, 3\).*\(2, 5\)"):
        F.linear(x, w)
    with pytest.raises(ShapeError, match=r"bias of shape \(3,\).*\(2,\)"):
        F.linear(x, minitorch.randn(2, 3), minitorch.randn(3))


# --------------------------------------------------------------------- dropout
def test_dropout_repeats_under_manual_seed_and_changes_otherwise():
    x = minitorch.ones(1000)
    minitorch.manual_seed(3)
    first, second = F.dropout(x, 0.5), F.dropout(x, 0.5)
    minitorch.manual_seed(3)
    again = F.dropout(x, 0.5)
    np.testing.assert_array_equal(first.numpy(), again.numpy())
    assert not np.array_equal(first.numpy(), second.numpy())


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_dropout_zeroes_a_fraction_p_and_keeps_the_expected_value(p):
    minitorch.manual_seed(0)
    x = minitorch.full((200_000,), 2.0)
    y = F.dropout(x, p).numpy()
    kept = y != 0
    np.testing.assert_allclose(y[kept], 2.0 / (1 - p), rtol=1e-6)  # survivors scaled by 1/(1-p)
    assert abs((~kept).mean() - p) < 0.01
    assert abs(y.mean() - 2.0) < 0.05  # E[y] = x


def test_dropout_gradient_is_mask_over_keep_probability():
    p = 0.25
    x = minitorch.tensor(RNG.normal(size=(50, 40)), requires_grad=True)
    y = F.dropout(x, p)
    y.backward(minitorch.ones_like(y))
    mask = y.detach().numpy() != 0
    np.testing.assert_allclose(x.grad.numpy(), mask / (1 - p))
    np.testing.assert_allclose(y.detach().numpy(), x.detach().numpy() * mask / (1 - p))
    assert y.dtype == minitorch.float64


def test_dropout_is_identity_in_eval_mode_and_for_p_zero():
    x = minitorch.randn(4, 5)
    assert F.dropout(x, 0.5, training=False) is x
    assert F.dropout(x, 0.0) is x


def test_dropout_with_p_one_zeroes_everything_with_finite_gradient():
    x = minitorch.randn(3, 4, requires_grad=True)
    y = F.dropout(x, 1.0)
    y.sum().backward()
    assert (y.detach().numpy() == 0).all() and (x.grad.numpy() == 0).all()


def test_dropout_keeps_float32():
    assert F.dropout(minitorch.randn(10), 0.3).dtype == minitorch.float32


@pytest.mark.parametrize("p", [-0.1, 1.5])
def test_dropout_rejects_p_outside_0_1(p):
    with pytest.raises(ValueError, match=r"dropout: p .* between 0 and 1, got"):
        F.dropout(minitorch.randn(3), p)


# ------------------------------------------------------------------ properties
def _arrays_and_dim():
    shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5)
    elements = st.floats(-50, 50, allow_nan=False)
    return shapes.flatmap(
        lambda shape: st.tuples(
            hnp.arrays(np.float64, shape, elements=elements), st.integers(-len(shape), len(shape) - 1)
        )
    )


@given(_arrays_and_dim())
def test_softmax_is_a_distribution_along_dim(case):
    x, dim = case
    y = F.softmax(minitorch.tensor(x), dim).numpy()
    assert (y >= 0).all()
    np.testing.assert_allclose(y.sum(axis=dim), 1.0, rtol=1e-12)
    # shifting every logit by the same amount changes nothing
    np.testing.assert_allclose(F.softmax(minitorch.tensor(x + 7.5), dim).numpy(), y, atol=1e-12)


@given(_arrays_and_dim())
def test_log_softmax_is_log_of_softmax(case):
    x, dim = case
    log_y = F.log_softmax(minitorch.tensor(x), dim).numpy()
    y = F.softmax(minitorch.tensor(x), dim).numpy()
    assert np.isfinite(log_y).all()
    visible = y > 1e-300  # where softmax has not underflowed to 0, log(softmax) is finite
    np.testing.assert_allclose(log_y[visible], np.log(y[visible]), rtol=1e-9, atol=1e-12)
