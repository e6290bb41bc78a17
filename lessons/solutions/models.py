"""Solutions to the exercises of lessons 7-9 (left out of the student edition)."""
import numpy as np

import minitorch
import minitorch.nn.functional as F
from minitorch import nn


def conv_size(size, kernel=3, padding=0, stride=1):
    return (size + 2 * padding - kernel) // stride + 1


def max_pool_tie_gradient():
    """7.4: a window of four equal numbers, pooled and backpropagated."""
    a = minitorch.ones(1, 1, 2, 2, dtype=minitorch.float64, requires_grad=True)
    F.max_pool2d(a, 2).sum().backward()
    return a.grad.numpy()


def shift_right(images):
    """7.5: one pixel to the right: a column of zeros in front, the last column dropped."""
    zeros = minitorch.zeros(*images.shape[:-1], 1, dtype=images.dtype)
    return minitorch.cat([zeros, images[..., :-1]], dim=-1)


class NoPosition(nn.Module):
    """8.3: lesson 8's Reverser without self.position."""

    def __init__(self, vocab=10, width=32, with_position=False):
        super().__init__()
        self.digit = nn.Embedding(vocab, width)
        self.position = nn.Embedding(8, width) if with_position else None
        self.attn = nn.MultiheadAttention(width, 1, batch_first=True)
        self.head = nn.Linear(width, vocab)

    def forward(self, ids):
        h = self.digit(ids)
        if self.position is not None:   # the mistake: the positions left in
            h = h + self.position(minitorch.arange(ids.shape[1]))
        out, weights = self.attn(h, h, h)
        return self.head(out), weights


def last_features(h, mask):
    """9.4: each row's features at its last real character."""
    return h[minitorch.arange(h.shape[0]), mask.sum(dim=1) - 1]


class FineTuner(nn.Module):
    """9.5: the GPT body and a new head, all trained: the masked mean of the features, then nn.Linear(64, 2)."""

    def __init__(self, body, frozen=False):
        super().__init__()
        self.body, self.head, self.frozen = body, nn.Linear(64, 2), frozen

    def forward(self, ids, mask):
        if self.frozen:                 # the mistake: the lesson's linear probe, body under no_grad
            with minitorch.no_grad():
                h = self.body.features(ids)
        else:
            h = self.body.features(ids)
        m = mask.unsqueeze(-1).float()
        return self.head((h * m).sum(dim=1) / m.sum(dim=1))


def top_probabilities(z=(2.0, 1.0, 0.0, -1.0), temperatures=(0.3, 1.0, 1.5), divide=True):
    """9.3: softmax(z / tau)[0] for each temperature (divide=False: the mistake, z * tau)."""
    scores = minitorch.tensor(z)
    return [(scores / t if divide else scores * t).softmax(dim=-1)[0].item() for t in temperatures]


SOLUTIONS = {
    "7.1": 64 * (conv_size(28, padding=1) // 2 // 2) ** 2,
    "7.2": 64 * conv_size(conv_size(28, stride=2), stride=2) ** 2,
    "7.3": (32 * 9 * 64 * conv_size(13) ** 2, 64 * 32 * 13 * 13),
    "7.4": max_pool_tie_gradient(),
    "8.1": np.hstack([np.eye(3), np.eye(3)]),
    "8.2": lambda tau, d: 1 / (tau * d**0.5),
    "8.4": {i for i in range(8) if 7 - i <= i},
    "8.5": 4096**2 * 16 * 4,
    "7.5": shift_right,
    "8.3": NoPosition,
    "9.1": 128 * 64,
    "9.2": "post-norm",
    "9.3": top_probabilities(),
    "9.4": last_features,
    "9.5": FineTuner,
}

WRONG = {
    "7.1": (64 * 5 * 5, "28 -> 14 -> 7"),
    "7.2": (64 * 5 * 5, "13"),
    "7.3": ((32 * 9 * 64 * 13 * 13, 64 * 32 * 13 * 13), "H_out"),
    "7.4": (np.full((2, 2), 0.25), "first maximum"),
    "8.1": (np.hstack([np.eye(3), np.zeros((3, 3))]), "sum of the two heads"),
    "8.2": (lambda tau, d: tau * d**0.5, "multiplies"),
    "8.4": ({0, 1, 2, 3}, "7 - i"),
    "8.5": (4096**2 * 4, "1 GiB"),
    "7.5": (lambda x: minitorch.cat([x[..., 1:], x[..., :1]], dim=-1), "wrap around"),
    "8.3": (lambda: NoPosition(with_position=True), "self.position"),
    "9.1": (64, "128"),
    "9.2": ("pre-norm", "LayerNorm"),
    "9.3": (top_probabilities(divide=False), "Divide"),
    "9.4": (lambda h, mask: h[:, -1], "padding"),
    "9.5": (lambda body: FineTuner(body, frozen=True), "no gradient"),
}
