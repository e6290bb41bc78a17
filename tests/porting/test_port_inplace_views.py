"""Writes into tensors in the graph, as teaching code writes them: an RNN unrolled by hand that stores
each step with ``outputs[:, t] = h``, attention scores filled head by head into ``torch.empty``, a
causal mask zeroed through a view, and a training step on top. As in PyTorch, the written tensor
takes the write as its history and gradients reach the written values and the rest of the tensor."""
import numpy as np
from hypothesis import given

import minitorch
from minitorch.testing import gradcheck
from minitorch.testing import strategies as S


def make_rnn(torch):
    """An Elman RNN unrolled by hand, each step written into a preallocated output."""
    nn = torch.nn

    class HandRNN(nn.Module):
        def __init__(self, n_in, n_hidden):
            super().__init__()
            self.cell = nn.RNNCell(n_in, n_hidden)
            self.head = nn.Linear(n_hidden, 1)

        def forward(self, x):
            batch, steps, _ = x.shape
            h = torch.zeros(batch, self.cell.hidden_size)
            outputs = torch.zeros(batch, steps, self.cell.hidden_size)
            for t in range(steps):
                h = self.cell(x[:, t], h)
                outputs[:, t] = h
            outputs[:, 0].mul_(0.5)  # an in-place op on a view of the written tensor
            return self.head(outputs).squeeze(-1)

    return HandRNN


def train_rnn(torch, same_start):
    """Three SGD steps on a fixed sequence; the losses and the final gradients."""
    model = same_start(make_rnn(torch)(3, 5))
    x = torch.tensor(np.sin(np.arange(2 * 6 * 3) / 3).reshape(2, 6, 3))
    target = torch.tensor(np.cos(np.arange(12) / 2).reshape(2, 6))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    losses = []
    for _ in range(3):
        optimizer.zero_grad()
        loss = ((model(x) - target) ** 2).mean()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses, [p.grad.numpy().copy() for p in model.parameters()]


def test_hand_unrolled_rnn_trains_as_in_pytorch(run_both):
    (ours, our_grads), (theirs, their_grads) = run_both(train_rnn)
    np.testing.assert_allclose(ours, theirs, rtol=1e-10)
    for a, b in zip(our_grads, their_grads):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


def attention_by_head(torch, q, k, v):
    """Scores filled head by head into ``torch.empty``, a causal mask written through a view."""
    batch, heads, steps, dim = q.shape
    scores = torch.empty(batch, heads, steps, steps, dtype=q.dtype)
    for h in range(heads):
        scores[:, h] = q[:, h] @ k[:, h].transpose(-1, -2) / dim ** 0.5
    future = torch.ones(steps, steps).triu(1).bool()
    scores.view(batch * heads, steps, steps).masked_fill_(future, -1e9)
    out = torch.softmax(scores, -1) @ v
    out[..., 0] = out[..., 0] * 2  # a column rescaled in place
    return out


def test_attention_filled_by_head_as_in_pytorch(run_both):
    def program(torch, same_start):
        q, k, v = (torch.tensor(np.cos(np.arange(2 * 2 * 4 * 3) * s).reshape(2, 2, 4, 3), requires_grad=True)
                   for s in (0.3, 0.7, 1.1))
        out = attention_by_head(torch, q, k, v)
        (out * out).sum().backward()
        return [t.detach().numpy().copy() for t in (out, q.grad, k.grad, v.grad)]

    ours, theirs = run_both(program)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


@given(S.arrays(shape=(1, 2, 3, 2), permuted=False), S.arrays(shape=(1, 2, 3, 2), permuted=False))
def test_attention_filled_by_head_gradcheck(q0, v0):
    q, v = minitorch.tensor(q0, requires_grad=True), minitorch.tensor(v0, requires_grad=True)
    assert gradcheck(lambda a, b: attention_by_head(minitorch, a, a * 0.5, b), [q, v])
