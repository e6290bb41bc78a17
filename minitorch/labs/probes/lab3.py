"""Probes of lab 3 (activations, losses, optimisers, nn modules, schedules and the digits milestone)."""
import math

import numpy as np

from . import (ANSWER, away_from_zero, load_trained, near_ties, parameters_and_buffers, probe, seed, trained,
               uniform, value_and_grads)


def _activation(extremes):
    return lambda rng: {"x": np.concatenate([uniform(rng, 10, -4, 4), extremes]), "up": seed(rng)}


@probe("3.1", _activation([-1.5, 2.0]), "minitorch/functions/pointwise.py, ReLU.backward (task 3.1): "
       "dL/dy where x > 0, else 0")
def relu_backward(load, x):
    return value_and_grads(load, lambda t: t.relu(), (x["x"],), x["up"])


@probe("3.2", _activation([-800.0, 800.0]), "minitorch/functions/pointwise.py, Sigmoid.backward (task 3.2): "
       "dL/dy * y (1 - y) from the saved output y (no exp of large numbers)", atol=1e-12)
def sigmoid_backward(load, x):
    return value_and_grads(load, lambda t: t.sigmoid(), (x["x"],), x["up"])


def _logits(rng):
    return {"x": uniform(rng, (3, 4), -3, 3), "big": uniform(rng, (2, 3), 995, 1005), "up": seed(rng)}


@probe("3.3", _logits, "minitorch/functions/softmax.py, Softmax.backward (task 3.3): "
       "y * (dL/dy - sum_j dL/dy_j y_j) along dim")
def softmax_backward(load, x):
    F = load("minitorch.nn.functional")
    found = {}
    for dim in (0, 1, -1):
        found.update(value_and_grads(load, lambda t: F.softmax(t, dim=dim), (x["x"],), x["up"], f"dim{dim}_"))
    return found


@probe("3.4", _logits, "minitorch/functions/softmax.py, LogSoftmax.backward (task 3.4): "
       "dL/dy - softmax(x) * sum_j dL/dy_j along dim")
def log_softmax_backward(load, x):
    F = load("minitorch.nn.functional")
    found = {}
    for dim in (0, 1):
        found.update(value_and_grads(load, lambda t: F.log_softmax(t, dim=dim), (x["x"],), x["up"], f"dim{dim}_"))
    found.update(value_and_grads(load, lambda t: F.log_softmax(t, dim=1), (x["big"],), x["up"], "large_"))
    return found


@probe("3.5", lambda rng: {"x": uniform(rng, (4, 3)), "y": uniform(rng, (4, 3)), "up": seed(rng)},
       "minitorch/nn/functional/loss.py, mse_loss (task 3.5): (input - target)^2, reduced")
def mse_loss(load, x):
    F, m = load("minitorch.nn.functional"), load("minitorch")
    target = m.tensor(x["y"], dtype=m.float64)
    found = {}
    for reduction in ("mean", "none"):  # "sum" would also run Sum.backward (task 2.4): its value only
        found.update(value_and_grads(load, lambda t: F.mse_loss(t, target, reduction=reduction), (x["x"],),
                                     x["up"], f"{reduction}_"))
    found["sum"] = F.mse_loss(m.tensor(x["x"], dtype=m.float64), target, reduction="sum").detach().numpy()
    return found


def _classes(rng):
    target = rng.integers(0, 3, 5)
    return {"logits": uniform(rng, (5, 3), -3, 3), "target": target, "weight": rng.uniform(0.5, 2.0, 3),
            "dropped": np.where(np.arange(5) == 2, -100, target), "up": seed(rng)}


@probe("3.6", _classes, "minitorch/nn/functional/loss.py, nll_loss (task 3.6): -log p of each target times "
       "its class weight, 0 where ignore_index")
def cross_entropy(load, x):
    F, m = load("minitorch.nn.functional"), load("minitorch")
    target, dropped = (m.tensor(x[k], dtype=m.int64) for k in ("target", "dropped"))
    weight = m.tensor(x["weight"], dtype=m.float64)
    found = value_and_grads(load, lambda t: F.cross_entropy(t, target), (x["logits"],), x["up"], "mean_")
    found.update(value_and_grads(load, lambda t: F.cross_entropy(t, target, reduction="none"), (x["logits"],),
                                 x["up"], "none_"))
    found.update(value_and_grads(load, lambda t: F.cross_entropy(t, dropped, weight=weight), (x["logits"],),
                                 x["up"], "weighted_"))
    return found


def _steps(rng):
    return {"start": uniform(rng, 4), "grads": uniform(rng, (3, 4))}


def run_optimizer(load, x, make, steps=None):
    """The parameters after each step of the optimiser ``make`` with the given gradients."""
    m = load("minitorch")
    p = load("minitorch.nn").Parameter(m.tensor(x["start"], dtype=m.float64))
    opt = make(load("minitorch.optim"), [p])
    after = []
    for g in x["grads"][:steps]:
        p.grad = m.tensor(g, dtype=m.float64)
        opt.step()
        after.append(p.detach().numpy().copy())
    return np.array(after)


SGD_OPTIONS = [dict(momentum=0.9), dict(momentum=0.5, dampening=0.5), dict(momentum=0.9, nesterov=True),
               dict(momentum=0.8, weight_decay=0.1)]


