"""A tiny neural-network library on :class:`~minitorch.scalar.Scalar`: neurons, layers, an MLP, a loss,
SGD and a training loop, every number its own node of the graph.

It is lab 1's milestone (``labs/README.md``): with the scalar engine of ``minitorch/scalar.py`` a
two-layer perceptron learns the two moons (``minitorch.data.make_moons``) in a few seconds. The
Tensor library (``minitorch.nn``, ``minitorch.optim``) does the same with arrays in place of numbers.

Parameters are listed layer by layer, neuron by neuron, each neuron's weights before its bias:
``MLP.parameters()`` and a model's ``state`` in this order are what the tests and the grader compare.
"""
import math
import numbers
import random

from .scalar import Scalar

ACTIVATIONS = ("tanh", "relu", "linear")


def _activation(op, activation):
    if activation not in ACTIVATIONS:
        raise ValueError(f"{op}: activation must be one of {', '.join(map(repr, ACTIVATIONS))}, got {activation!r}.")
    return activation


def _count(op, name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{op}: {name} must be a positive int, got {value!r}.")
    return int(value)


class Module:
    """What every model here shares: its parameters (a list of Scalars) and ``zero_grad``."""

    def parameters(self):
        """Every parameter Scalar, in a fixed order (see the module's docstring)."""
        return []

    def zero_grad(self):
        """Set the ``grad`` of every parameter to 0.0."""
        ### BEGIN SOLUTION 1.7: reset the grad of every parameter of the model to 0.0
        for p in self.parameters():
            p.grad = 0.0
        ### END SOLUTION


class Neuron(Module):
    """One neuron: ``activation(w . x + b)`` for ``n_inputs`` numbers or Scalars ``x``.

    The weights start uniform in [-1, 1] / sqrt(n_inputs) (drawn from ``rng``, a
    ``random.Random``), the bias at 0.
    """

    def __init__(self, n_inputs, activation="tanh", rng=None):
        n_inputs = _count("Neuron", "n_inputs", n_inputs)
        self.activation = _activation("Neuron", activation)
        rng = rng or random.Random(0)
        ### BEGIN SOLUTION 1.6: make self.w (n_inputs weight Scalars drawn from rng) and self.b (the bias Scalar)
        scale = 1 / math.sqrt(n_inputs)
        self.w = [Scalar(rng.uniform(-scale, scale), "w") for _ in range(n_inputs)]
        self.b = Scalar(0.0, "b")
        ### END SOLUTION

    def __call__(self, x):
        """The neuron's output Scalar for the inputs ``x`` (a sequence of n_inputs numbers or Scalars)."""
        if len(x) != len(self.w):
            raise ValueError(f"Neuron: expected {len(self.w)} inputs, got {len(x)}.")
        ### BEGIN SOLUTION 1.6: return activation(w . x + b) as a Scalar, for activation "tanh", "relu" or "linear"
        z = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        if self.activation == "tanh":
            return z.tanh()
        if self.activation == "relu":
            return z.relu()
        return z
        ### END SOLUTION

    def parameters(self):
        """The weights, then the bias."""
        ### BEGIN SOLUTION 1.6: return the weights, then the bias, as one list
        return self.w + [self.b]
        ### END SOLUTION

    def __repr__(self):
        return f"Neuron({len(self.w)}, activation={self.activation!r})"


class Layer(Module):
    """``n_outputs`` neurons that all read the same ``n_inputs`` inputs."""

    def __init__(self, n_inputs, n_outputs, activation="tanh", rng=None):
        n_outputs = _count("Layer", "n_outputs", n_outputs)
        rng = rng or random.Random(0)
        ### BEGIN SOLUTION 1.6: make self.neurons, n_outputs Neurons of n_inputs inputs each
        self.neurons = [Neuron(n_inputs, activation, rng) for _ in range(n_outputs)]
        ### END SOLUTION

    def __call__(self, x):
        """The list of the neurons' outputs (one Scalar per neuron) for the inputs ``x``."""
        ### BEGIN SOLUTION 1.6: return the list of every neuron's output for the inputs x
        return [neuron(x) for neuron in self.neurons]
        ### END SOLUTION

    def parameters(self):
        """Every neuron's parameters, neuron by neuron."""
        ### BEGIN SOLUTION 1.6: return every neuron's parameters, neuron by neuron, in one flat list
        return [p for neuron in self.neurons for p in neuron.parameters()]
        ### END SOLUTION

    def __repr__(self):
        return f"Layer([{', '.join(map(repr, self.neurons))}])"


class MLP(Module):
    """A multi-layer perceptron: ``n_inputs`` -> sizes[0] -> ... -> sizes[-1].

    Every layer but the last applies ``activation``; the last is linear (its outputs are
    scores, e.g. the logit of :func:`binary_cross_entropy_with_logits`). ``seed`` fixes the
    initial weights.
    """

    def __init__(self, n_inputs, sizes, activation="tanh", seed=0):
        sizes = list(sizes)
        if not sizes:
            raise ValueError("MLP: sizes must name at least one layer, e.g. MLP(2, [8, 1]).")
        rng = random.Random(seed)
        ### BEGIN SOLUTION 1.6: make self.layers, one Layer per size, every one but the last with the activation
        widths = [n_inputs] + sizes
        self.layers = [Layer(widths[k], widths[k + 1], activation if k < len(sizes) - 1 else "linear", rng)
                       for k in range(len(sizes))]
        ### END SOLUTION

    def __call__(self, x):
        """The last layer's outputs for the inputs ``x``: a list, or one Scalar when it has one neuron."""
        ### BEGIN SOLUTION 1.6: run the layers in turn; return one Scalar if the last layer has one neuron, else a list
        for layer in self.layers:
            x = layer(x)
        return x[0] if len(x) == 1 else x
        ### END SOLUTION

    def parameters(self):
        """Every layer's parameters, layer by layer."""
        ### BEGIN SOLUTION 1.6: return every layer's parameters, layer by layer, in one flat list
        return [p for layer in self.layers for p in layer.parameters()]
        ### END SOLUTION

    def __repr__(self):
        return f"MLP([{', '.join(map(repr, self.layers))}])"


def binary_cross_entropy_with_logits(logit, target):
    """-(t log sigmoid(z) + (1 - t) log(1 - sigmoid(z))) for a Scalar logit z and a target t in [0, 1].

    Computed without overflow for every float z (as ``torch.nn.functional.binary_cross_entropy_with_logits``).
    """
    if not isinstance(logit, Scalar):
        raise TypeError(f"binary_cross_entropy_with_logits: logit must be a Scalar, got {type(logit).__name__}.")
    if not isinstance(target, numbers.Real) or not 0 <= target <= 1:
        raise ValueError(f"binary_cross_entropy_with_logits: target must be a number in [0, 1], got {target!r}.")
    ### BEGIN SOLUTION 1.8: return the loss as a Scalar built from Scalar operations, finite for every float logit
    if logit.data >= 0:
        return (1 + (-logit).exp()).log() + logit * (1 - target)
    return (1 + logit.exp()).log() - logit * target
    ### END SOLUTION


def cross_entropy(logits, target):
    """-log softmax(z)[t] = -z_t + log sum_k e^(z_k) for a list of Scalar logits z and a class index t.

    Computed without overflow for every float logit (as ``torch.nn.functional.cross_entropy``).
    """
    if not logits or not all(isinstance(z, Scalar) for z in logits):
        raise TypeError("cross_entropy: logits must be a non-empty list of Scalars, e.g. an MLP's outputs.")
    if isinstance(target, bool) or not isinstance(target, numbers.Integral) or not 0 <= target < len(logits):
        raise ValueError(f"cross_entropy: target must be a class index in [0, {len(logits)}), got {target!r}.")
    ### BEGIN SOLUTION 1.8: return the loss as a Scalar built from Scalar operations, finite for every float logit
    top = max(z.data for z in logits)
    total = sum((z - top).exp() for z in logits)
    return total.log() + top - logits[target]
    ### END SOLUTION


class SGD:
    """Stochastic gradient descent on a list of Scalars, as ``torch.optim.SGD`` (no dampening):

    ``g = grad + weight_decay p``;  ``v = momentum v + g`` (``v = g`` on the first step);
    ``p = p - lr (g + momentum v)`` with ``nesterov``, else ``p = p - lr v``.
    """

    def __init__(self, params, lr=0.1, momentum=0.0, weight_decay=0.0, nesterov=False):
        self.params = list(params)
        if not all(isinstance(p, Scalar) for p in self.params):
            raise TypeError("SGD: params must be Scalars, e.g. model.parameters().")
        if not isinstance(lr, numbers.Real) or lr <= 0:
            raise ValueError(f"SGD: lr must be a positive number, got {lr!r}.")
        if not isinstance(momentum, numbers.Real) or not 0 <= momentum < 1:
            raise ValueError(f"SGD: momentum must be a number in [0, 1), got {momentum!r}.")
        if not isinstance(weight_decay, numbers.Real) or weight_decay < 0:
            raise ValueError(f"SGD: weight_decay must be a number >= 0, got {weight_decay!r}.")
        if nesterov and momentum == 0:
            raise ValueError("SGD: nesterov=True needs a momentum > 0.")
        self.lr, self.momentum, self.weight_decay = float(lr), float(momentum), float(weight_decay)
        self.nesterov = bool(nesterov)
        self.velocity = [None] * len(self.params)

    def step(self):
        """Move every parameter's ``data`` against its ``grad`` (the graph is not touched)."""
        ### BEGIN SOLUTION 1.7: update every parameter's data (and its velocity) from its grad
        for k, p in enumerate(self.params):
            g = p.grad + self.weight_decay * p.data
            if self.momentum:
                v = self.velocity[k]
                v = g if v is None else self.momentum * v + g
                self.velocity[k] = v
                g = g + self.momentum * v if self.nesterov else v
            p.data -= self.lr * g
        ### END SOLUTION

    def zero_grad(self):
        """Set the ``grad`` of every parameter to 0.0."""
        ### BEGIN SOLUTION 1.7: reset every parameter's grad to 0.0
        for p in self.params:
            p.grad = 0.0
        ### END SOLUTION


def fit(model, points, labels, epochs=40, lr=1.0, momentum=0.9, batch_size=None, seed=0):
    """Train ``model`` (one logit per point) on ``points`` (pairs of floats) and ``labels`` (0 or 1)
    with SGD on the mean binary cross-entropy; returns the loss of every epoch, a list of floats.

    Without ``batch_size``, every epoch takes one step on all the points, in their order. With it,
    every epoch first shuffles the list of indices ``[0, ..., n-1]`` with ``rng.shuffle``, where
    ``rng = random.Random(seed)`` is made once per call, cuts it into consecutive batches of
    ``batch_size`` (the last may be smaller) and takes one step per batch; the epoch's loss is then
    the mean of its batches' losses.
    """
    if len(points) != len(labels) or not points:
        raise ValueError(f"fit: expected as many labels as points (at least one), got {len(points)} points "
                         f"and {len(labels)} labels.")
    if batch_size is not None:
        batch_size = _count("fit", "batch_size", batch_size)
    ### BEGIN SOLUTION 1.9: train for the epochs (full batch, or shuffled mini-batches) and return each epoch's loss
    optimizer = SGD(model.parameters(), lr=lr, momentum=momentum)
    rng, n = random.Random(seed), len(points)
    losses = []
    for _ in range(epochs):
        order = list(range(n))
        if batch_size:
            rng.shuffle(order)
        batch_losses = []
        for start in range(0, n, batch_size or n):
            batch = order[start:start + (batch_size or n)]
            optimizer.zero_grad()
            loss = sum(binary_cross_entropy_with_logits(model(points[i]), float(labels[i])) for i in batch)
            loss = loss / len(batch)
            loss.backward()
            optimizer.step()
            batch_losses.append(loss.data)
        losses.append(sum(batch_losses) / len(batch_losses))
    return losses
    ### END SOLUTION


def accuracy(model, points, labels):
    """The fraction of ``points`` whose logit's sign (> 0: class 1) matches their label."""
    ### BEGIN SOLUTION 1.9: return the fraction of points whose logit's sign matches the label
    right = sum((model(x).data > 0) == (t == 1) for x, t in zip(points, labels))
    return right / len(points)
    ### END SOLUTION
