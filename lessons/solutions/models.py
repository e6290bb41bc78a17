"""Solutions to the exercises of lessons 7-9 (left out of the student edition)."""
import numpy as np

import minitorch
import minitorch.nn.functional as F


def conv_size(size, kernel=3, padding=0, stride=1):
    return (size + 2 * padding - kernel) // stride + 1


def max_pool_tie_gradient():
    """7.4: a window of four equal numbers, pooled and backpropagated."""
    a = minitorch.ones(1, 1, 2, 2, dtype=minitorch.float64, requires_grad=True)
    F.max_pool2d(a, 2).sum().backward()
    return a.grad.numpy()


SOLUTIONS = {
    "7.1": 64 * (conv_size(28, padding=1) // 2 // 2) ** 2,
    "7.2": 64 * conv_size(conv_size(28, stride=2), stride=2) ** 2,
    "7.3": (32 * 9 * 64 * conv_size(13) ** 2, 64 * 32 * 13 * 13),
    "7.4": max_pool_tie_gradient(),
    "8.1": np.hstack([np.eye(3), np.eye(3)]),
    "8.2": lambda tau, d: 1 / (tau * d**0.5),
    "8.4": {i for i in range(8) if 7 - i <= i},
    "8.5": 4096**2 * 16 * 4,
    "9.1": 128 * 64,
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
    "9.1": (64, "128"),
}
