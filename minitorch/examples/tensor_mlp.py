"""Lab 2's milestone: a two-layer MLP made of raw tensor ops (no ``nn``, no ``optim``), trained by
gradient descent on the three arms of a spiral.

Everything here runs on the code of lab 2: the matmul, the broadcast addition of the biases,
the log-sum-exp, the mean and the indexing of the cross-entropy, the engine's backward, and an
update of the parameters under ``no_grad``::

    logits = tanh(X W1 + b1) W2 + b2
    loss   = (1/n) sum_i [ log sum_j exp(logits_ij) - logits_i,y_i ]
"""
import math

import numpy as np

import minitorch


def spiral(rng, n_per_class, n_classes=3, noise=0.0):
    """``n_per_class`` points on each of ``n_classes`` spiral arms (numpy, shape (n, 2)), plus
    ``noise`` times a standard normal, and their arms (int64): the data of the milestone."""
    t = rng.uniform(0.1, 1.0, (n_classes, n_per_class))
    angle = 4.0 * t + 2 * math.pi / n_classes * np.arange(n_classes)[:, None]
    points = np.stack([t * np.cos(angle), t * np.sin(angle)], axis=-1).reshape(-1, 2)
    classes = np.repeat(np.arange(n_classes), n_per_class)
    return points + noise * rng.standard_normal(points.shape), classes


def init_params(n_in, hidden, n_out, seed=0):
    """[W1 (n_in, hidden), b1 (hidden,), W2 (hidden, n_out), b2 (n_out,)]: float64 leaves that
    require grad; the weights normal with standard deviation 1/sqrt(fan-in), the biases zero."""
    rng = np.random.default_rng(seed)
    shapes = [(n_in, hidden), (hidden,), (hidden, n_out), (n_out,)]
    return [minitorch.tensor(rng.standard_normal(s) / math.sqrt(s[0]) if len(s) == 2 else np.zeros(s),
                             dtype=minitorch.float64, requires_grad=True) for s in shapes]


def forward(params, X):
    """The logits tanh(X W1 + b1) W2 + b2 of the rows of ``X``."""
    ### BEGIN SOLUTION 2.12: return the (n, n_out) logits of the two-layer MLP of the module docstring
    W1, b1, W2, b2 = params
    return (X @ W1 + b1).tanh() @ W2 + b2
    ### END SOLUTION


def cross_entropy(logits, y):
    """The mean over rows of log sum_j exp(logits_ij) - logits_i,y_i, for ``y`` a tensor of
    class indices (int64): finite for any finite logits."""
    ### BEGIN SOLUTION 2.12: return the mean cross-entropy (a 0-d tensor) of the module docstring, from tensor ops
    picked = logits[minitorch.arange(logits.shape[0]), y]
    return (logits.logsumexp(dim=1) - picked).mean()
    ### END SOLUTION


def fit(params, X, y, steps=300, lr=1.0):
    """Full-batch gradient descent on ``cross_entropy(forward(params, X), y)``: ``steps`` times
    the loss, its gradients, and params -= lr * gradient (the gradients cleared after each step).
    Returns the losses (floats), one per step."""
    ### BEGIN SOLUTION 2.12: run the gradient-descent steps in place on params and return the list of losses
    losses = []
    for _ in range(steps):
        loss = cross_entropy(forward(params, X), y)
        loss.backward()
        with minitorch.no_grad():
            for p in params:
                p -= lr * p.grad
                p.grad = None
        losses.append(loss.item())
    return losses
    ### END SOLUTION


def predict(params, X):
    """The most likely class of each row of ``X`` (an int64 tensor), without a graph."""
    with minitorch.no_grad():
        return forward(params, X).argmax(dim=1)


def train(n_per_class=50, noise=0.05, hidden=32, steps=500, lr=1.0, seed=0):
    """The milestone's run: ``init_params(2, hidden, 3, seed)`` fitted on a noisy spiral drawn from
    ``seed``; returns the parameters and the losses."""
    points, classes = spiral(np.random.default_rng(seed), n_per_class, noise=noise)
    X = minitorch.tensor(points, dtype=minitorch.float64)
    y = minitorch.tensor(classes, dtype=minitorch.int64)
    params = init_params(2, hidden, 3, seed)
    return params, fit(params, X, y, steps, lr)
