"""Probes of lab 2 (tensor gradients, ``minitorch/functions/``)."""
from . import away_from_zero, probe, seed, uniform, value_and_grads

BROADCASTS = [((2, 3), (3,)), ((2, 3), (2, 1)), ((4, 2, 3), (2, 1)), ((2, 3), ()), ((5, 1, 3), (1, 1, 3)),
              ((2, 4, 3), (4, 1))]


@probe("2.1", lambda rng: {f"g{k}": rng.standard_normal(g) for k, (g, _) in enumerate(BROADCASTS)},
       "minitorch/functions/_util.py, unbroadcast (task 2.1): sum the gradient over the dimensions "
       "broadcasting added or stretched from 1")
def unbroadcast(load, x):
    fn = load("minitorch.functions._util").unbroadcast
    return {f"out{k}": fn(x[f"g{k}"], shape) for k, (_, shape) in enumerate(BROADCASTS)}


@probe("2.1", lambda rng: {"a": uniform(rng, (3, 1)), "b": uniform(rng, (4,)), "up": seed(rng)},
       "minitorch/functions/_util.py, unbroadcast (task 2.1), as Add.backward uses it")
def add_broadcast_backward(load, x):
    return value_and_grads(load, lambda a, b: a + b, (x["a"], x["b"]), x["up"])


def _operands(divide):
    def draw(rng):
        other = away_from_zero if divide else uniform
        return {"a": uniform(rng, (3, 4)), "b": other(rng, (3, 4)), "c": uniform(rng, (2, 1, 3)),
                "d": other(rng, (4, 1)), "up": seed(rng)}
    return draw


def _same(load, x, op):
    found = value_and_grads(load, op, (x["a"], x["b"]), x["up"], "same_")
    found.update(value_and_grads(load, lambda b: op(1.5, b), (x["b"],), x["up"], "constant_"))
    return found


def _broadcast(load, x, op):
    return value_and_grads(load, op, (x["c"], x["d"]), x["up"])


MUL = ("minitorch/functions/arithmetic.py, Mul.backward (task 2.2): dL/da = g * b, dL/db = g * a, each "
       "unbroadcast to its input's shape")
DIV = ("minitorch/functions/arithmetic.py, Div.backward (task 2.3): dL/da = g / b, dL/db = -g a / b^2, each "
       "unbroadcast to its input's shape")


@probe("2.2", _operands(False), MUL)
def mul_backward(load, x):
    return _same(load, x, lambda a, b: a * b)


@probe("2.2", _operands(False), MUL)
def mul_backward_broadcast(load, x):
    return _broadcast(load, x, lambda a, b: a * b)


@probe("2.3", _operands(True), DIV)
def div_backward(load, x):
    return _same(load, x, lambda a, b: a / b)


@probe("2.3", _operands(True), DIV)
def div_backward_broadcast(load, x):
    return _broadcast(load, x, lambda a, b: a / b)


SUMS = [(None, False), (0, False), (1, True), ((0, 2), False), (-1, True)]


@probe("2.4", lambda rng: {"x": uniform(rng, (2, 3, 4)), "up": seed(rng)},
       "minitorch/functions/reduction.py, Sum.backward (task 2.4): the gradient copied back along the summed axes")
def sum_backward(load, x):
    found = {}
    for k, (dim, keepdim) in enumerate(SUMS):
        found.update(value_and_grads(load, lambda t: t.sum(dim=dim, keepdim=keepdim), (x["x"],), x["up"], f"{k}_"))
    return found


MATMULS = {"plain": [((3, 4), (4, 2)), ((4,), (4, 3)), ((2, 4), (4,))],
           "batched": [((2, 3, 4), (4, 5)), ((2, 1, 3, 4), (3, 4, 2)), ((3, 4), (2, 4, 2))]}
MATMUL = ("minitorch/functions/linalg.py, MatMul.backward (task 2.5): grad_a = g @ b^T, grad_b = a^T @ g, "
          "batch dimensions summed back (unbroadcast)")


def _matmuls(kind):
    def draw(rng):
        shapes = MATMULS[kind]
        return {**{f"a{k}": uniform(rng, a) for k, (a, _) in enumerate(shapes)},
                **{f"b{k}": uniform(rng, b) for k, (_, b) in enumerate(shapes)}, "up": seed(rng)}
    return draw


def _matmul(load, x):
    found = {}
    for k in range(sum(name.startswith("a") for name in x)):
        found.update(value_and_grads(load, lambda a, b: a @ b, (x[f"a{k}"], x[f"b{k}"]), x["up"], f"{k}_"))
    return found


@probe("2.5", _matmuls("plain"), MATMUL)
def matmul_backward(load, x):
    return _matmul(load, x)

