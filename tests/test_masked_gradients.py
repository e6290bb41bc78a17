"""Ops whose gradient is the upstream gradient on a mask and 0 elsewhere (relu, clamp) give 0 off the
mask even when the upstream gradient there is inf or nan, as PyTorch does: ``where(mask, grad, 0)``,
never ``grad * mask`` (inf * 0 is nan). Seen in a distribution's ``a / (a - 1)`` after a clamp."""
import numpy as np
import pytest

import minitorch

INF, NAN = float("inf"), float("nan")
CALLS = {
    "relu": lambda m, x: m.relu(x),
    "clamp": lambda m, x: x.clamp(min=0, max=1),
    "clamp_min": lambda m, x: x.clamp(min=0),
    "clamp_tensor_bound": lambda m, x: m.clamp(x, min=m.zeros(3, dtype=x.dtype)),
    "hardtanh": lambda m, x: m.nn.functional.hardtanh(x),
}
#: x = [-1, 2, inf], upstream gradient [inf, nan, inf]: what PyTorch 2.13 gives.
EXPECTED = {"relu": [0, NAN, INF], "clamp": [0, 0, 0], "clamp_min": [0, NAN, INF],
            "clamp_tensor_bound": [0, NAN, INF], "hardtanh": [0, 0, 0]}


def _grad(lib, name):
    x = lib.tensor([-1.0, 2.0, INF], dtype=lib.float64, requires_grad=True)
    CALLS[name](lib, x).backward(lib.tensor([INF, NAN, INF], dtype=lib.float64))
    return np.asarray(x.grad.tolist())


@pytest.mark.parametrize("name", sorted(CALLS))
def test_an_inf_or_nan_gradient_off_the_mask_gives_zero(name):
    np.testing.assert_array_equal(_grad(minitorch, name), EXPECTED[name])


@pytest.mark.parametrize("name", sorted(CALLS))
def test_as_pytorch(name):
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(_grad(minitorch, name), _grad(torch, name))


def test_a_bound_gets_zero_where_it_is_not_active():
    lo = minitorch.tensor([0.0, 0.0], requires_grad=True)
    x = minitorch.tensor([1.0, -1.0])
    x.clamp(min=lo).backward(minitorch.tensor([INF, 2.0]))
    assert lo.grad.tolist() == [0.0, 2.0]