@probe("3.7", _steps, "minitorch/optim/sgd.py, SGD.step (task 3.7): b = momentum b + (1 - dampening) g, "
       "step along b (nesterov: g + momentum b)", rtol=1e-10)
def sgd_momentum(load, x):
    return {f"options{k}": run_optimizer(load, x, lambda o, ps: o.SGD(ps, lr=0.1, **options))
            for k, options in enumerate(SGD_OPTIONS)}


ADAM_OPTIONS = [dict(), dict(betas=(0.5, 0.9), eps=1e-3), dict(amsgrad=True), dict(weight_decay=0.1)]


def adam_hint(x, got, expected):
    """Adam without bias correction takes a first step sqrt(1 - beta2) / (1 - beta1) = 3.16 times too long."""
    first_got = got.get("options0")
    if first_got is None or np.shape(first_got) != np.shape(expected["options0"]):
        return None
    step_got = np.abs(first_got[0] - x["start"])
    step_expected = np.abs(expected["options0"][0] - x["start"])
    ratio = float(np.median(step_got / np.maximum(step_expected, 1e-300)))
    known = {0.1 / np.sqrt(0.001): "neither m nor v is bias-corrected", 1 / np.sqrt(0.001): "only m is bias-corrected",
             0.1: "only v is bias-corrected"}
    for factor, what in known.items():
        if abs(ratio / factor - 1) < 0.02:
            return (f"Hint: your first step is {ratio:.3g} times the expected one: {what}. Use m_hat = m / "
                    f"(1 - beta1^t) and v_hat = v / (1 - beta2^t), with t counting steps from 1.")
    return None


@probe("3.8", _steps, "minitorch/optim/adam.py, Adam.step (task 3.8): m, v updated in place, then "
       "param -= lr m_hat / (sqrt(v_hat) + eps) with bias-corrected m_hat, v_hat", rtol=1e-9,
       diagnose=adam_hint)
def adam(load, x):
    return {f"options{k}": run_optimizer(load, x, lambda o, ps: o.Adam(ps, lr=0.01, **options))
            for k, options in enumerate(ADAM_OPTIONS)}


# ----------------------------------------------------------------------------- 3.9 - 3.14 nn and optim

STATE_KEYS = ("scale", "count", "fc.weight", "fc.bias", "blocks.0.weight")  # the order PyTorch gives


def small_net(m, nn):
    """A module with an own parameter, a persistent and a non-persistent buffer and two children."""
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = nn.Parameter(m.ones(2, dtype=m.float64))
            self.register_buffer("count", m.zeros(1, dtype=m.float64))
            self.register_buffer("scratch", m.zeros(3, dtype=m.float64), persistent=False)
            self.fc = nn.Linear(3, 2, dtype=m.float64)
            self.blocks = nn.Sequential(nn.Linear(2, 2, bias=False, dtype=m.float64), nn.ReLU())

    return Net()


def _state(rng):
    return {"params": seed(rng), **{key: uniform(rng, shape) for key, shape in
                                    zip(STATE_KEYS, [(2,), (1,), (2, 3), (2,), (2, 2)])}}


def _order(keys):
    return np.array([STATE_KEYS.index(k) if k in STATE_KEYS else -1 for k in keys])


def _values(net):
    return {f"after_{k}": v.detach().numpy().copy() for k, v in net.state_dict().items()}


@probe("3.9", _state, "minitorch/nn/module.py, Module.state_dict and load_state_dict (task 3.9): dotted keys "
       "in registration order (own parameters, own persistent buffers, then each child's), checked before copying")
def state_dict(load, x):
    m, nn = load("minitorch"), load("minitorch.nn")
    net = small_net(m, nn)
    rng = np.random.default_rng(int(x["params"]))
    with m.no_grad():  # each parameter by its attribute: named_parameters is task 3.18's
        for p in (net.scale, net.fc.weight, net.fc.bias, net.blocks[0].weight):
            p.copy_(m.tensor(0.3 * rng.standard_normal(tuple(p.shape)), dtype=p.dtype))
    saved = net.state_dict()
    found = {"order": _order(saved), "detached": np.array([v.requires_grad for v in saved.values()])}
    found.update({f"saved_{k}": v.numpy().copy() for k, v in saved.items()})
    given = {k: x[k] for k in STATE_KEYS}
    missing, unexpected = net.load_state_dict({**given, "extra": np.zeros(1)}, strict=False)
    found.update(missing=_order(missing), unexpected=np.array([len(unexpected)]), **_values(net))
    for name, bad in (("strict", {**given, "extra": np.zeros(1)}), ("shape", {**given, "fc.bias": np.zeros(3)})):
        net.load_state_dict(saved | {k: v.clone() + 1 for k, v in saved.items()}, strict=True)
        try:
            net.load_state_dict(bad)
            found[f"{name}_raised"] = np.array(False)
        except RuntimeError:
            found[f"{name}_raised"] = np.array(True)
        found[f"{name}_unchanged"] = net.state_dict()["fc.weight"].numpy().copy()
    return found


@probe("3.10", lambda rng: {"start": uniform(rng, 3), "grad": uniform(rng, 3)},
       "minitorch/optim/optimizer.py, Optimizer.zero_grad and minitorch/nn/module.py, Module.zero_grad, train, "
       "requires_grad_ (task 3.10): every grad None, or the same grad tensor filled with 0 with set_to_none=False; "
       "the mode and requires_grad set on every descendant")
