"""Solutions to the exercises of lessons 1-3 (left out of the student edition)."""
import math

import numpy as np

import minitorch
from minitorch.autograd import Op
from minitorch.functions._util import unbroadcast
from minitorch.scalar import Scalar


def sin(a):
    """1.1: d/da sin a = cos a."""
    return Scalar(math.sin(a.data), children=(a,), local_grads=(math.cos(a.data),), op="sin")


def cos(a):
    """1.1: d/da cos a = -sin a."""
    return Scalar(math.cos(a.data), children=(a,), local_grads=(-math.sin(a.data),), op="cos")


def power(x, y):
    """1.2: x^y = e^(y ln x), for x > 0."""
    return (y * x.log()).exp()


def train_xor(steps=60, lr=1.0):
    """1.3: two tanh neurons feeding a third, started at different small values."""
    rng = np.random.default_rng(0)
    w = [Scalar(v) for v in rng.uniform(-1, 1, 9)]
    corners = [(x1, x2, x1 * x2) for x1 in (-1.0, 1.0) for x2 in (-1.0, 1.0)]

    def model(x1, x2):
        h1 = (w[0] * x1 + w[1] * x2 + w[2]).tanh()
        h2 = (w[3] * x1 + w[4] * x2 + w[5]).tanh()
        return (w[6] * h1 + w[7] * h2 + w[8]).tanh()

    for _ in range(steps):
        loss = sum((model(x1, x2) - t) ** 2 for x1, x2, t in corners) * 0.25
        for p in w:
            p.grad = 0.0
        loss.backward()
        for p in w:
            p.data -= lr * p.grad
    return model


def graph_sizes():
    """1.4: the lesson's loss over n random points, and its number of nodes."""
    w1, w2, b = Scalar(0.1), Scalar(-0.2), Scalar(0.0)
    sizes = {}
    for n in (10, 20, 40):
        points = [(0.5, -0.3, 1.0)] * n
        errors = [((w1 * x1 + w2 * x2 + b).tanh() - t) ** 2 for x1, x2, t in points]
        sizes[n] = len((sum(errors) / n).topological_order())
    return sizes


def second_derivative(x=1.5, h=1e-4):
    """1.5: a central difference of two backward() results."""
    def slope(v):
        leaf = Scalar(v)
        (leaf**3 - 2 * leaf).backward()
        return leaf.grad

    return (slope(x + h) - slope(x - h)) / (2 * h)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def lesson2_outputs(lr, steps=5):
    """2.5: y_hat before and after each gradient-descent step on lesson 2's network, gradients from backward()."""
    start = {"W1": [[0.5, -0.2], [-0.3, 0.4], [0.1, -0.6]], "b1": [0.1, -0.2, 0.3], "W2": [[0.7, 0.5, -0.3]],
             "b2": [0.1]}
    p = {k: minitorch.tensor(v, dtype=minitorch.float64, requires_grad=True) for k, v in start.items()}
    x, outputs = minitorch.tensor([1.0, 2.0], dtype=minitorch.float64), []
    for _ in range(steps + 1):
        y_hat = (p["W2"] @ (p["W1"] @ x + p["b1"]).relu() + p["b2"]).relu()
        outputs.append(y_hat.item())
        (0.5 * (y_hat - 1.0) ** 2).sum().backward()
        with minitorch.no_grad():
            for t in p.values():
                t -= lr * t.grad
                t.grad = None
    return outputs


def windows():
    """3.2: six windows of three, strides (8, 8)."""
    x = np.arange(8.0)
    return np.lib.stride_tricks.as_strided(x, shape=(6, 3), strides=(8, 8))


class MyMul(Op):
    """3.3: dL/da = grad * b, dL/db = grad * a, each unbroadcast."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_arrays
        return unbroadcast(grad * b, a.shape), unbroadcast(grad * a, b.shape)


SOLUTIONS = {
    "1.1": (sin, cos),
    "1.2": power,
    "1.3": train_xor(),
    "1.4": graph_sizes(),
    "1.5": second_derivative(),
    "2.1": lambda z, y: (sigmoid(z) - y) * sigmoid(z) * (1 - sigmoid(z)),
    "2.2": lambda z, y: sigmoid(z) - y,
    "2.3": 1.5,
    "2.4": (np.array([[0.5, -0.2], [0.3, 0.4], [0.2, 0.1]]), np.array([0.1, -0.2, 0.3])),
    "2.5": {lr: lesson2_outputs(lr) for lr in (1, 3)},
    "3.1": (minitorch.zeros(2, 3, 4, dtype=minitorch.float64).numpy().strides,
            minitorch.zeros(2, 3, 4, dtype=minitorch.float64).permute(2, 0, 1).numpy().strides),
    "3.2": windows(),
    "3.3": MyMul,
    "3.4": (tuple((minitorch.randn(5, 2, 3) @ minitorch.randn(3, 4)).shape), 0),
    "3.5": (lambda x, c: x.sum(dim=1, keepdim=True) + c, lambda x, c: x.sum(dim=1) + c.squeeze(1)),
}

WRONG = {
    "1.1": ((sin, sin), "cos"),
    "1.2": (lambda x, y: Scalar((x.data) ** y.data), "gradient"),
    "1.3": (lambda x1, x2: 0.0, "mean squared error"),
    "1.4": ({10: 30, 20: 50, 40: 100}, "same number"),
    "1.5": (6.0, "9"),
    "2.1": (lambda z, y: (sigmoid(z) - y) * sigmoid(sigmoid(z)) * (1 - sigmoid(sigmoid(z))), "delta_o"),
    "2.2": (lambda z, y: (sigmoid(z) - y) * sigmoid(z) * (1 - sigmoid(z)), "delta_o"),
    "2.3": (1.0, "off"),
    "2.4": ((np.array([[0.5, -0.2], [0.3, 0.4], [-1.0, 0.1]]), np.zeros(3)), "are off"),
    "2.5": ({lr: lesson2_outputs(0.1) for lr in (1, 3)}, "overshoot"),  # the lesson's default lr, not 1 or 3
    "3.1": (((32, 8, 1), (1, 32, 8)), "8 bytes"),
    "3.2": (np.arange(3)[None, :] + np.arange(6)[:, None] + 0.0, "copy"),
    "3.3": (type("NoUnbroadcast", (Op,), {"forward": staticmethod(lambda ctx, a, b: a * b),
                                          "backward": staticmethod(lambda ctx, g: (g, g))}), "raised"),
    "3.4": (((5, 2, 4), (1,)), "dim 0"),
    "3.5": ((lambda x, c: x.sum(dim=1) + c, lambda x, c: x.sum(dim=1) + c), "broadcasting"),
}
