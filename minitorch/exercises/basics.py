"""Checks for the exercises of lessons 1-3: the scalar engine, backprop by hand, tensors."""
import math

import numpy as np

from . import close_to, exercise, first_difference, right, wrong


def _scalar_derivatives(fn, values):
    """fn's value and the gradient of every input, from the scalar engine's backward()."""
    from ..scalar import Scalar

    leaves = [Scalar(v) for v in values]
    out = fn(*leaves)
    if not isinstance(out, Scalar):
        raise TypeError(f"expected a Scalar back, got {type(out).__name__}")
    out.backward()
    return out.data, [leaf.grad for leaf in leaves]


def _compare_scalar(name, fn, cases):
    """cases: (inputs, value, gradients) worked out by hand; what differs first (None if nothing)."""
    for inputs, value, grads in cases:
        got, got_grads = _scalar_derivatives(fn, inputs)
        if not math.isclose(got, value, rel_tol=1e-9, abs_tol=1e-12):
            return f"{name}{tuple(inputs)} = {got:.6g}, expected {value:.6g}."
        for k, (g, want) in enumerate(zip(got_grads, grads)):
            if not math.isclose(g, want, rel_tol=1e-7, abs_tol=1e-12):
                return (f"the gradient of {name}{tuple(inputs)} with respect to input {k} is {g:.6g}, "
                        f"expected {want:.6g}: check the local derivative you recorded.")
    return None


@exercise("1.1", "Add sin and cos", "a pair of functions (sin, cos), each Scalar -> Scalar")
def sin_and_cos(answer):
    sin, cos = answer
    points = (0.0, 0.7, -2.0, 3.0)
    problem = (_compare_scalar("sin", sin, [((x,), math.sin(x), (math.cos(x),)) for x in points])
               or _compare_scalar("cos", cos, [((x,), math.cos(x), (-math.sin(x),)) for x in points]))
    return wrong(problem) if problem else right("values and derivatives match at x = 0, 0.7, -2 and 3.")


@exercise("1.2", "Powers with a Scalar exponent", "a function power(x, y) of two Scalars, x > 0")
def scalar_power(power):
    cases = [((x, y), x**y, (y * x ** (y - 1), x**y * math.log(x))) for x, y in ((2.0, 3.0), (0.5, 1.7), (3.0, -0.5))]
    problem = _compare_scalar("power", power, cases)
    return wrong(problem) if problem else right(
        "x^y, y x^(y-1) and x^y ln x all match: e^(y ln x) carries both gradients through exp and log.")


@exercise("1.3", "XOR needs a hidden layer", "your trained model: a function model(x1, x2) -> Scalar (or a float)")
def xor(model):
    corners = [(x1, x2) for x1 in (-1.0, 1.0) for x2 in (-1.0, 1.0)]
    outputs = [float(getattr(model(x1, x2), "data", model(x1, x2))) for x1, x2 in corners]
    loss = sum((out - x1 * x2) ** 2 for out, (x1, x2) in zip(outputs, corners)) / 4
    signs_right = all(out * x1 * x2 > 0 for out, (x1, x2) in zip(outputs, corners))
    if not signs_right or loss > 0.1:
        return wrong(f"outputs {[round(o, 3) for o in outputs]} at the corners (-1,-1), (-1,1), (1,-1), (1,1) "
                     f"(targets 1, -1, -1, 1): mean squared error {loss:.3f}, needs < 0.1 with every sign right. "
                     f"Were the hidden neurons started at different values?")
    return right(f"every corner has the right sign, mean squared error {loss:.3g}.")


@exercise("1.4", "How big is the graph?", "a dict {10: nodes, 20: nodes, 40: nodes} of len(topological_order())")
def graph_size(counts):
    n10, n20, n40 = (int(counts[k]) for k in (10, 20, 40))
    per_point = (n20 - n10) / 10
    if per_point <= 0 or n40 - n20 != 20 * per_point:
        return wrong(f"{n10}, {n20}, {n40} nodes do not grow by the same number per point: count every node "
                     f"of the graph of the whole loss, including the leaves.")
    return right(f"the graph grows linearly, {per_point:g} nodes per point (plus {n10 - 10 * per_point:g} fixed): "
                 f"each point adds the same small expression.")


@exercise("1.5", "Second derivatives", "your estimate of f''(1.5) for f(x) = x^3 - 2x (a float)")
def second_derivative(estimate):
    return close_to("f''(1.5)", estimate, 9.0, rel=1e-4,
                    why="f''(x) = 6x; a central difference of two backward() results with h about 1e-4.")


# ----------------------------------------------------------------------------- lesson 2

