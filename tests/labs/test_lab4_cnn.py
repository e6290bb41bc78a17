"""Lab 4's milestone: SimpleCNN, ``train_epoch`` and ``predict`` (``minitorch/examples/cnn.py``).

The grader trains SimpleCNN((16, 32), 64, batch_norm=True) on the shipped MNIST subset for three
epochs and needs 96% test accuracy; these tests check the pieces on tiny inputs: the layers and
their shapes, that batch norm sits where the docstring says, that a few epochs on 16 images drive
the loss down, and that ``predict`` gives every sample's class in evaluation mode.
"""
import numpy as np
import pytest

import minitorch
from minitorch import data
from minitorch.examples import cnn


def images(n, seed=0):
    """``n`` random 28x28 one-channel images and random classes."""
    gen = minitorch.Generator(seed)
    return minitorch.randn(n, 1, 28, 28, generator=gen), minitorch.randint(0, 10, (n,), generator=gen)


@pytest.mark.task(id="4.11")
@pytest.mark.parametrize("batch_norm", [False, True])
def test_simple_cnn_has_the_layers_of_its_docstring(batch_norm):
    model = cnn.SimpleCNN((16, 32), 64, batch_norm=batch_norm)
    shapes = {name: tuple(p.shape) for name, p in model.named_parameters()}
    expected = {"conv1.weight": (16, 1, 3, 3), "conv1.bias": (16,), "conv2.weight": (32, 16, 3, 3),
                "conv2.bias": (32,), "fc1.weight": (64, 32 * 5 * 5), "fc1.bias": (64,), "fc2.weight": (10, 64),
                "fc2.bias": (10,)}
    if batch_norm:
        expected.update({"bn1.weight": (16,), "bn1.bias": (16,), "bn2.weight": (32,), "bn2.bias": (32,)})
    assert shapes == expected
    order = ["conv1", "bn1", "conv2", "bn2", "fc1", "fc2"] if batch_norm else ["conv1", "conv2", "fc1", "fc2"]
    assert list(dict.fromkeys(name.split(".")[0] for name in shapes)) == order


@pytest.mark.task(id="4.11")
def test_forward_gives_logits_and_batch_norm_sees_each_convolution():
    minitorch.manual_seed(0)
    model = cnn.SimpleCNN((4, 8), 16, batch_norm=True)
    x, _ = images(3)
    out = model(x)
    assert tuple(out.shape) == (3, 10) and np.all(np.isfinite(out.detach().numpy()))
    assert int(model.bn1.num_batches_tracked.item()) == 1 and int(model.bn2.num_batches_tracked.item()) == 1
    out.sum().backward()
    assert model.conv1.weight.grad is not None and np.any(model.conv1.weight.grad.numpy() != 0)


@pytest.mark.task(id="4.11")
def test_train_epoch_steps_once_per_batch_and_lowers_the_loss_with_adam_and_step_lr():
    minitorch.manual_seed(0)
    model = cnn.SimpleCNN((4, 8), 16, batch_norm=True)
    optimizer = minitorch.optim.Adam(model.parameters(), lr=1e-2)
    x, y = images(16)
    seen = []

    def augment(batch):
        seen.append(tuple(batch.shape))
        return batch

    loader = data.DataLoader(data.TensorDataset(x, y), batch_size=4)
    first = cnn.train_epoch(model, loader, optimizer, "cpu", augment_batch=augment)
    assert len(first) == 4 and all(isinstance(loss, float) for loss in first) and seen == [(4, 1, 28, 28)] * 4
    schedule = minitorch.optim.lr_scheduler.StepLR(optimizer, 3, 0.5)  # as the grader's run, with a schedule
    for _ in range(6):
        schedule.step()
        last = cnn.train_epoch(model, loader, optimizer, "cpu")
    assert np.mean(last) < 0.5 * np.mean(first), (first, last)


@pytest.mark.task(id="4.11")
def test_predict_gives_every_class_in_eval_mode_then_trains_again():
    minitorch.manual_seed(0)
    model = cnn.SimpleCNN((4, 8), 16, batch_norm=True)
    x, y = images(5)
    model(x)  # running statistics of one batch, so evaluation differs from training
    predicted = cnn.predict(model, data.TensorDataset(x, y), "cpu", batch_size=2)
    assert model.training and isinstance(predicted, np.ndarray) and predicted.shape == (5,)
    model.eval()
    with minitorch.no_grad():
        np.testing.assert_array_equal(predicted, model(x).argmax(dim=1).numpy())