def zero_grad(load, x):
    m, nn = load("minitorch"), load("minitorch.nn")
    found = {}
    for owner in ("optimizer", "module"):
        layer = nn.Linear(3, 1, dtype=m.float64)
        zero = (load("minitorch.optim").SGD(layer.parameters(), lr=0.1).zero_grad if owner == "optimizer"
                else layer.zero_grad)
        for set_to_none in (False, True):
            grads = [m.tensor(np.resize(x["grad"], tuple(p.shape)), dtype=m.float64) for p in layer.parameters()]
            for p, g in zip(layer.parameters(), grads):
                p.grad = g
            zero(set_to_none=set_to_none)
            found[f"{owner}_{set_to_none}_none"] = np.array([p.grad is None for p in layer.parameters()])
            if not set_to_none:
                found[f"{owner}_same"] = np.array([p.grad is g for p, g in zip(layer.parameters(), grads)])
                found[f"{owner}_zeros"] = np.concatenate([g.numpy().ravel() for g in grads])
    net = small_net(m, nn)
    for name, call in (("eval", lambda: net.eval()), ("train", lambda: net.train()),
                       ("child_eval", lambda: net.blocks.train(False))):
        found[f"{name}_returns_self"] = np.array(call() is net or name == "child_eval")
        found[f"{name}_modes"] = np.array([module.training for module in net.modules()])
    net.fc.requires_grad_(False)
    found["frozen"] = np.array([p.requires_grad for p in net.parameters()])
    return found


ADAMW_OPTIONS = [dict(weight_decay=0.5), dict(weight_decay=0.1, maximize=True), dict(weight_decay=0.0)]


@probe("3.11", _steps, "minitorch/optim/optimizer.py, decayed_grad (task 3.11): AdamW shrinks param by "
       "(1 - lr weight_decay) first, and its gradient carries no penalty", rtol=1e-9)
def adamw(load, x):
    return {f"options{k}": run_optimizer(load, x, lambda o, ps: o.AdamW(ps, lr=0.05, **options))
            for k, options in enumerate(ADAMW_OPTIONS)}


def _binary(rng):
    return {"logits": np.concatenate([uniform(rng, (3, 3), -4, 4), [[-800.0, 800.0, 0.0]]]),
            "target": rng.uniform(0, 1, (4, 3)), "weight": rng.uniform(0.5, 2, 3),
            "pos_weight": rng.uniform(0.5, 3, 3), "up": seed(rng)}


@probe("3.12", _binary, "minitorch/nn/functional/loss.py, binary_cross_entropy_with_logits (task 3.12): "
       "-w (r t log sigmoid(x) + (1 - t) log(1 - sigmoid(x))), finite for logits of +-800")
def bce_with_logits(load, x):
    F, m = load("minitorch.nn.functional"), load("minitorch")
    target, weight, pos = (m.tensor(x[k], dtype=m.float64) for k in ("target", "weight", "pos_weight"))
    found = value_and_grads(load, lambda t: F.binary_cross_entropy_with_logits(t, target, reduction="none"),
                            (x["logits"],), x["up"], "none_")
    found.update(value_and_grads(load, lambda t: F.binary_cross_entropy_with_logits(
        t, target, weight=weight, pos_weight=pos, reduction="none"), (x["logits"],), x["up"], "weighted_"))
    return found


def _schedule(rng):
    return {"lr": rng.uniform(0.05, 0.5, 1), "gamma": rng.uniform(0.1, 0.9, 1), "step_size": rng.integers(1, 4, 1),
            "T_max": rng.integers(2, 5, 1), "eta_min": rng.uniform(0, 0.01, 1)}


def learning_rates(load, x, make, epochs=12):
    """The learning rate of each epoch under the scheduler ``make(lr_scheduler, optimizer)``."""
    m, optim = load("minitorch"), load("minitorch.optim")
    p = load("minitorch.nn").Parameter(m.zeros(1, dtype=m.float64))
    opt = optim.SGD([p], lr=float(x["lr"][0]))
    schedule, lrs = make(optim.lr_scheduler, opt), []
    for _ in range(epochs):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        schedule.step()
    return np.array(lrs)


@probe("3.13", _schedule, "minitorch/optim/lr_scheduler/decay.py StepLR.get_lr and cosine.py "
       "CosineAnnealingLR.get_lr (task 3.13): lr gamma^floor(t / step_size); the half-cosine to eta_min and back",
       rtol=1e-10)
def schedules(load, x):
    step_size, gamma, T_max, eta_min = int(x["step_size"][0]), float(x["gamma"][0]), int(x["T_max"][0]), float(
        x["eta_min"][0])
    return {"step": learning_rates(load, x, lambda s, o: s.StepLR(o, step_size, gamma)),
            "cosine": learning_rates(load, x, lambda s, o: s.CosineAnnealingLR(o, T_max, eta_min))}


DIGITS_THRESHOLD = 0.92


