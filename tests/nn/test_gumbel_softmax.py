"""F.gumbel_softmax: the Gumbel-max trick's frequencies, the straight-through gradient, and PyTorch's
values for the same noise."""
import numpy as np
import pytest

import minitorch
import minitorch.nn.functional as F

NOISE = np.array([[0.3, 1.7, 0.9], [2.2, 0.4, 0.05]])  # the Exponential(1) draws both libraries get


def test_hard_samples_follow_the_softmax_probabilities():
    minitorch.manual_seed(0)
    logits = minitorch.tensor([[1.0, 0.0, -1.0]]).expand(4000, 3)
    counts = F.gumbel_softmax(logits, tau=0.7, hard=True).sum(0).numpy() / 4000
    np.testing.assert_allclose(counts, logits[0].softmax(0).numpy(), atol=0.03)


def test_hard_is_one_hot_forward_and_soft_backward():
    minitorch.manual_seed(1)
    x = minitorch.randn(3, 5, requires_grad=True)
    y = F.gumbel_softmax(x, hard=True)
    assert ((y == 0) | (y == 1)).all() and y.sum(-1).tolist() == [1.0, 1.0, 1.0]
    y[:, 0].sum().backward()
    assert x.grad.abs().sum() > 0


@pytest.mark.parametrize("bad, error", [({"tau": 0}, ValueError), ({"logits": minitorch.tensor([1, 2])}, TypeError)])
def test_bad_arguments(bad, error):
    args = {"logits": minitorch.zeros(2, 3), **bad}
    with pytest.raises(error, match="gumbel_softmax"):
        F.gumbel_softmax(**args)


@pytest.mark.parametrize("hard", [False, True])
def test_matches_torch_for_the_same_noise(monkeypatch, hard):
    torch = pytest.importorskip("torch")
    outputs = []
    for lib in (minitorch, torch):
        monkeypatch.setattr(lib.Tensor, "exponential_", lambda self, *a, **k: self.copy_(lib.tensor(NOISE)))
        x = lib.tensor([[0.5, -1.0, 2.0], [0.0, 0.3, -0.2]], requires_grad=True)
        y = lib.nn.functional.gumbel_softmax(x, tau=0.8, hard=hard, dim=-1)
        (y * lib.tensor([1.0, 2.0, 3.0])).sum().backward()
        outputs.append((y.detach().numpy(), x.grad.numpy()))
    for ours, theirs in zip(*outputs):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
