"""Lab 6's milestone (task 6.10): an MLP trained on "cuda", ``minitorch/examples/gpu_mlp.py``.

The grader trains it with a fixed seed (16 moon points, 15 Adam steps: a few seconds under the
simulator) and needs >= 90% of fresh points classified right; these tests check the pieces on
small cases, on "cuda", so that the products run the register-blocked matmul kernel and the
softmax its forward and backward kernels.
"""
import math

import numpy as np
import pytest

numba = pytest.importorskip("numba")
if not numba.config.ENABLE_CUDASIM:
    pytest.skip("the kernel labs run under Numba's CUDA simulator: set NUMBA_ENABLE_CUDASIM=1 before "
                "numba is imported (tests/conftest.py does)", allow_module_level=True)

import minitorch  # noqa: E402  (after the simulator check)
from minitorch.examples import gpu_mlp  # noqa: E402


def on_cuda(values, dtype=minitorch.float32, requires_grad=False):
    return minitorch.tensor(values, dtype=dtype, device="cuda", requires_grad=requires_grad)


@pytest.mark.task(id="6.10")
def test_softmax_cross_entropy_by_hand():
    logits = on_cuda([[0.0, 0.0], [math.log(3.0), 0.0], [2.0, -1000.0]], minitorch.float64, requires_grad=True)
    loss = gpu_mlp.softmax_cross_entropy(logits, on_cuda([1, 0, 0], minitorch.int64))
    assert loss.shape == () and loss.device.type == "cuda"
    np.testing.assert_allclose(loss.item(), (math.log(2.0) + math.log(4 / 3)) / 3, rtol=1e-12)
    loss.backward()
    # d loss / d logits = (softmax - one-hot) / n
    expected = np.array([[0.5, -0.5], [-0.25, 0.25], [0.0, 0.0]]) / 3
    np.testing.assert_allclose(logits.grad.cpu().numpy(), expected, rtol=1e-12, atol=1e-15)


@pytest.mark.task(id="6.10")
def test_fit_clears_the_gradients_before_each_step():
    """With lr = 0 every step starts from the same weights: equal losses, and the gradients left
    are one step's, not the sum of several."""
    minitorch.manual_seed(0)
    model = gpu_mlp.make_model(4).to("cuda")
    X, y = on_cuda([[0.5, 0.2], [-0.3, 0.1], [0.0, -0.4]]), on_cuda([0, 1, 1], minitorch.int64)
    losses = gpu_mlp.fit(model, X, y, steps=2, lr=0.0)
    assert len(losses) == 2 and all(isinstance(v, float) for v in losses)
    assert losses[0] == pytest.approx(losses[1], rel=1e-6)
    left = [p.grad.cpu().numpy().copy() for p in model.parameters()]
    model.zero_grad()
    gpu_mlp.softmax_cross_entropy(model(X), y).backward()
    for got, once in zip(left, (p.grad.cpu().numpy() for p in model.parameters())):
        np.testing.assert_allclose(got, once, rtol=1e-5, atol=1e-7)


@pytest.mark.task(id="6.10")
def test_fit_lowers_the_loss_on_cuda():
    minitorch.manual_seed(1)
    model = gpu_mlp.make_model(4).to("cuda")
    X, y = on_cuda([[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0], [0.0, -1.0]]), on_cuda([0, 0, 1, 1], minitorch.int64)
    losses = gpu_mlp.fit(model, X, y, steps=3, lr=0.1)
    assert len(losses) == 3 and losses[-1] < losses[0]
    assert all(p.device.type == "cuda" for p in model.parameters())
