"""Solutions to the exercises of lessons 4-6 (left out of the student edition)."""
import numpy as np

import minitorch
from minitorch import nn


def leaky_relu(x, a=0.01):
    """4.1: x where x > 0, a x elsewhere."""
    return minitorch.where(x > 0, x, a * x)


def grad_lse(x):
    """4.5: the gradient of logsumexp from backward()."""
    t = minitorch.tensor(x, dtype=minitorch.float64, requires_grad=True)
    t.logsumexp(dim=0).backward()
    return t.grad.numpy()


def smallest_overflow():
    """4.4: the first integer whose float32 exponential is inf."""
    with np.errstate(over="ignore"):
        return next(x for x in range(80, 100) if np.isinf(np.exp(np.float32(x))))


def adam_path(start, steps, lr=0.3, betas=(0.9, 0.999), eps=1e-8):
    """5.4: Adam on the bowl f = (x^2 + 50 y^2) / 2, gradient (x, 50 y), in numpy."""
    theta, m, v, path = np.array(start, dtype=np.float64), 0.0, 0.0, [np.array(start, dtype=np.float64)]
    for t in range(1, steps + 1):
        g = theta * np.array([1.0, 50.0])
        m = betas[0] * m + (1 - betas[0]) * g
        v = betas[1] * v + (1 - betas[1]) * g * g
        theta = theta - lr * (m / (1 - betas[0] ** t)) / (np.sqrt(v / (1 - betas[1] ** t)) + eps)
        path.append(theta.copy())
    return np.array(path)


def rosenbrock_steps(make_optimizer, steps=2000):
    """5.2, 5.3: the lesson's optimise + steps_to_reach: the first step within 1e-2 of (1, 1), None if never.
    The gradient is written out (the same numbers backward() gives, five times faster)."""
    theta = minitorch.tensor([-1.5, 2.0], dtype=minitorch.float64, requires_grad=True)
    opt = make_optimizer([theta])
    for step in range(1, steps + 1):
        x, y = theta.detach().numpy()
        theta.grad = minitorch.tensor([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
                                      dtype=minitorch.float64)
        opt.step()
        if np.linalg.norm(theta.detach().numpy() - 1.0) < 1e-2:
            return step
    return None


def warm_up_cosine(opt, cosine_epochs=17):
    """5.5: 3 epochs of linear warm-up from 0.1 lr, then a cosine over the remaining epochs."""
    warm = minitorch.optim.lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=3)
    cosine = minitorch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=cosine_epochs)
    return minitorch.optim.lr_scheduler.SequentialLR(opt, [warm, cosine], milestones=[3])


def he_init(m):
    """6.2: kaiming_normal_ on every nn.Linear's weight (model.apply visits every module)."""
    if isinstance(m, nn.Linear):
        nn.init.kaiming_normal_(m.weight, nonlinearity="relu")


def improves(with_dropout, without):
    """6.3: a paired comparison over seeds: the mean gain must exceed two standard errors."""
    gain = np.asarray(without) - np.asarray(with_dropout)
    return gain.mean() > 2 * gain.std(ddof=1) / np.sqrt(len(gain))


def tanh_variances(depth=10, width=256):
    """6.1: activation variances through tanh layers initialised with Xavier and tanh's gain."""
    minitorch.manual_seed(0)
    h, variances = minitorch.randn(512, width), []
    with minitorch.no_grad():
        for _ in range(depth):
            layer = nn.Linear(width, width)
            nn.init.xavier_normal_(layer.weight, gain=nn.init.calculate_gain("tanh"))
            nn.init.zeros_(layer.bias)
            h = layer(h).tanh()
            variances.append(h.var().item())
    return np.array(variances)


def precision_recall(probs, targets, t):
    """6.4: precision and recall of "9" predicted where its probability exceeds t."""
    predicted, actual = probs > t, targets == 9
    hits = np.sum(predicted & actual)
    return hits / max(predicted.sum(), 1), hits / max(actual.sum(), 1)


_variances = tanh_variances()
_plain = rosenbrock_steps(lambda p: minitorch.optim.SGD(p, lr=1e-3, momentum=0.9))
_adam = {lr: rosenbrock_steps(lambda p, lr=lr: minitorch.optim.Adam(p, lr=lr)) for lr in (0.005, 0.05, 0.5)}

SOLUTIONS = {
    "4.1": leaky_relu,
    "4.2": 1.0 / 0.25,
    "4.3": 1 / 3,
    "4.4": smallest_overflow(),
    "4.5": grad_lse,
    "5.1": (((50**0.5 - 1) / (50**0.5 + 1)) ** 2, 4 / (50**0.5 + 1) ** 2),
    "5.2": (_plain, rosenbrock_steps(lambda p: minitorch.optim.SGD(p, lr=1e-3, momentum=0.9, nesterov=True))),
    "5.3": _adam,
    "5.4": adam_path,
    "5.5": warm_up_cosine,
    "6.1": (nn.init.calculate_gain("tanh"), bool(_variances[-1] < 0.5 * _variances[2])),
    "6.2": he_init,
    "6.3": improves,
    "6.4": precision_recall,
    "6.5": (1e-4 * np.sign(0.001)) / (1e-4 * 0.001),
}

WRONG = {
    "4.1": (lambda x, a=0.01: x.relu(), "a x elsewhere"),
    "4.2": (1.0, "1/4"),
    "4.3": (0.5, "1/3"),
    "4.4": (88, "88.7"),
    "4.5": (lambda x: np.full(len(x), 1 / len(x)), "softmax"),
    "5.1": ((0.4, 0.038), "momentum"),
    "5.2": ((_plain, _plain), "nesterov=True"),
    "5.3": ({**_adam, 0.5: None}, "0.5"),
    "5.4": (lambda start, steps: adam_path(start, steps, betas=(0.0, 0.0)), "bias-corrected"),
    "5.5": (lambda opt: warm_up_cosine(opt, cosine_epochs=20), "T_max"),
    "6.1": ((1.0, False), "5/3"),
    "6.2": (lambda m: nn.init.xavier_normal_(m.weight) if isinstance(m, nn.Linear) else None, "He"),
    "6.3": (lambda with_dropout, without: np.mean(with_dropout) < np.mean(without), "seed"),
    "6.4": (lambda p, y, t: (np.mean(p > t), np.mean(y == 9)), "Precision"),
    "6.5": (1.0, "1 / 0.001"),
}
