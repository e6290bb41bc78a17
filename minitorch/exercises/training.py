"""Checks for the exercises of lessons 4-6: activations and losses, optimisers, training an MLP."""
import numpy as np

from . import close_to, exercise, first_difference, right, wrong


def _tensor(values):
    import minitorch

    return minitorch.tensor(np.asarray(values, dtype=np.float64), dtype=minitorch.float64, requires_grad=True)


@exercise("4.1", "Leaky ReLU", "your function leaky_relu(x, a=0.01) on tensors")
def leaky_relu(fn):
    values = [-3.0, -0.5, 0.25, 2.0]
    for a in (0.01, 0.2):
        x = _tensor(values)
        y = fn(x, a)
        y.sum().backward()
        expected = [v if v > 0 else a * v for v in values]
        problem = (first_difference(f"leaky_relu(x, a={a})", y.detach().numpy(), expected)
                   or first_difference(f"its derivative (a={a})", x.grad.numpy(),
                                       [1.0 if v > 0 else a for v in values]))
        if problem:
            return wrong(problem + " Leaky ReLU is x where x > 0 and a x elsewhere.")
    return right("x where x > 0, a x elsewhere; the derivative is 1 or a, never 0, so no unit dies.")


@exercise("4.2", "tanh in the deep stack", "the ratio tanh'(0) / sigmoid'(0) (a number)")
def tanh_ratio(ratio):
    return close_to("tanh'(0) / sigmoid'(0)", ratio, 4.0, rel=1e-3,
                    why="tanh'(0) = 1 and sigmoid'(0) = 1/4: tanh passes four times the gradient near 0.")


@exercise("4.3", "Where MSE is fine",
          "the probability p at which the MSE gradient 2 (1 - p) p (1 - p) is largest (target 1)")
def mse_peak(p):
    return close_to("p", p, 1 / 3, abs_=0.005,
                    why="the gradient is largest at p = 1/3 and vanishes as p -> 0, where a confident wrong "
                        "answer most needs it: cross-entropy's gradient there is about 1.")


@exercise("4.4", "float32 overflow", "the smallest integer x with np.exp(np.float32(x)) == inf")
def float32_overflow(x):
    if int(x) == 89:
        return right("e^88 = 1.65e38 fits under float32's 3.4e38, e^89 = 4.5e38 does not; the stable softmax "
                     "subtracts the row's maximum first, so it stays finite.")
    return wrong(f"{x} is not it: ln(3.4e38) = 88.7, so e^88 is finite in float32 and e^89 is inf.")


@exercise("4.5", "The gradient of log-sum-exp", "a function grad_lse(x) taking a 1-D numpy array and returning "
          "the gradient of x.logsumexp(dim=0) found with backward()")
def logsumexp_gradient(fn):
    for x in (np.array([1.0, 0.0, 3.0]), np.array([1000.0, 999.0, -5.0, 2.0])):
        softmax = np.exp(x - x.max()) / np.exp(x - x.max()).sum()
        problem = first_difference(f"the gradient at {x.tolist()}", fn(x), softmax)
        if problem:
            return wrong(problem + " It should be softmax(x).")
    return right("d logsumexp(x) / dx_i = e^(x_i) / sum_j e^(x_j) = softmax(x)_i.")


# ----------------------------------------------------------------------------- lesson 5

@exercise("5.1", "Tune momentum", "theory's best pair (momentum, lr) for curvatures 1 and 50")
def best_momentum(answer):
    mu, eta = (float(v) for v in answer)
    root = 50**0.5
    best_mu, best_eta = ((root - 1) / (root + 1)) ** 2, 4 / (root + 1) ** 2
    if abs(mu - best_mu) > 0.01 * best_mu:
        return wrong(f"momentum {mu:.3g}: expected ((sqrt(50) - 1) / (sqrt(50) + 1))^2 = {best_mu:.3f}.")
    if abs(eta - best_eta) > 0.01 * best_eta:
        return wrong(f"lr {eta:.3g}: expected 4 / (sqrt(50) + 1)^2 = {best_eta:.4f} (not 0.038).")
    return right(f"({best_mu:.3f}, {best_eta:.4f}): both directions then shrink by sqrt(mu) = {best_mu**0.5:.2f} "
                 f"per step.")


