"""Lab 3, second half: nn modules, AdamW, a stable loss, schedules and the digits milestone.

Each test checks behaviour against values worked out by hand (written next to them), an
invariant, or finite differences; none carries an implementation to read.
"""
import math

import numpy as np
import pytest

import minitorch
import minitorch.nn.functional as F
from minitorch import nn
from minitorch.nn import init
from minitorch.data import DataLoader, TensorDataset
from minitorch.examples import mlp
from minitorch.optim import SGD, Adam, AdamW, lr_scheduler
from minitorch.testing import gradcheck


class Net(nn.Module):
    """An own parameter, a persistent and a non-persistent buffer, and two children."""

    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(minitorch.ones(2, dtype=minitorch.float64))
        self.register_buffer("count", minitorch.zeros(1, dtype=minitorch.float64))
        self.register_buffer("scratch", minitorch.zeros(3, dtype=minitorch.float64), persistent=False)
        self.fc = nn.Linear(3, 2, dtype=minitorch.float64)
        self.blocks = nn.Sequential(nn.Linear(2, 2, bias=False, dtype=minitorch.float64), nn.ReLU())


KEYS = ["scale", "count", "fc.weight", "fc.bias", "blocks.0.weight"]  # PyTorch's keys for Net, in its order
SHAPES = [(2,), (1,), (2, 3), (2,), (2, 2)]


def numbered_state():
    """A state dict for Net whose k-th entry holds k, k + 1, ...: every value tells where it came from."""
    return {k: np.arange(np.prod(s), dtype=np.float64).reshape(s) + 10 * i
            for i, (k, s) in enumerate(zip(KEYS, SHAPES))}


# ----------------------------------------------------------------------------- 3.9 state dicts

@pytest.mark.task(id="3.9")
def test_state_dict_keys_values_and_order():
    net = Net()
    state = net.state_dict()
    assert list(state) == KEYS, "own parameters, own persistent buffers, then each child's, by dotted name"
    assert all(not v.requires_grad for v in state.values()), "state_dict holds detached tensors"
    np.testing.assert_array_equal(state["fc.weight"].numpy(), net.fc.weight.detach().numpy())
    assert list(net.state_dict(keep_vars=True).values())[0] is net.scale


@pytest.mark.task(id="3.9")
def test_load_state_dict_copies_every_value():
    net, given = Net(), numbered_state()
    result = net.load_state_dict(given)
    assert (list(result.missing_keys), list(result.unexpected_keys)) == ([], [])
    for key, value in net.state_dict().items():
        np.testing.assert_array_equal(value.numpy(), given[key], err_msg=key)
    assert isinstance(net.fc.weight, nn.Parameter) and net.fc.weight.requires_grad


@pytest.mark.task(id="3.9")
def test_load_state_dict_not_strict_reports_missing_and_unexpected():
    net, given = Net(), numbered_state()
    del given["fc.bias"]
    given["fc.extra"] = np.zeros(1)
    result = net.load_state_dict(given, strict=False)
    assert (list(result.missing_keys), list(result.unexpected_keys)) == (["fc.bias"], ["fc.extra"])
    np.testing.assert_array_equal(net.blocks[0].weight.detach().numpy(), [[40.0, 41.0], [42.0, 43.0]])


@pytest.mark.task(id="3.9")
@pytest.mark.parametrize("change", ["extra key", "missing key", "wrong shape"])
def test_load_state_dict_checks_everything_before_copying(change):
    net, given = Net(), numbered_state()
    before = {k: v.numpy().copy() for k, v in net.state_dict().items()}
    if change == "extra key":
        given["fc.extra"] = np.zeros(1)
    elif change == "missing key":
        del given["count"]
    else:
        given["fc.bias"] = np.zeros(3)
    with pytest.raises(RuntimeError):
        net.load_state_dict(given)
    for key, value in net.state_dict().items():
        np.testing.assert_array_equal(value.numpy(), before[key], err_msg=f"{key} changed although loading failed")


# ----------------------------------------------------------------------------- 3.10 zero_grad

def layer_with_grads():
    layer = nn.Linear(2, 1, dtype=minitorch.float64)
    grads = [minitorch.ones(*p.shape, dtype=minitorch.float64) for p in layer.parameters()]
    for p, g in zip(layer.parameters(), grads):
        p.grad = g
    return layer, grads


