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


def _on_both_devices(train, tmp_path, **options):
    """``train(**options)`` on "cpu" and on "cuda" (the kernels: simulated in CI), same seed."""
    return {device: train(device=device, out=str(tmp_path / device), progress=False, **options)
            for device in ("cpu", "cuda")}


@needs_cuda
def test_mlp_example_on_cuda_matches_cpu(tmp_path):
    runs = _on_both_devices(mlp.train, tmp_path, epochs=3, hidden=(8,), lr=1e-2, batch_size=32,
                            limit_train=96, limit_test=32)
    cuda, cpu = runs["cuda"]["history"], runs["cpu"]["history"]
    assert cuda["train_loss"][-1] < cuda["train_loss"][0]
    np.testing.assert_allclose(cuda["train_loss"], cpu["train_loss"], rtol=1e-4)
    assert cuda["test_acc"] == cpu["test_acc"]
    assert os.path.exists(tmp_path / "cuda" / "mlp.npz")


@needs_cuda
def test_spiral_example_on_cuda_matches_cpu(tmp_path):
    runs = _on_both_devices(spiral.train, tmp_path, epochs=8, hidden=(8,), n_samples=30, resolution=20)
    losses = runs["cuda"]["losses"]
    assert losses[-1] < losses[0]
    np.testing.assert_allclose(losses, runs["cpu"]["losses"], rtol=1e-4)
    assert os.path.exists(runs["cuda"]["plot"])


@needs_cuda
def test_cnn_example_on_cuda_matches_cpu(tmp_path):
    """The cnn example's own loop on "cuda" (conv2d's matmul through the kernel) with a narrow
    SimpleCNN: the seed's sizes take about a minute a step under the simulator."""
    runs = _on_both_devices(cnn.train, tmp_path, epochs=2, batch_size=2, lr=1e-2, limit_train=4,
                            limit_test=2, channels=(2, 4), hidden=8)
    cuda, cpu = runs["cuda"]["history"], runs["cpu"]["history"]
    assert cuda["train_loss"][-1] < cuda["train_loss"][0]
    np.testing.assert_allclose(cuda["train_loss"], cpu["train_loss"], rtol=1e-4)
    model = cnn.SimpleCNN(channels=(2, 4), hidden=8)
    model.load_state_dict(minitorch.load(tmp_path / "cuda" / "cnn.npz"))