def _rosenbrock_path(step, steps=2000):
    """The path from (-1.5, 2) on the Rosenbrock function; step(t, theta, gradient) -> the new theta."""
    theta, path = np.array([-1.5, 2.0]), [np.array([-1.5, 2.0])]
    for t in range(1, steps + 1):
        x, y = theta
        theta = step(t, theta, np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)]))
        path.append(theta)
    return np.array(path)


def _steps_to_reach(path, tol=1e-2):
    """The first step within tol of the minimum (1, 1), None if never (the lesson's steps_to_reach)."""
    close = np.flatnonzero(np.linalg.norm(path - 1.0, axis=1) < tol)
    return int(close[0]) if len(close) else None


def _momentum_path(nesterov, lr=1e-3, mu=0.9):
    state = {}

    def step(t, theta, g):
        state["buf"] = g if t == 1 else mu * state["buf"] + g
        return theta - lr * (g + mu * state["buf"] if nesterov else state["buf"])
    return _rosenbrock_path(step)


def _adam_path(lr, betas=(0.9, 0.999), eps=1e-8):
    state = {"m": 0.0, "v": 0.0}

    def step(t, theta, g):
        state["m"] = betas[0] * state["m"] + (1 - betas[0]) * g
        state["v"] = betas[1] * state["v"] + (1 - betas[1]) * g * g
        m_hat, v_hat = state["m"] / (1 - betas[0] ** t), state["v"] / (1 - betas[1] ** t)
        return theta - lr * m_hat / (np.sqrt(v_hat) + eps)
    return _rosenbrock_path(step)


def _optional_int(value):
    return None if value is None else int(value)


@exercise("5.2", "Nesterov", "a pair: (steps_to_reach for momentum 0.9, the same with nesterov=True), lr 1e-3, "
          "within 1e-2 of (1, 1)")
def nesterov(answer):
    expected = tuple(_steps_to_reach(_momentum_path(n)) for n in (False, True))
    got = tuple(_optional_int(v) for v in answer)
    if got != expected:
        return wrong(f"expected {expected}, got {got}: run optimise(rosenbrock, rosen_start, ...) twice, the second "
                     f"time with SGD(p, lr=1e-3, momentum=0.9, nesterov=True), and pass each path to "
                     f"steps_to_reach(path, [1, 1], 1e-2).")
    return right(f"Nesterov arrives {expected[0] - expected[1]} steps sooner: it takes the gradient where momentum "
                 f"is about to carry it, so it brakes before overshooting the curved valley's walls.")


@exercise("5.3", "Adam's learning rate", "a dict {0.005: steps, 0.05: steps, 0.5: steps}: steps_to_reach within "
          "1e-2 of (1, 1) in 2000 steps of Adam (None if never)")
def adam_learning_rate(answer):
    paths = {lr: _adam_path(lr) for lr in (0.005, 0.05, 0.5)}
    expected = {lr: _steps_to_reach(path) for lr, path in paths.items()}
    got = {lr: _optional_int(answer[lr]) for lr in expected}
    if got != expected:
        return wrong(f"expected {expected}, got {got}. Rerun optimise(rosenbrock, rosen_start, lambda p: Adam(p, "
                     f"lr=lr), 2000) for each lr and pass the path to steps_to_reach(path, [1, 1], 1e-2); do not "
                     f"guess that 0.5 is too coarse to arrive.")
    first = {lr: np.linalg.norm(path[1] - path[0]) for lr, path in paths.items()}
    return right(f"the first step moves each coordinate by exactly lr (length {first[0.005]:.4f}, {first[0.05]:.3f}, "
                 f"{first[0.5]:.2f}): at 0.005 the path is still {np.linalg.norm(paths[0.005][-1] - 1):.2f} away "
                 f"after 2000 steps; at 0.5 the first steps jump across the valley, but once the gradient's sign "
                 f"flips m averages out and the steps shrink, so it arrives first.")