def shipped_test_labels(file):
    """The labels of the test split of ``file``, a data set shipped in minitorch/data/files
    ("digits.npz", "mnist_5k.npz"), read by the grader from its own copy of the reference: the
    milestones' children return trained parameters only. Both sets split as ``minitorch.data.digits
    ._test_mask`` does (test fraction 0.2, seed 0): in each class, the first round(0.2 n) members
    of numpy's ``RandomState(0)`` permutation, kept in the file's order. A lab test checks that
    this gives the labels of ``load_digits("test")`` and ``MNIST(train=False)``."""
    from ..grader import default_reference  # the grader's side only: the child never checks

    with np.load(default_reference() / "minitorch" / "data" / "files" / file, allow_pickle=False) as data:
        labels = data["labels"]
    shuffle, test = np.random.RandomState(0), np.zeros(len(labels), dtype=bool)
    for digit in range(10):
        members = np.flatnonzero(labels == digit)
        test[shuffle.permutation(members)[:int(round(0.2 * len(members)))]] = True
    return labels[test]


def check_predictions(x, got, file, threshold, run):
    """None if the trained model's most likely classes of the test split of ``file`` (from the
    logits the reference computed with its parameters, ``got["logits"]``) reach ``threshold``
    against the grader's own labels, and the student's own functions agree with that model:
    ``evaluate``'s accuracy against random labels the grader drew (``x["chance"]``), and
    ``predict``'s classes of random images (``x["images"]``; the reference's logits
    ``got["image_logits"]``), up to near ties; else what is wrong. ``run`` says how the model was
    trained."""
    labels, logits = shipped_test_labels(file), np.asarray(got["logits"], dtype=float)
    if logits.shape != (len(labels), 10):
        return f"expected the logits of {len(labels)} test images, got an array of shape {logits.shape}"
    predicted = logits.argmax(axis=1)
    if "chance" in x:
        reported = float(np.asarray(got[ANSWER + "evaluate"]).reshape(-1)[0])
        agree = float(np.mean(predicted == x["chance"]))
        if not abs(reported - agree) <= np.mean(near_ties(logits)) + 1e-6:
            return (f"evaluate gave {reported:.4f} for the test images with labels the grader drew, but the "
                    f"trained model's most likely classes match {agree:.4f} of those labels")
    if "images" in x:
        image_logits, mine = np.asarray(got["image_logits"], dtype=float), np.asarray(got[ANSWER + "predict"])
        if mine.shape != (len(image_logits),):
            return f"predict gave an array of shape {mine.shape} for {len(image_logits)} images"
        differ = int(np.sum((mine != image_logits.argmax(axis=1)) & ~near_ties(image_logits)))
        if differ:
            return (f"predict's classes of random images the grader drew differ from the trained model's most "
                    f"likely classes for {differ} of {len(mine)} (the model: the docstring's forward with your "
                    f"trained parameters; predict: evaluation mode, no graph)")
    accuracy = float(np.mean(predicted == labels))
    if not accuracy >= threshold:
        return f"test accuracy {accuracy:.2%} after {run}, below the threshold {threshold:.0%}"
    return None


def digits_inputs(rng):
    """The training seed, and random labels for the test digits that ``evaluate`` is checked against."""
    return {"seed": np.array(0), "chance": rng.integers(0, 10, len(shipped_test_labels("digits.npz")))}


def check_digits(x, got):
    """The milestone's test accuracy must reach ``DIGITS_THRESHOLD``."""
    return check_predictions(x, got, "digits.npz", DIGITS_THRESHOLD, "5 epochs (the reference reaches about 95%)")


def digits_trained(load, model, chance):
    """What the child returns for a trained digits MLP: its parameters, and ``evaluate``'s accuracy
    on the test digits with the grader's random labels ``chance`` (never the real ones)."""
    m, data, mlp = load("minitorch"), load("minitorch.data"), load("minitorch.examples.mlp")
    shuffled = data.TensorDataset(data.load_digits("test").tensors[0], m.tensor(np.asarray(chance), dtype=m.int64))
    return trained(parameters_and_buffers(model), evaluate=np.array([mlp.evaluate(model, shuffled)]))


def digits_logits(hidden):
    """The ``evaluate`` of a digits milestone whose MLP has the hidden layers ``hidden``: the
    reference's ``make_mlp`` with the trained parameters, and its logits for every test digit."""
    def evaluate(load, x):
        m, data, mlp = load("minitorch"), load("minitorch.data"), load("minitorch.examples.mlp")
        model = load_trained(mlp.make_mlp(64, hidden, 10), x)
        with m.no_grad():
            return {"logits": model(data.load_digits("test").tensors[0]).numpy()}
    return evaluate


@probe("3.14", digits_inputs, "minitorch/examples/mlp.py, train_epoch and evaluate (task 3.14), "
       "and everything they run: Linear, ReLU, cross_entropy, Adam, zero_grad, StepLR", check=check_digits,
       evaluate=digits_logits((64,)))
def digits_milestone(load, x):
    m, optim, data = load("minitorch"), load("minitorch.optim"), load("minitorch.data")
    mlp = load("minitorch.examples.mlp")
    m.manual_seed(int(x["seed"]))
    train = data.load_digits("train")
    model = mlp.make_mlp(64, (64,), 10)
    optimizer = optim.Adam(model.parameters(), lr=3e-3)
    schedule = optim.lr_scheduler.StepLR(optimizer, 2, 0.5)
    for _ in range(5):
        mlp.train_epoch(model, data.DataLoader(train, batch_size=32, shuffle=True), optimizer)
        schedule.step()
    return digits_trained(load, model, x["chance"])