@pytest.mark.task(id="3.10")
@pytest.mark.parametrize("owner", ["optimizer", "module"])
def test_zero_grad_sets_none(owner):
    layer, _ = layer_with_grads()
    (SGD(layer.parameters(), lr=0.1) if owner == "optimizer" else layer).zero_grad()
    assert [p.grad for p in layer.parameters()] == [None, None]


@pytest.mark.task(id="3.10")
@pytest.mark.parametrize("owner", ["optimizer", "module"])
def test_zero_grad_fills_zeros_in_place(owner):
    layer, grads = layer_with_grads()
    (SGD(layer.parameters(), lr=0.1) if owner == "optimizer" else layer).zero_grad(set_to_none=False)
    for p, g in zip(layer.parameters(), grads):
        assert p.grad is g, "the same gradient tensor, filled with zeros"
        np.testing.assert_array_equal(g.numpy(), np.zeros(g.shape))


# ----------------------------------------------------------------------------- 3.11 AdamW

def one_step(make, theta=1.0, grad=0.5):
    p = nn.Parameter(minitorch.tensor([theta], dtype=minitorch.float64))
    opt = make([p])
    p.grad = minitorch.tensor([grad], dtype=minitorch.float64)
    opt.step()
    return p.item()


@pytest.mark.task(id="3.11")
def test_adamw_first_step_decays_the_weight_not_the_gradient():
    # shrink: 1 * (1 - 0.1 * 0.5) = 0.95; Adam's first step moves by lr g / |g| = 0.1 (eps aside)
    assert one_step(lambda ps: AdamW(ps, lr=0.1, weight_decay=0.5)) == pytest.approx(0.85, rel=1e-7)
    # Adam's L2 penalty instead joins the gradient (0.5 + 0.5 * 1), whose step is again 0.1
    assert one_step(lambda ps: Adam(ps, lr=0.1, weight_decay=0.5)) == pytest.approx(0.9, rel=1e-7)


@pytest.mark.task(id="3.11")
def test_adamw_maximize():
    assert one_step(lambda ps: AdamW(ps, lr=0.1, weight_decay=0.5, maximize=True)) == pytest.approx(1.05, rel=1e-7)


@pytest.mark.task(id="3.11")
def test_adamw_with_zero_gradients_only_shrinks():
    p = nn.Parameter(minitorch.tensor([2.0, -4.0], dtype=minitorch.float64))
    opt = AdamW([p], lr=0.1, weight_decay=0.2)
    for _ in range(3):
        p.grad = minitorch.zeros(2, dtype=minitorch.float64)
        opt.step()
    np.testing.assert_allclose(p.detach().numpy(), np.array([2.0, -4.0]) * 0.98**3, rtol=1e-12)


# ----------------------------------------------------------------------------- 3.12 BCE with logits

def logits(values):
    return minitorch.tensor(values, dtype=minitorch.float64, requires_grad=True)


@pytest.mark.task(id="3.12")
def test_bce_with_logits_values():
    x = logits([0.0, 0.0, 800.0, -800.0, 800.0])
    target = minitorch.tensor([1.0, 0.0, 1.0, 1.0, 0.0], dtype=minitorch.float64)
    loss = F.binary_cross_entropy_with_logits(x, target, reduction="none")
    # -log sigmoid(0) = log 2; a confident right answer costs 0, a confident wrong one |x|
    np.testing.assert_allclose(loss.detach().numpy(), [math.log(2), math.log(2), 0.0, 800.0, 800.0], atol=1e-12)
    loss.backward(minitorch.ones(5, dtype=minitorch.float64))
    np.testing.assert_allclose(x.grad.numpy(), [-0.5, 0.5, 0.0, -1.0, 1.0], atol=1e-12)  # sigmoid(x) - t


@pytest.mark.task(id="3.12")
def test_bce_with_logits_weights():
    target = minitorch.tensor([[1.0, 0.0]], dtype=minitorch.float64)
    weight = minitorch.tensor([2.0, 0.5], dtype=minitorch.float64)
    pos_weight = minitorch.tensor([3.0, 3.0], dtype=minitorch.float64)
    loss = F.binary_cross_entropy_with_logits(logits([[0.0, 0.0]]), target, weight=weight, pos_weight=pos_weight,
                                              reduction="none")
    # the positive target is weighed by pos_weight 3 and weight 2; the negative one only by weight 0.5
    np.testing.assert_allclose(loss.detach().numpy(), [[6 * math.log(2), 0.5 * math.log(2)]], rtol=1e-12)