@exercise("5.4", "Adam by hand", "a function adam_path(start, steps) -> array (steps + 1, 2): your numpy Adam "
          "(lr 0.3, default betas and eps) on the bowl, the start included")
def adam_by_hand(path_fn):
    import minitorch
    from minitorch.optim import Adam

    start, steps = np.array([-4.0, 1.0]), 20
    theta = minitorch.tensor(start, dtype=minitorch.float64, requires_grad=True)
    opt, path = Adam([theta], lr=0.3), [start]
    for _ in range(steps):
        opt.zero_grad()
        (0.5 * (theta[0] ** 2 + 50 * theta[1] ** 2)).backward()
        opt.step()
        path.append(theta.detach().numpy().copy())
    problem = first_difference("your path", path_fn(start.copy(), steps), np.array(path), rtol=1e-6)
    if problem:
        hint = " The first step should move each coordinate by lr = 0.3: are m and v bias-corrected, with t from 1?"
        return wrong(problem + hint)
    return right(f"{steps} steps agree with minitorch.optim.Adam.")


@exercise("5.5", "Warm-up for SGD", "a function schedule(opt) -> the scheduler for fit_line: a 3-epoch LinearLR "
          "warm-up from 0.1 lr, then a cosine over the other 17 epochs")
def warm_up(schedule):
    import minitorch

    opt = minitorch.optim.SGD([minitorch.zeros(1, requires_grad=True)], lr=0.1)
    scheduler, rates = schedule(opt), []
    for _ in range(20):
        rates.append(opt.param_groups[0]["lr"])
        opt.step()
        scheduler.step()
    expected = [0.1 * (0.1 + 0.3 * e) if e < 3 else 0.05 * (1 + np.cos(np.pi * (e - 3) / 17)) for e in range(20)]
    problem = first_difference("the learning rate by epoch", rates, expected, rtol=1e-6)
    if problem:
        return wrong(problem + " Use SequentialLR(opt, [LinearLR(opt, start_factor=0.1, total_iters=3), "
                               "CosineAnnealingLR(opt, T_max=17)], milestones=[3]): the cosine's T_max counts the "
                               "epochs after the warm-up.")
    return right("0.01, 0.04, 0.07, then the cosine from 0.1 down to 0. On the line fit the first steps are tame "
                 "anyway; Adam's v_hat, though, is estimated from a handful of gradients at first, so its early "
                 "steps can be huge on a large model, which a warm-up keeps small.")


# ----------------------------------------------------------------------------- lesson 6

@exercise("6.1", "tanh's gain", "the gain calculate_gain('tanh') gives, as a number, and whether the variance "
          "still shrinks (a pair: (gain, shrinks))")
def tanh_gain(answer):
    gain, shrinks = answer
    verdict = close_to("the gain", gain, 5 / 3, rel=1e-3, why="tanh's gain is 5/3.")
    if not verdict:
        return verdict
    if shrinks:
        return wrong("with gain 5/3 the variance settles instead of shrinking layer after layer: run "
                     "activation_variances again and look at the last layers.")
    return right("5/3 makes up for tanh squashing its inputs: the variance settles at a steady level.")


@exercise("6.4", "Precision against recall", "a function precision_recall(probs, targets, t) -> (precision, recall) "
          "for the class 9, predicting 9 where its probability exceeds t")
def precision_recall(fn):
    probs = np.array([0.95, 0.8, 0.6, 0.3, 0.2, 0.05])
    targets = np.array([9, 3, 9, 9, 1, 9])
    for t, expected in ((0.5, (2 / 3, 2 / 4)), (0.9, (1.0, 1 / 4)), (0.1, (3 / 5, 3 / 4))):
        got = tuple(float(v) for v in fn(probs, targets, t))
        if not np.allclose(got, expected):
            return wrong(f"at t = {t} on probabilities {probs.tolist()} with targets {targets.tolist()}: expected "
                         f"(precision, recall) = ({expected[0]:.3g}, {expected[1]:.3g}), got ({got[0]:.3g}, "
                         f"{got[1]:.3g}). Precision: right 9s among predicted 9s; recall: among true 9s.")
    return right("a higher threshold predicts 9 less often: precision rises, recall falls.")