def _probabilities(rng):
    return {"x": np.concatenate([rng.uniform(0.05, 0.95, 6), [0.0, 1.0, 1e-200]]), "t": rng.uniform(0, 1, 9),
            "up": seed(rng)}


@probe("3.15", _probabilities, "minitorch/functions/loss.py, BinaryCrossEntropy.forward and backward (task 3.15): "
       "-(t log x + (1 - t) log(1 - x)) with logs >= -100; dl/dx = (x - t) / max(x (1 - x), 1e-12), "
       "dl/dt = log(1 - x) - log x")
def binary_cross_entropy(load, x):
    F = load("minitorch.nn.functional")
    return value_and_grads(load, lambda p, t: F.binary_cross_entropy(p, t, reduction="none"), (x["x"], x["t"]),
                           x["up"])


def _inits(rng):
    mean, std = rng.uniform(-1, 1), rng.uniform(0.5, 2)
    return {"gain": rng.uniform(0.5, 2, 1), "mean": np.array(mean), "std": np.array(std),
            "bounds": np.sort(mean + std * rng.uniform(-2.5, 2.5, 2)) + np.array([-0.3, 0.3])}


def _close(name, got, want, tolerance):
    if not abs(got - want) <= tolerance:
        return f"{name}: expected about {want:.4g} (within {tolerance:.2g}), got {got:.4g}"
    return None


