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