def _deep_mlp(init):
    """A 10-hidden-layer spiral MLP (width 64) after model.apply(init), and each hidden layer's activation variance."""
    import minitorch
    from minitorch import nn

    minitorch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), *[m for _ in range(9) for m in (nn.Linear(64, 64), nn.ReLU())],
                          nn.Linear(64, 3))
    if init is not None:
        model.apply(init)
    h, variances = minitorch.randn(512, 2), []
    with minitorch.no_grad():
        for module in list(model)[:-1]:
            h = module(h)
            if isinstance(module, nn.ReLU):
                variances.append(h.var().item())
    return model, variances


@exercise("6.2", "Depth without care", "a function init(m) for model.apply: kaiming_normal_ on the weight of every "
          "nn.Linear")
def depth_without_care(init):
    from minitorch import nn

    model, variances = _deep_mlp(init)
    for k, layer in enumerate(m for m in model.modules() if isinstance(m, nn.Linear)):
        if k == 0:
            continue  # 2 inputs: 128 weights, too few for a reliable standard deviation
        std, expected = float(layer.weight.detach().numpy().std()), (2 / layer.in_features) ** 0.5
        if abs(std / expected - 1) > 0.1:
            return wrong(f"the weights of Linear layer {k} have standard deviation {std:.3f}, He's sqrt(2 / fan_in) is "
                         f"{expected:.3f}: call nn.init.kaiming_normal_(m.weight, nonlinearity=\"relu\") when "
                         f"isinstance(m, nn.Linear).")
    default = _deep_mlp(None)[1]
    return right(f"with He's init the activation variance goes {variances[0]:.2g} -> {variances[-1]:.2g} over the 10 "
                 f"hidden layers; with the default init {default[0]:.2g} -> {default[-1]:.2g}: the signal, and the "
                 f"gradient with it, fades with depth, so the default-init model learns far more slowly.")


@exercise("6.3", "Dropout on top", "a function improves(with_dropout, without) of each seed's best validation loss: "
          "True only when the mean per-seed gain exceeds two standard errors")
def dropout_decision(improves):
    cases = [([0.30, 0.31, 0.29], [0.35, 0.36, 0.34], True),
             ([0.20, 0.40, 0.33], [0.35, 0.30, 0.34], False),
             ([0.36, 0.37, 0.35], [0.30, 0.31, 0.29], False),
             ([0.30, 0.32, 0.31, 0.29, 0.30], [0.33, 0.34, 0.35, 0.31, 0.33], True)]
    for with_dropout, without, expected in cases:
        if bool(improves(np.array(with_dropout), np.array(without))) != expected:
            gain = np.array(without) - np.array(with_dropout)
            stderr = gain.std(ddof=1) / len(gain) ** 0.5
            return wrong(f"improves({with_dropout}, {without}) should be {expected}: the per-seed gains "
                         f"{np.round(gain, 2).tolist()} have mean {gain.mean():.3f} and standard error {stderr:.3f}. "
                         f"Compare each seed with itself: a mean gain smaller than two standard errors is what "
                         f"changing the seed alone could give.")
    return right("seed to seed, the best validation loss moves by about as much as dropout changes it: only a gain "
                 "larger than the spread of the per-seed differences is evidence.")


@exercise("6.5", "L1 versus L2 sparsity", "how many times larger L1's gradient lambda sign(w) is than L2's lambda w "
          "at w = 0.001, for the same lambda (a number)")
def l1_versus_l2(ratio):
    return close_to("L1's gradient / L2's gradient at w = 0.001", ratio, 1000.0, rel=1e-3,
                    why="sign(w) / w = 1 / 0.001: L2's pull fades in proportion to the weight, L1's stays lambda "
                        "however small the weight, so L1 drives weights to 0 and L2 only shrinks them.")