@pytest.mark.task(id="3.12")
def test_bce_with_logits_gradient():
    rng = np.random.default_rng(0)
    target = minitorch.tensor(rng.uniform(0, 1, (3, 4)), dtype=minitorch.float64)
    pos_weight = minitorch.tensor(rng.uniform(0.5, 2, 4), dtype=minitorch.float64)
    x = logits(rng.uniform(-4, 4, (3, 4)))
    assert gradcheck(lambda x: F.binary_cross_entropy_with_logits(x, target, pos_weight=pos_weight), (x,))


# ----------------------------------------------------------------------------- 3.13 schedules

def learning_rates(make, epochs=6, lr=1.0):
    opt = SGD([nn.Parameter(minitorch.zeros(1))], lr=lr)
    schedule, lrs = make(opt), []
    for _ in range(epochs):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        schedule.step()
    return lrs


@pytest.mark.task(id="3.13")
def test_step_lr():
    lrs = learning_rates(lambda o: lr_scheduler.StepLR(o, step_size=2, gamma=0.5))
    assert lrs == pytest.approx([1.0, 1.0, 0.5, 0.5, 0.25, 0.25])


@pytest.mark.task(id="3.13")
def test_cosine_annealing_goes_down_and_back_up():
    lrs = learning_rates(lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=2, eta_min=0.1), epochs=7)
    # 0.1 + 0.45 (1 + cos(pi t / 2)) for t = 0 .. 6
    assert lrs == pytest.approx([1.0, 0.55, 0.1, 0.55, 1.0, 0.55, 0.1], abs=1e-12)


@pytest.mark.task(id="3.13")
def test_schedules_follow_each_group():
    first, second = nn.Parameter(minitorch.zeros(1)), nn.Parameter(minitorch.zeros(1))
    opt = SGD([{"params": [first], "lr": 0.2}, {"params": [second]}], lr=1.0)
    schedule = lr_scheduler.StepLR(opt, step_size=1, gamma=0.1)
    opt.step()
    schedule.step()
    assert [g["lr"] for g in opt.param_groups] == pytest.approx([0.02, 0.1])


# ----------------------------------------------------------------------------- 3.14 the milestone's parts

def two_blobs():
    """Two classes of points, left and right of x = 0 (every label decided by the first feature)."""
    x = np.random.default_rng(0).uniform(-1, 1, (64, 2))
    x[:, 0] += np.where(x[:, 0] > 0, 0.5, -0.5)
    return TensorDataset(minitorch.tensor(x, dtype=minitorch.float32),
                         minitorch.tensor((x[:, 0] > 0).astype(np.int64)))


@pytest.mark.task(id="3.14")
def test_evaluate_counts_the_right_answers():
    model = nn.Linear(2, 2)
    with minitorch.no_grad():
        model.weight.copy_(minitorch.tensor([[-1.0, 0.0], [1.0, 0.0]]))  # class 1 where x > 0: all right
        model.bias.zero_()
    data = two_blobs()
    assert mlp.evaluate(model, data) == 1.0
    assert model.training, "evaluate puts the model back in training mode"
    with minitorch.no_grad():
        model.weight.mul_(-1)  # now every answer is wrong
    assert mlp.evaluate(model, data) == 0.0


@pytest.mark.task(id="3.14")
def test_train_epoch_steps_once_per_batch_and_learns():
    minitorch.manual_seed(0)
    data = two_blobs()
    model = mlp.make_mlp(2, (8,), 2)
    optimizer = Adam(model.parameters(), lr=0.05)
    losses = [mlp.train_epoch(model, DataLoader(data, batch_size=16), optimizer) for _ in range(10)]
    assert isinstance(losses[0], float)
    assert optimizer.state[model[0].weight]["step"] == 40, "4 batches an epoch, one step each"
    assert losses[-1] < losses[0] / 2
    assert mlp.evaluate(model, data) >= 0.95


# ----------------------------------------------------------------------------- 3.15 BCE on probabilities

