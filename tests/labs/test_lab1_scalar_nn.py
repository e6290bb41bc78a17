"""Lab 1, second half: a neural network on Scalars (``minitorch/scalar_nn.py``).

Neurons, layers and the MLP (1.6) are checked on weights set by hand; SGD (1.7) on grads set by
hand; the loss (1.8) against values and slopes worked out on paper; the milestone (1.9) trains
on the two moons and must classify fresh points.
"""
import math

import numpy as np
import pytest

from minitorch.scalar import Scalar
from minitorch.scalar_nn import (MLP, SGD, Layer, Neuron, accuracy, binary_cross_entropy_with_logits, cross_entropy,
                                  fit)


def set_weights(params, values):
    for p, v in zip(params, values, strict=True):
        p.data = float(v)


# ----------------------------------------------------------------------------- 1.6 Neuron, Layer, MLP

@pytest.mark.task(id="1.6")
def test_neuron_output_by_hand():
    n = Neuron(2, "tanh")
    set_weights(n.parameters(), [0.5, -1.0, 0.25])  # w1, w2, b
    assert n([2.0, 1.0]).data == pytest.approx(math.tanh(0.5 * 2 - 1 + 0.25))
    n.activation = "relu"
    assert n([2.0, 1.0]).data == pytest.approx(0.25) and n([0.0, 1.0]).data == 0.0
    n.activation = "linear"
    out = n([Scalar(-2.0), 1.0])
    assert isinstance(out, Scalar) and out.data == pytest.approx(-1.75)


@pytest.mark.task(id="1.6")
def test_parameters_are_listed_in_order():
    n = Neuron(3)
    assert n.parameters() == n.w + [n.b]
    layer = Layer(3, 2)
    assert layer.parameters() == layer.neurons[0].parameters() + layer.neurons[1].parameters()
    mlp = MLP(3, [4, 2, 1])
    assert len(mlp.parameters()) == 4 * 4 + 2 * 5 + 1 * 3
    assert mlp.parameters()[:4] == mlp.layers[0].neurons[0].parameters()
    assert mlp.parameters()[-1] is mlp.layers[-1].neurons[0].b


@pytest.mark.task(id="1.6")
def test_initial_weights():
    a, b = MLP(4, [3, 1], seed=7), MLP(4, [3, 1], seed=7)
    assert [p.data for p in a.parameters()] == [p.data for p in b.parameters()]  # the seed fixes them
    assert [p.data for p in a.parameters()] != [p.data for p in MLP(4, [3, 1], seed=8).parameters()]
    first = a.layers[0].neurons
    assert all(abs(w.data) <= 0.5 for n in first for w in n.w)  # uniform in [-1, 1] / sqrt(4)
    assert all(n.b.data == 0.0 for n in first) and len(set(w.data for n in first for w in n.w)) == 12
    assert [n.activation for n in a.layers[0].neurons] == ["tanh"] * 3
    assert a.layers[1].neurons[0].activation == "linear"


@pytest.mark.task(id="1.6")
def test_layer_and_mlp_outputs_by_hand():
    layer = Layer(2, 2, "relu")
    set_weights(layer.parameters(), [1.0, 1.0, 0.0, -1.0, -1.0, 0.5])
    assert [o.data for o in layer([1.0, 2.0])] == pytest.approx([3.0, 0.0])
    mlp = MLP(1, [2, 1], activation="tanh")
    set_weights(mlp.parameters(), [1.0, 0.0, -1.0, 0.0, 2.0, 3.0, 0.5])  # hidden (w, b) x 2, then (w1, w2, b)
    out = mlp([0.3])
    assert isinstance(out, Scalar)  # one output neuron: a Scalar, not a list
    assert out.data == pytest.approx(2 * math.tanh(0.3) + 3 * math.tanh(-0.3) + 0.5)  # the last layer is linear
    two = MLP(1, [2, 2])
    assert isinstance(two([0.3]), list) and len(two([0.3])) == 2


# ----------------------------------------------------------------------------- 1.7 SGD

@pytest.mark.task(id="1.7")
def test_sgd_step_and_zero_grad():
    a, b = Scalar(1.0), Scalar(-2.0)
    opt = SGD([a, b], lr=0.1)
    a.grad, b.grad = 2.0, -1.0
    opt.step()
    assert (a.data, b.data) == pytest.approx((0.8, -1.9))
    opt.zero_grad()
    assert a.grad == 0.0 and b.grad == 0.0


@pytest.mark.task(id="1.7")
def test_sgd_momentum_over_three_steps():
    p = Scalar(0.0)
    opt = SGD([p], lr=0.5, momentum=0.9)
    for g in (1.0, 1.0, -2.0):  # velocities 1, 1.9, -0.29
        p.grad = g
        opt.step()
    assert p.data == pytest.approx(-0.5 * (1.0 + 1.9 - 0.29))


