"""Programs from PyTorch's own tutorials that ran but diverged, or stopped, under minitorch: models
whose parameters are 0-d tensors (``nn.Parameter(torch.randn(()))``, "Learning PyTorch with
examples") trained with momentum, their gradients clipped and scaled in place; and the old SGD
loop ``p.data.add_(-learning_rate, p.grad.data)`` (the char-RNN tutorials), which PyTorch still
accepts with a deprecation warning. Each runs under minitorch and PyTorch with the same numbers."""
import math

import numpy as np
import pytest

import minitorch

START = (0.1, -0.3, 0.2, 0.05, 0.01)


def _polynomial_with_momentum(torch, steps=12):
    """A cubic (plus a quartic term on some steps only) fitted to sin, its coefficients 0-d
    parameters; the quartic's parameter gets no gradient on the other steps, as in dynamic_net.py."""

    class Polynomial(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b, self.c, self.d, self.e = (torch.nn.Parameter(torch.tensor(v)) for v in START)

        def forward(self, x, quartic):
            y = self.a + self.b * x + self.c * x ** 2 + self.d * x ** 3
            return y + self.e * x ** 4 if quartic else y

    x = torch.linspace(-math.pi, math.pi, 200)
    model = Polynomial()
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-6, momentum=0.9)
    losses = []
    for t in range(steps):
        loss = torch.nn.MSELoss(reduction="sum")(model(x, t % 3 == 0), torch.sin(x))
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 50.0)
        optimizer.step()
        losses.append(loss.item())
    return losses, [p.item() for p in model.parameters()]


def test_zero_dim_parameters_train_with_momentum_as_in_pytorch():
    torch = pytest.importorskip("torch")
    (ours, our_params), (theirs, their_params) = (_polynomial_with_momentum(lib) for lib in (minitorch, torch))
    np.testing.assert_allclose(ours, theirs, rtol=1e-5)
    np.testing.assert_allclose(our_params, their_params, rtol=1e-5)


def test_the_gradient_of_a_zero_dim_parameter_changes_in_place():
    a = minitorch.nn.Parameter(minitorch.tensor(1.0))
    (a * 2).backward()
    a.grad.mul_(3)  # was refused: the gradient was a numpy scalar, not an array
    assert a.grad.item() == 6.0 and a.grad.shape == ()
    minitorch.nn.utils.clip_grad_value_([a], 1.5)
    assert a.grad.item() == 1.5
    optimizer = minitorch.optim.SGD([a], lr=0.1, momentum=0.9)
    optimizer.step()
    a.grad.fill_(2.0)
    optimizer.step()  # the momentum buffer holds 1.5 and builds on it: 0.9 * 1.5 + 2
    assert a.item() == pytest.approx(1 - 0.15 - 0.335)
    assert optimizer.state[a]["momentum_buffer"].shape == ()


def _old_style_sgd(torch, learning_rate=0.05):
    """The char-RNN tutorials' update, with PyTorch's deprecated argument order."""
    torch.manual_seed(0)
    layer = torch.nn.Linear(3, 2)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(np.linspace(-1, 1, 6).reshape(2, 3)))
        layer.bias.copy_(torch.tensor([0.1, -0.2]))
    x, target = torch.tensor(np.arange(6.0).reshape(2, 3) / 5, dtype=torch.float32), torch.tensor([1, 0])
    for _ in range(3):
        layer.zero_grad()
        torch.nn.functional.cross_entropy(layer(x), target).backward()
        for p in layer.parameters():
            p.data.add_(-learning_rate, p.grad.data)
    kept = torch.ones(2)
    kept.sub_(2, torch.tensor([0.5, 1.0]))  # sub_(alpha, other), deprecated the same way
    return [p.detach().numpy().copy() for p in layer.parameters()], kept.numpy()


def test_add_with_alpha_first_as_old_pytorch_code_writes_it():
    torch = pytest.importorskip("torch")
    results = []
    for lib in (minitorch, torch):
        with pytest.warns(UserWarning, match="add_"):
            results.append(_old_style_sgd(lib))
    (ours, our_kept), (theirs, their_kept) = results
    for mine, its in zip(ours, theirs):
        np.testing.assert_allclose(mine, its, rtol=1e-6)
    assert our_kept.tolist() == their_kept.tolist() == [0.0, -1.0]


def test_add_with_alpha_first_warns_and_names_the_new_form():
    x = minitorch.zeros(2)
    with pytest.warns(UserWarning, match=r"add_\(Tensor other, \*, Number alpha=1\)"):
        x.add_(3, minitorch.ones(2))
    assert x.tolist() == [3.0, 3.0]
