"""The mlp, spiral and cnn examples run end to end at small sizes, on "cpu" and on "cuda".

The full-size claims (the MLP above 95% on the digits, SimpleCNN above 96% on the
shipped MNIST subset) take minutes; here each example trains briefly and must
learn (its loss falls, it beats chance) and write its plots and a checkpoint
that loads back.
"""
import os

import numpy as np
import pytest

import minitorch
from minitorch.examples import cnn, mlp, spiral

needs_cuda = pytest.mark.skipif(not minitorch.cuda.is_available(),
                                reason="needs a GPU or the CUDA simulator (NUMBA_ENABLE_CUDASIM=1)")


def test_mlp_learns_the_digits(tmp_path):
    result = mlp.train(epochs=3, out=str(tmp_path), progress=False)
    losses = result["history"]["train_loss"]
    assert losses[-1] < losses[0] and result["test_acc"] > 0.8
    assert os.path.exists(tmp_path / "curves.png")
    state = minitorch.load(tmp_path / "mlp.npz")
    model = mlp.make_mlp(64, (128, 64), 10)
    model.load_state_dict(state)


def test_spiral_separates_the_arms(tmp_path):
    result = spiral.train(epochs=150, out=str(tmp_path), progress=False)
    assert result["losses"][-1] < 0.5 * result["losses"][0]
    assert result["train_acc"] > 0.6 and os.path.exists(result["plot"])


def test_cnn_learns_on_cpu(tmp_path):
    result = cnn.train(epochs=2, batch_size=32, limit_train=256, limit_test=100, out=str(tmp_path), progress=False)
    losses = result["history"]["train_loss"]
    assert losses[1] < losses[0]
    assert result["test_acc"] > 0.3  # chance is 0.1
    for name in ("curves.png", "confusion_matrix.png", "filters.png", "cnn.npz"):
        assert os.path.exists(tmp_path / name)
    model = cnn.SimpleCNN()
    model.load_state_dict(minitorch.load(tmp_path / "cnn.npz"))


def test_cnn_early_stopping_and_augmentation_run(tmp_path):
    result = cnn.train(epochs=2, batch_size=32, limit_train=100, limit_test=20, augment=True, early_stopping=1,
                       out=str(tmp_path), progress=False)
    assert 1 <= result["epochs_run"] <= 2 and len(result["history"]["val_acc"]) == result["epochs_run"]


@needs_cuda
def test_a_small_cnn_trains_on_cuda_like_on_cpu():
    """The CNN layers on "cuda" (conv2d's matmul through the kernel, simulated in CI) at a tiny
    size: SimpleCNN itself on 28x28 takes minutes under the simulator."""
    nn = minitorch.nn
    losses = {}
    for device in ("cpu", "cuda"):
        minitorch.manual_seed(0)
        model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(4 * 3 * 3, 3)).to(device)
        optimizer = minitorch.optim.Adam(model.parameters(), lr=1e-2)
        x = minitorch.randn(2, 1, 8, 8).to(device)
        y = minitorch.tensor([0, 2]).to(device)
        losses[device] = []
        for _ in range(3):
            loss = minitorch.nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses[device].append(loss.item())
    np.testing.assert_allclose(losses["cuda"], losses["cpu"], rtol=1e-4)
    assert losses["cuda"][-1] < losses["cuda"][0]