@pytest.mark.task(id="1.7")
def test_sgd_weight_decay_and_nesterov_by_hand():
    p = Scalar(2.0)
    opt = SGD([p], lr=0.5, weight_decay=0.25)
    p.grad = 1.0
    opt.step()  # g = 1 + 0.25 * 2 = 1.5
    assert p.data == pytest.approx(2.0 - 0.5 * 1.5)
    q = Scalar(0.0)
    opt = SGD([q], lr=1.0, momentum=0.5, nesterov=True)
    for g in (1.0, 2.0):  # v = 1, then 0.5 + 2 = 2.5; steps g + 0.5 v = 1.5, then 3.25
        q.grad = g
        opt.step()
    assert q.data == pytest.approx(-(1.5 + 3.25))


@pytest.mark.task(id="1.7")
def test_model_zero_grad():
    model = MLP(2, [3, 1])
    for k, p in enumerate(model.parameters()):
        p.grad = float(k + 1)
    model.zero_grad()
    assert [p.grad for p in model.parameters()] == [0.0] * 13


# ----------------------------------------------------------------------------- 1.8 cross-entropy

@pytest.mark.task(id="1.8")
@pytest.mark.parametrize("z, t", [(0.0, 1.0), (2.0, 0.0), (-1.5, 1.0), (0.7, 0.25)])
def test_bce_value_and_gradient(z, t):
    logit = Scalar(z)
    loss = binary_cross_entropy_with_logits(logit, t)
    p = 1 / (1 + math.exp(-z))
    assert loss.data == pytest.approx(-(t * math.log(p) + (1 - t) * math.log(1 - p)))
    loss.backward()
    assert logit.grad == pytest.approx(p - t)  # dL/dz = sigmoid(z) - t


@pytest.mark.task(id="1.8")
def test_bce_is_finite_for_huge_logits():
    for z, t, value in ((800.0, 0.0, 800.0), (-800.0, 1.0, 800.0), (800.0, 1.0, 0.0), (-800.0, 0.0, 0.0)):
        logit = Scalar(z)
        loss = binary_cross_entropy_with_logits(logit, t)
        loss.backward()
        assert loss.data == pytest.approx(value, abs=1e-12)
        assert logit.grad == pytest.approx((z > 0) - t, abs=1e-12)


@pytest.mark.task(id="1.8")
@pytest.mark.parametrize("values, t", [([0.0, 0.0], 0), ([1.0, 2.0, 3.0], 2), ([-1.0, 0.5, 4.0], 0)])
def test_cross_entropy_value_and_gradient(values, t):
    logits = [Scalar(v) for v in values]
    loss = cross_entropy(logits, t)
    total = sum(math.exp(v) for v in values)
    assert loss.data == pytest.approx(math.log(total) - values[t])
    loss.backward()
    softmax = [math.exp(v) / total for v in values]
    assert [z.grad for z in logits] == pytest.approx([p - (k == t) for k, p in enumerate(softmax)])


@pytest.mark.task(id="1.8")
def test_cross_entropy_is_finite_for_huge_logits():
    logits = [Scalar(1000.0), Scalar(0.0), Scalar(-1000.0)]  # e^1000 overflows a float
    loss = cross_entropy(logits, 1)
    loss.backward()
    assert loss.data == pytest.approx(1000.0)
    assert [z.grad for z in logits] == pytest.approx([1.0, -1.0, 0.0])


# ----------------------------------------------------------------------------- 1.9 the milestone

def moons(seed, n, noise):
    """n points of the two moons (``minitorch.data.make_moons``'s shapes) and their classes."""
    rng = np.random.default_rng(seed)
    t, y = rng.uniform(0, np.pi, n), rng.integers(0, 2, n)
    x = np.where(y[:, None] == 0, np.stack([np.cos(t), np.sin(t)], 1),
                 np.stack([1 - np.cos(t), 0.5 - np.sin(t)], 1))
    return (x + noise * rng.standard_normal(x.shape)).tolist(), y.tolist()


@pytest.mark.task(id="1.9")
def test_fit_lowers_the_loss_on_a_few_points():
    model = MLP(2, [4, 1], seed=1)
    points, labels = moons(1, 12, 0.1)
    losses = fit(model, points, labels, epochs=15)
    assert len(losses) == 15 and all(isinstance(v, float) for v in losses)
    assert losses[-1] < 0.5 * losses[0]
    assert accuracy(model, points, labels) >= 0.9


@pytest.mark.task(id="1.9")
def test_fit_in_mini_batches(monkeypatch):
    steps = []
    step = SGD.step
    monkeypatch.setattr(SGD, "step", lambda self: steps.append(1) or step(self))
    model = MLP(2, [4, 1], seed=1)
    points, labels = moons(2, 10, 0.1)
    losses = fit(model, points, labels, epochs=6, lr=0.3, batch_size=4)
    assert len(steps) == 6 * 3 and len(losses) == 6  # batches of 4, 4 and 2 in every epoch
    assert losses[-1] < losses[0]
    again = MLP(2, [4, 1], seed=1)
    assert fit(again, points, labels, epochs=6, lr=0.3, batch_size=4) == losses  # the seed fixes the shuffling


@pytest.mark.task(id="1.9")
def test_accuracy_counts_the_logits_signs():
    model = MLP(1, [1])
    set_weights(model.parameters(), [1.0, -0.5])  # logit = x - 0.5
    assert accuracy(model, [[0.0], [1.0], [2.0], [0.2]], [0, 1, 0, 1]) == 0.5