def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _delta_check(delta, loss, what):
    rng = np.random.default_rng(0)
    z, y, h = rng.uniform(-3, 3, 5), rng.uniform(0.05, 0.95, 5), 1e-6
    expected = (loss(z + h, y) - loss(z - h, y)) / (2 * h)
    problem = first_difference("delta_o", delta(z, y), expected, rtol=1e-5, atol=1e-8)
    return f"{problem} (compared with central differences of {what})" if problem else None


@exercise("2.1", "A sigmoid output",
          "a function delta_o(z_o, y) of numpy arrays: dL/dz_o for L = 0.5 (sigmoid(z_o) - y)^2")
def sigmoid_output(delta):
    problem = _delta_check(delta, lambda z, y: 0.5 * (_sigmoid(z) - y) ** 2, "0.5 (sigmoid(z) - y)^2")
    return wrong(problem) if problem else right(
        "delta_o = (y_hat - y) sigma(z_o)(1 - sigma(z_o)): the derivative taken at z_o, "
                            "not at y_hat.")


@exercise("2.2", "Cross-entropy makes it simpler",
          "a function delta_o(z_o, y): dL/dz_o for the binary cross-entropy of sigmoid(z_o)")
def cross_entropy_output(delta):
    def loss(z, y):
        p = _sigmoid(z)
        return -y * np.log(p) - (1 - y) * np.log(1 - p)

    problem = _delta_check(delta, loss, "the binary cross-entropy")
    return wrong(problem) if problem else right(
        "delta_o = y_hat - y: the sigmoid's derivative cancels the loss's denominators.")


@exercise("2.3", "Switch neuron 3 on", "your new value of b_{1,3} (a float)")
def neuron_three(b13):
    if float(b13) > 1.1:
        return right(f"z_3 = -1.1 + {float(b13):g} > 0: neuron 3 is on, so delta_h,3 = delta_o W_2,3 and the "
                     f"entries of W1's row 3, b1[3] and W2[:, 3] are no longer 0.")
    return wrong(f"with b_1,3 = {float(b13):g}, z_3 = -1.1 + b_1,3 = {float(b13) - 1.1:.3g} is not > 0: the neuron "
                 f"stays off.")


@exercise("2.4", "When does a dropped ReLU' go unnoticed?", "a pair (W1, b1) of first-layer weights for which "
          "backward_by_hand without relu_prime(z) still agrees with central differences")
def dropped_relu_prime(answer):
    w1, b1 = (np.asarray(v, dtype=np.float64) for v in answer)
    z = w1 @ np.array([1.0, 2.0]) + b1  # the lesson's input x = [1, 2]
    if np.all(z > 0):
        return right(f"z = {np.round(z, 3).tolist()}: every hidden neuron is on, so ReLU'(z) = 1 and the bug "
                     f"multiplies by 1. A test must visit both sides of every kink to catch it.")
    return wrong(f"z = W1 x + b1 = {np.round(z, 3).tolist()} at x = [1, 2]: neuron(s) "
                 f"{np.flatnonzero(z <= 0).tolist()} are off, where the missing ReLU' = 0 shows. Make every z > 0.")


def _lesson2_outputs(lr, steps):
    """y_hat before and after each of `steps` gradient-descent steps on lesson 2's network (x = [1, 2], y = 1)."""
    x, params = np.array([1.0, 2.0]), [np.array([[0.5, -0.2], [-0.3, 0.4], [0.1, -0.6]]),
                                       np.array([0.1, -0.2, 0.3]), np.array([[0.7, 0.5, -0.3]]), np.array([0.1])]
    outputs = []
    for _ in range(steps + 1):
        w1, b1, w2, b2 = params
        z = w1 @ x + b1
        z_o = w2 @ np.maximum(z, 0) + b2
        y_hat = np.maximum(z_o, 0)
        outputs.append(float(y_hat[0]))
        delta_o = (y_hat - 1.0) * (z_o > 0)
        delta_h = (w2.T @ delta_o) * (z > 0)
        grads = (np.outer(delta_h, x), delta_h, np.outer(delta_o, np.maximum(z, 0)), delta_o)
        params = [p - lr * g for p, g in zip(params, grads)]
    return outputs


@exercise("2.5", "Learning rate", "a dict {1: outputs, 3: outputs}: y_hat before training and after each of the "
          "first 5 steps (6 numbers) with the correct gradients and lr 1 or 3")
