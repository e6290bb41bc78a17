"""Activations and softmax: relu, sigmoid, tanh, gelu, softmax, log_softmax.

Each is one op of ``minitorch/functions`` (its forward and hand-written backward are there);
these are the spellings PyTorch code uses, ``F.relu(x)`` for ``x.relu()``.
"""
from ... import functions as ops


def relu(input):
    """relu(x) = max(x, 0)."""
    return input.relu()


def sigmoid(input):
    """sigmoid(x) = 1 / (1 + e^-x)."""
    return input.sigmoid()


def tanh(input):
    """tanh(x) = (e^x - e^-x) / (e^x + e^-x)."""
    return input.tanh()


def gelu(input, approximate="none"):
    """gelu(x) = x Phi(x), where Phi is the standard normal CDF.

    ``approximate="tanh"`` uses Phi(x) ~ (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) / 2.
    """
    return ops.GELU.apply(input, approximate)


def softmax(input, dim):
    """softmax(x)_i = e^(x_i) / sum_j e^(x_j) along ``dim`` (the max is subtracted first: no overflow)."""
    return input.softmax(dim)


def log_softmax(input, dim):
    """log_softmax(x)_i = x_i - log sum_j e^(x_j) along ``dim``; finite where log(softmax(x)) is -inf."""
    return input.log_softmax(dim)