def check_inits(x, got):
    """The samples' statistics and the orthogonality, within a few standard errors: any random stream passes."""
    gain, mean, std = float(x["gain"][0]), float(x["mean"]), float(x["std"])
    a, b = (float(v) for v in x["bounds"])
    phi = lambda z: math.exp(-z * z / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    cdf = lambda z: 0.5 * (1 + math.erf(z / math.sqrt(2)))  # noqa: E731
    alpha, beta = (a - mean) / std, (b - mean) / std
    truncated_mean = mean + std * (phi(alpha) - phi(beta)) / (cdf(beta) - cdf(alpha))
    samples = got["trunc"]
    if samples.shape != (20000,) or not np.all((samples >= a) & (samples <= b)):
        return f"trunc_normal_: every sample must lie in [a, b] = [{a:.4g}, {b:.4g}]"
    if np.mean((samples == a) | (samples == b)) > 0.001:
        return "trunc_normal_: many samples sit exactly on a bound: redraw them, do not clip"
    for k, (rows, cols) in enumerate([(5, 8), (8, 5), (4, 6)]):
        w = got[f"orthogonal{k}"].reshape(rows, -1)
        product = w @ w.T if rows < w.shape[1] else w.T @ w
        if not np.allclose(product, gain**2 * np.eye(len(product)), atol=1e-10):
            return (f"orthogonal_ of shape {got[f'orthogonal{k}'].shape}: its rows (or columns) are not "
                    f"orthogonal with norm gain")
    checks = [("xavier_normal_ std", got["xavier"].std(), gain * math.sqrt(2 / 500), 0.03 * gain * math.sqrt(2 / 500)),
              ("kaiming_normal_ std", got["kaiming"].std(), math.sqrt(2 / 200), 0.03 * math.sqrt(2 / 200)),
              ("trunc_normal_ mean", samples.mean(), truncated_mean, 5 * std / math.sqrt(20000)),
              ("xavier_normal_ mean", got["xavier"].mean(), 0.0, 0.05 * gain * math.sqrt(2 / 500))]
    return next((problem for problem in (_close(*c) for c in checks) if problem), None)


@probe("3.16", _inits, "minitorch/nn/init.py, xavier_normal_, kaiming_normal_, trunc_normal_, orthogonal_ (task 3.16): "
       "N(0, gain^2 2 / (fan_in + fan_out)), N(0, gain^2 / fan), normal samples redrawn until in [a, b], "
       "Q of a QR decomposition times gain", check=check_inits)
def initialisation(load, x):
    m, init = load("minitorch"), load("minitorch.nn.init")
    gain = float(x["gain"][0])
    found = {"xavier": init.xavier_normal_(m.empty(200, 300, dtype=m.float64), gain=gain),
             "kaiming": init.kaiming_normal_(m.empty(300, 200, dtype=m.float64), nonlinearity="relu"),
             "trunc": init.trunc_normal_(m.empty(20000, dtype=m.float64), float(x["mean"]), float(x["std"]),
                                         *(float(v) for v in x["bounds"]))}
    for k, shape in enumerate([(5, 8), (8, 5), (4, 2, 3)]):
        found[f"orthogonal{k}"] = init.orthogonal_(m.empty(*shape, dtype=m.float64), gain=gain)
    return {name: t.detach().numpy() for name, t in found.items()}


# ----------------------------------------------------------------------------- 3.17 - 3.20 modules, init, Linear

NAMES = ("w", "v", "b", "scratch", "kept", "child", "plain", "a", "c", "d", "shared", "again")


def _indices(names):
    """Names (dotted ones by their last part, and "" as -1) as indices into ``NAMES``."""
    return np.array([NAMES.index(n.rpartition(".")[2]) if n else -1 for n in names])


def _leaf_class(m, nn):
    class Leaf(nn.Module):
        def __init__(self, value):
            super().__init__()
            self.w = nn.Parameter(m.tensor([value], dtype=m.float64))
            self.register_buffer("b", m.zeros(1, dtype=m.float64))

    return Leaf


def _raises(call, error):
    try:
        call()
    except error:
        return True
    return False


@probe("3.17", lambda rng: {"values": uniform(rng, 4)}, "minitorch/nn/module.py, Module.__setattr__, __getattr__, "
       "__delattr__, _forget and register_buffer (task 3.17): each name in one registry, in the order of first "
       "assignment; a registered name takes only its kind or None (TypeError); AttributeError for a missing name")
def registration(load, x):
    m, nn = load("minitorch"), load("minitorch.nn")
    Leaf, values = _leaf_class(m, nn), [float(v) for v in x["values"]]
    net = Leaf(values[0])
    net.v = nn.Parameter(m.tensor([values[1]], dtype=m.float64))
    net.child = Leaf(values[2])
    net.register_buffer("scratch", m.ones(2, dtype=m.float64), persistent=False)
    net.kept = nn.Buffer(m.ones(1, dtype=m.float64))
    net.plain = 7
    net.w = nn.Parameter(m.tensor([values[3]], dtype=m.float64))  # replaced in place
    found = {"read": np.array([float(net.w.detach().numpy()[0]), float(net.v.detach().numpy()[0]),
                               float(net.child.w.detach().numpy()[0])]),
             "plain": np.array([net.plain, "plain" in net.__dict__, "w" in net.__dict__])}
    net.plain = Leaf(0.0)  # a plain attribute's name given to a Module
    net.v = Leaf(0.0)  # a Parameter's name given to a Module
    found.update(parameters=_indices(net._parameters), modules=_indices(net._modules),
                 buffers=_indices(net._buffers), non_persistent=_indices(sorted(net._non_persistent_buffers)),
                 plain_moved=np.array("plain" in net.__dict__))
    found["refused"] = np.array([_raises(lambda: setattr(net, name, wrong), TypeError) for name, wrong in
                                 (("w", m.ones(1)), ("child", 3), ("b", [1.0]), ("v", net.w))])
    net.w, net.child = None, None
    found["cleared"] = np.array([net._parameters.get("w", 0) is None, net.child is None, net.w is None])
    found["missing"] = np.array([_raises(lambda: net.missing, AttributeError),
                                 getattr(net, "missing", "default") == "default"])
    del net.v, net.kept
    found.update(after_delete=_indices([*net._parameters, *net._modules, *net._buffers]),
                 gone=np.array([hasattr(net, "v"), hasattr(net, "kept")]))
    return found


def _tree(m, nn, values):
    Leaf = _leaf_class(m, nn)
    root, a, d, c = (Leaf(float(v)) for v in values)
    a.c = c
    root.a, root.d, root.shared = a, d, c
    return root


@probe("3.18", lambda rng: {"values": uniform(rng, 4)}, "minitorch/nn/module.py, named_modules, named_children and "
       "_named_members (task 3.18): depth first in registration order, dotted names from the prefix, each module "
       "or tensor once unless remove_duplicate=False, registered None skipped")
def traversal(load, x):
    m, nn = load("minitorch"), load("minitorch.nn")
    root = _tree(m, nn, x["values"])
    found = {"modules": _indices(n for n, _ in root.named_modules()),
             "modules_all": _indices(n for n, _ in root.named_modules(remove_duplicate=False)),
             "prefixed": np.array([n.count(".") for n, _ in root.a.named_modules(prefix="net.a")])}
    root.again = root.a
    root.d.w = root.w
    found.update(children=_indices(n for n, _ in root.named_children()),
                 parameters=_indices(n for n, _ in root.named_parameters()),
                 parameters_all=_indices(n for n, _ in root.named_parameters(remove_duplicate=False)),
                 own=_indices(n for n, _ in root.named_parameters(recurse=False)),
                 buffers=_indices(n for n, _ in root.named_buffers()),
                 values=np.array([float(p.detach().numpy()[0]) for p in root.parameters()]),
                 depth=np.array([n.count(".") for n, _ in root.named_parameters(prefix="net")]))
    root.a = None
    found["without_a"] = _indices(n for n, _ in root.named_modules())
    return found


def _gains(rng):
    return {"slope": rng.uniform(0.01, 0.5, 1), "shape": rng.integers(1, 6, 4)}


@probe("3.19", _gains, "minitorch/nn/init.py, calculate_gain and _calculate_fan_in_and_fan_out (task 3.19): the "
       "gain table; fan_in = size(1) * kernel, fan_out = size(0) * kernel; ValueError for a bad name or a 1-D tensor")
def gains_and_fans(load, x):
    m, init = load("minitorch"), load("minitorch.nn.init")
    names = ("linear", "conv2d", "sigmoid", "tanh", "relu", "selu")
    shape = tuple(int(n) for n in x["shape"])
    return {"gains": np.array([init.calculate_gain(n) for n in names]),
            "leaky": np.array([init.calculate_gain("leaky_relu", float(x["slope"][0])),
                               init.calculate_gain("leaky_relu")]),
            "fans": np.array([init._calculate_fan_in_and_fan_out(m.empty(*shape[:k])) for k in (2, 3, 4)]),
            "refused": np.array([_raises(lambda: init.calculate_gain("swish"), ValueError),
                                 _raises(lambda: init._calculate_fan_in_and_fan_out(m.empty(3)), ValueError)])}


def _uniform_inits(rng):
    low = rng.uniform(-2, 1)
    return {"bounds": np.array([low, low + rng.uniform(0.5, 3)]), "gain": rng.uniform(0.5, 2, 1),
            "fan": rng.integers(4, 40, 1)}


def check_uniform_inits(x, got):
    """Every sample inside its bound and reaching near it, with the variance of U(-b, b) = b^2 / 3."""
    a, b = (float(v) for v in x["bounds"])
    gain, fan = float(x["gain"][0]), int(x["fan"][0])
    bounds = {"uniform_": (a, b), "xavier_uniform_": gain * math.sqrt(6 / (300 + 200)),
              "kaiming_uniform_ (mode fan_out, relu)": math.sqrt(2) * math.sqrt(3 / (50 * 9)),
              "default_layer_init_ weight": 1 / math.sqrt(fan), "default_layer_init_ bias": 1 / math.sqrt(fan)}
    for (name, bound), key in zip(bounds.items(), ("uniform", "xavier", "kaiming", "weight", "bias")):
        samples = np.asarray(got[key], dtype=np.float64).ravel()
        low, high = bound if isinstance(bound, tuple) else (-bound, bound)
        if samples.size < 1000 or not np.all((samples >= low) & (samples <= high)):
            return f"{name}: every sample must lie in [{low:.4g}, {high:.4g}]"
        width = high - low
        if samples.min() > low + 0.02 * width or samples.max() < high - 0.02 * width:
            return (f"{name}: the samples should fill [{low:.4g}, {high:.4g}], got [{samples.min():.4g}, "
                    f"{samples.max():.4g}]")
        problem = _close(f"{name} variance", samples.var(), width**2 / 12, 0.1 * width**2 / 12)
        if problem:
            return problem
    if got["empty"].shape != (0, 3):
        return "kaiming_uniform_ of a tensor with no elements must leave it as it is"
    return None


@probe("3.19", _uniform_inits, "minitorch/nn/init.py, uniform_, xavier_uniform_, _kaiming_std, kaiming_uniform_ and "
       "default_layer_init_ (task 3.19): U(a, b); U(-b, b) with b = sqrt(3) std for Glorot and He; Linear's "
       "default U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight and bias", check=check_uniform_inits)
def uniform_initialisers(load, x):
    m, init = load("minitorch"), load("minitorch.nn.init")
    a, b = (float(v) for v in x["bounds"])
    weight, bias = m.empty(2000, int(x["fan"][0]), dtype=m.float64), m.empty(2000, dtype=m.float64)
    init.default_layer_init_(weight, bias)
    found = {"uniform": init.uniform_(m.empty(20000, dtype=m.float64), a, b),
             "xavier": init.xavier_uniform_(m.empty(200, 300, dtype=m.float64), gain=float(x["gain"][0])),
             "kaiming": init.kaiming_uniform_(m.empty(50, 20, 3, 3, dtype=m.float64), mode="fan_out",
                                              nonlinearity="relu"),
             "weight": weight, "bias": bias, "empty": init.kaiming_uniform_(m.empty(0, 3, dtype=m.float64))}
    return {name: t.detach().numpy() for name, t in found.items()}


def _linear(rng):
    n_in, n_out = (int(v) for v in rng.integers(2, 5, 2))
    return {"x": uniform(rng, (2, 3, n_in)), "weight": uniform(rng, (n_out, n_in)), "bias": uniform(rng, n_out),
            "up": seed(rng)}


@probe("3.20", _linear, "minitorch/nn/linear.py, Linear.__init__, reset_parameters and forward (task 3.20): weight "
       "(out, in) and bias (out,) Parameters (bias None when bias=False) of the dtype asked for, initialised by "
       "init.default_layer_init_; y = x W^T + b")
def linear_layer(load, x):
    m, nn = load("minitorch"), load("minitorch.nn")
    n_out, n_in = x["weight"].shape
    layer = nn.Linear(n_in, n_out, dtype=m.float64)
    with m.no_grad():
        layer.weight.copy_(m.tensor(x["weight"], dtype=m.float64))
        layer.bias.copy_(m.tensor(x["bias"], dtype=m.float64))
    found = value_and_grads(load, layer, (x["x"],), x["up"])
    found.update(weight_grad=layer.weight.grad.numpy(), bias_grad=layer.bias.grad.numpy())
    big, plain = nn.Linear(n_in, 500, dtype=m.float64), nn.Linear(n_in, n_out, bias=False)
    bound, drawn = 1 / math.sqrt(n_in), np.abs(np.concatenate([big.weight.detach().numpy().ravel(),
                                                                big.bias.detach().numpy()]))
    found.update(
        kinds=np.array([isinstance(p, nn.Parameter) and p.requires_grad for p in (big.weight, big.bias)]),
        shapes=np.array([*big.weight.shape, *big.bias.shape]), in_bounds=np.array(drawn.max() <= bound),
        spread=np.array(drawn.max() > 0.9 * bound), no_bias=np.array([plain.bias is None, "bias" in plain._parameters,
                                                                       plain.weight.dtype == m.float32]))
    return found


# ----------------------------------------------------------------------------- 3.21 - 3.23 more activations, dropout

@probe("3.21", _activation([-800.0, 0.0, 800.0]), "minitorch/functions/pointwise.py, GELU.forward and backward "
       "(task 3.21): x Phi(x) and Phi(x) + x phi(x), or the tanh form and its derivative", atol=1e-12)
def gelu(load, x):
    F = load("minitorch.nn.functional")
    found = {}
    for approximate in ("none", "tanh"):
        found.update(value_and_grads(load, lambda t: F.gelu(t, approximate=approximate), (x["x"],), x["up"],
                                     f"{approximate}_"))
    return found


SOFTPLUS_ELU = {"softplus": lambda F, t: F.softplus(t), "softplus_beta": lambda F, t: F.softplus(t, 2.0, 3.0),
                "elu": lambda F, t: F.elu(t, alpha=0.7), "selu": lambda F, t: F.selu(t),
                "celu": lambda F, t: F.celu(t, alpha=1.5)}


@probe("3.23", _activation([-800.0, 0.0, 30.0, 800.0]), "minitorch/functions/activation.py, Softplus and ELU "
       "forward and backward (task 3.23): log(1 + e^(b x)) / b (x past the threshold) and s x or s a (e^(k x) - 1), "
       "finite at +-800", atol=1e-12)
def softplus_and_elu(load, x):
    F = load("minitorch.nn.functional")
    found = {}
    for name, fn in SOFTPLUS_ELU.items():
        found.update(value_and_grads(load, lambda t: fn(F, t), (x["x"],), x["up"], f"{name}_"))
    return found


def _dropout(rng):
    return {"x": away_from_zero(rng, (40, 50)), "p": rng.uniform(0.2, 0.7, 1), "seed": seed(rng), "up": seed(rng)}


def _rate_problem(name, dropped, p, count):
    """A dropped fraction more than 5 standard errors from p."""
    if abs(dropped - p) > 5 * math.sqrt(p * (1 - p) / count) + 1e-9:
        return f"{name}: dropped {dropped:.3f} of the elements, expected about p = {p:.3f}"
    return None


DROPOUT_CASES = {"p0": ("p = 0", "the input unchanged"), "eval": ("training=False", "the input unchanged"),
                 "p1": ("p = 1", "zeros"), "p1_grad": ("p = 1, its gradient", "zeros")}


def check_dropout(x, got):
    """Each element kept and scaled by 1/(1-p) or zeroed, at rate p, the gradient through the same
    mask, a mask repeated by manual_seed and fresh on each call; the edge cases exactly."""
    values, p = x["x"], float(x["p"][0])
    out, grad = got["out"], got["grad"]
    if out.shape != values.shape or grad.shape != values.shape:
        return f"dropout: output and gradient must have the input's shape {values.shape}"
    kept = out != 0
    if not np.allclose(out[kept], values[kept] / (1 - p), rtol=1e-12):
        return "dropout: a kept element must be x / (1 - p)"
    upstream = np.random.default_rng(int(x["up"])).standard_normal(values.shape)
    if not np.allclose(grad, np.where(kept, upstream / (1 - p), 0), rtol=1e-12, atol=1e-300):
        return "dropout backward: dL/dx must be dL/dy / (1 - p) where the element was kept, 0 where dropped"
    if not np.array_equal(got["again"], out) or np.array_equal(got["next"], out):
        return "dropout: the same manual_seed must give the same mask, and each call a fresh one"
    for key, (case, want) in DROPOUT_CASES.items():
        if not np.array_equal(got[key], values if want == "the input unchanged" else 0 * values):
            return f"dropout with {case}: expected {want}"
    channels = got["channels"].reshape(16, 20, -1)
    if not (np.all(channels == channels[..., :1]) and set(np.unique(channels)) <= {0.0, 1 / (1 - p)}):
        return "dropout2d: each (sample, channel) map must be kept (scaled by 1/(1-p)) or zeroed whole"
    return (_rate_problem("dropout", 1 - kept.mean(), p, values.size)
            or _rate_problem("dropout2d", (channels[..., 0] == 0).mean(), p, 320))


@probe("3.22", _dropout, "minitorch/nn/functional/linear.py dropout and nn/functional/dropout.py _keep_mask, _scaled "
       "(task 3.22): y = x m / (1 - p), m ~ Bernoulli(1 - p) from rng(), backward through m; p = 0 and eval: x; "
       "p = 1: 0", check=check_dropout)
def dropout(load, x):
    m, F = load("minitorch"), load("minitorch.nn.functional")
    p = float(x["p"][0])
    m.manual_seed(int(x["seed"]))
    found = value_and_grads(load, lambda t: F.dropout(t, p), (x["x"],), x["up"])
    found = {"out": found["value"], "grad": found["grad0"],
             "next": F.dropout(m.tensor(x["x"], dtype=m.float64), p).numpy()}
    m.manual_seed(int(x["seed"]))
    found["again"] = F.dropout(m.tensor(x["x"], dtype=m.float64), p).numpy()
    for key, training, rate in (("p0", True, 0.0), ("eval", False, p)):
        found[key] = F.dropout(m.tensor(x["x"], dtype=m.float64), rate, training).numpy()
    zeroed = value_and_grads(load, lambda t: F.dropout(t, 1.0), (x["x"],), x["up"])
    found.update(p1=zeroed["value"], p1_grad=zeroed["grad0"])
    found["channels"] = F.dropout2d(m.ones(16, 20, 5, 1, dtype=m.float64), p).numpy()
    return found