def learning_rate(answer):
    for lr in (1, 3):
        expected = _lesson2_outputs(lr, 5)
        problem = first_difference(f"y_hat at lr {lr}", np.asarray(answer[lr], dtype=np.float64), expected, rtol=1e-4)
        if problem:
            return wrong(problem + f" Train with backward_by_hand and lr={lr} from the lesson's start; at lr = {lr} "
                                   f"the first step should overshoot y = 1 to y_hat = {expected[1]:.4g}.")
    return right(f"one step overshoots y = 1 (y_hat = {_lesson2_outputs(1, 1)[1]:.3g} at lr 1, "
                 f"{_lesson2_outputs(3, 1)[1]:.3g} at lr 3); the next, large step pushes z_o below 0, the output "
                 f"ReLU dies and y_hat stays 0 with the loss stuck at 0.5: a rate too large kills the network, "
                 f"it does not just oscillate.")


# ----------------------------------------------------------------------------- lesson 3

@exercise("3.1", "Strides in 3-D",
          "a pair: (strides of zeros(2, 3, 4) float64, strides of its permute(2, 0, 1)), in bytes")
def strides(answer):
    expected = ((96, 32, 8), (8, 96, 32))
    got = tuple(tuple(int(s) for s in part) for part in answer)
    if got == expected:
        return right("(96, 32, 8): a step in dim 0 skips 3 x 4 numbers of 8 bytes; permute only reorders them.")
    return wrong(f"got {got}, expected {expected}: the last dimension steps 8 bytes, each earlier one the "
                 f"product of the later sizes; permute(2, 0, 1) takes the old strides in the order 2, 0, 1.")


@exercise("3.2", "Sliding windows without copying",
          "the (6, 3) array of windows of np.arange(8.0), made with as_strided")
def windows(view):
    view = np.asarray(view)
    problem = first_difference("the windows", view, np.arange(3)[None, :] + np.arange(6)[:, None])
    if problem:
        return wrong(problem)
    if view.strides != (8, 8):
        return wrong(f"the values are right but the strides are {view.strides}: a copy, not a view. Both strides "
                     f"should be 8 bytes (the next window starts one number later).")
    return right("6 windows, strides (8, 8): 18 numbers shown, 8 stored.")


@exercise("3.3", "A broadcasting multiply", "your Op subclass MyMul (the class)")
def my_mul(op):
    import minitorch
    from ..testing import gradcheck

    rng = np.random.default_rng(0)
    a, b = (minitorch.tensor(rng.standard_normal(s), dtype=minitorch.float64, requires_grad=True)
            for s in ((3, 1), (1, 4)))
    problem = first_difference("MyMul.apply(a, b)", op.apply(a, b).detach().numpy(),
                               a.detach().numpy() * b.detach().numpy())
    if problem:
        return wrong(problem)
    if not gradcheck(op.apply, (a, b), raise_exception=False):
        return wrong("the values are right but gradcheck fails for shapes (3, 1) and (1, 4): is each gradient "
                     "multiplied by the other input and unbroadcast to its own input's shape?")
    return right("values and gradients agree with finite differences for shapes (3, 1) x (1, 4).")


@exercise("3.4", "Batched matmul",
          "a pair: (the result's shape, the dims the (3, 4) operand's gradient is summed over)")
def batched_matmul(answer):
    shape, dims = answer
    dims = tuple(np.atleast_1d(dims).tolist())
    if tuple(shape) != (5, 2, 4):
        return wrong(f"the shape is (5, 2, 4), not {tuple(shape)}: the batch dimension 5 stays, (2, 3) @ (3, 4) "
                     f"gives (2, 4).")
    if dims != (0,):
        return wrong(f"summed over {dims}: the (3, 4) operand was broadcast over the batch only (dim 0), so "
                     f"its gradient is the sum over dim 0 of the 5 per-example gradients.")
    return right("(5, 2, 4), and the second operand's gradient sums the 5 products over dim 0.")


@exercise("3.5", "Fix the bug", "a pair of functions (fix_keepdim, fix_squeeze), each taking x (3, 4) and c (3, 1)")
def fix_the_bug(answer):
    import minitorch

    rng = np.random.default_rng(1)
    x, c = rng.standard_normal((3, 4)), rng.standard_normal((3, 1))
    expected = x.sum(axis=1) + c[:, 0]
    for k, fix in enumerate(answer):
        got = np.asarray(fix(minitorch.tensor(x), minitorch.tensor(c)).detach().numpy())
        if got.size != 3:
            return wrong(f"fix {k + 1} gives shape {got.shape}: still broadcasting (3,) against (3, 1)? Expected "
                         f"one number per row, shape (3, 1) or (3,).")
        problem = first_difference(f"fix {k + 1}", got.reshape(3), expected, rtol=1e-5)
        if problem:
            return wrong(problem)
    return right("both give each row's total plus its c: keepdim keeps (3, 1) against (3, 1), squeeze makes "
                 "(3,) against (3,).")