@pytest.mark.task(id="3.15")
def test_binary_cross_entropy_values_and_gradients():
    x = logits([0.5, 0.25, 0.0, 1.0])
    target = logits([1.0, 0.0, 1.0, 1.0])
    loss = F.binary_cross_entropy(x, target, reduction="none")
    # log 2; -log 0.75; log 0 clamped to -100; a sure right answer costs 0
    np.testing.assert_allclose(loss.detach().numpy(), [math.log(2), -math.log(0.75), 100.0, 0.0], atol=1e-12)
    loss.backward(minitorch.ones(4, dtype=minitorch.float64))
    # dl/dx = (x - t) / (x (1 - x)), the denominator at least 1e-12; dl/dt = log(1 - x) - log x, clamped
    np.testing.assert_allclose(x.grad.numpy(), [-2.0, 4 / 3, -1e12, 0.0], rtol=1e-12)
    np.testing.assert_allclose(target.grad.numpy()[:2], [0.0, math.log(3)], rtol=1e-12, atol=1e-12)


@pytest.mark.task(id="3.15")
def test_binary_cross_entropy_gradient():
    rng = np.random.default_rng(0)
    x, target = logits(rng.uniform(0.05, 0.95, (3, 4))), logits(rng.uniform(0, 1, (3, 4)))
    assert gradcheck(lambda x, t: F.binary_cross_entropy(x, t, reduction="none"), (x, target))


# ----------------------------------------------------------------------------- 3.16 initialisation

def empty(*shape):
    return minitorch.empty(*shape, dtype=minitorch.float64)


@pytest.mark.task(id="3.16")
def test_glorot_and_he_normal_have_the_right_spread():
    minitorch.manual_seed(0)
    w = init.xavier_normal_(empty(200, 300), gain=2.0).detach().numpy()
    assert w.std() == pytest.approx(2.0 * math.sqrt(2 / (200 + 300)), rel=0.03)  # fan_in 300, fan_out 200
    conv = init.kaiming_normal_(empty(50, 8, 3, 3), mode="fan_out", nonlinearity="relu").detach().numpy()
    assert conv.std() == pytest.approx(math.sqrt(2) / math.sqrt(50 * 9), rel=0.03)  # fan_out = 50 * 3 * 3
    assert abs(conv.mean()) < 0.01


@pytest.mark.task(id="3.16")
def test_trunc_normal_redraws_instead_of_clipping():
    minitorch.manual_seed(0)
    x = init.trunc_normal_(empty(20000), mean=0.0, std=1.0, a=-0.5, b=1.0).detach().numpy()
    assert x.min() >= -0.5 and x.max() <= 1.0
    assert np.mean((x == -0.5) | (x == 1.0)) < 0.001, "no pile of samples on the bounds"
    # the mean of N(0, 1) given -0.5 <= x <= 1: (phi(-0.5) - phi(1)) / (Phi(1) - Phi(-0.5)) = 0.2066
    assert x.mean() == pytest.approx(0.2066, abs=0.02)
    with pytest.raises(ValueError):
        init.trunc_normal_(empty(3), mean=0.0, std=1.0, a=50.0, b=60.0)


@pytest.mark.task(id="3.16")
@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (2, 2, 3)])
def test_orthogonal(shape):
    w = init.orthogonal_(empty(*shape), gain=0.5).detach().numpy().reshape(shape[0], -1)
    product = w @ w.T if w.shape[0] <= w.shape[1] else w.T @ w
    np.testing.assert_allclose(product, 0.25 * np.eye(min(w.shape)), atol=1e-12)


@pytest.mark.task(id="3.10")
def test_train_and_eval_reach_every_descendant():
    net = Net()
    assert net.eval() is net
    assert [m.training for m in net.modules()] == [False] * 5  # Net, fc, blocks, blocks.0, blocks.1
    assert net.train() is net and all(m.training for m in net.modules())
    net.blocks.train(False)
    assert (net.training, net.fc.training, net.blocks[0].training, net.blocks[1].training) == (True, True, False, False)


@pytest.mark.task(id="3.10")
def test_requires_grad_freezes_every_parameter():
    net = Net()
    assert net.blocks.requires_grad_(False) is net.blocks
    assert [name for name, p in net.named_parameters() if p.requires_grad] == ["scale", "fc.weight", "fc.bias"]
    net.requires_grad_()
    assert all(p.requires_grad for p in net.parameters())
