"""Probes of lab 2: the engine (``minitorch/autograd/``), the ops (``minitorch/functions/``) and the
milestone (``minitorch/examples/tensor_mlp.py``)."""
import math

import numpy as np

from . import away_from_zero, probe, seed, state_of, trained, uniform, value_and_grads

# ----------------------------------------------------------------------------- the engine (2.6-2.8)

FUNCTION, ENGINE = "minitorch.autograd.function", "minitorch.autograd.engine"


def _engine_ops(load):
    """Two small ops of the probe's own (so that the engine's probes need no op of another task):
    z = wa a + wb b, and z = c x with a gradient of the wrong shape when c is 0."""
    Op = load(FUNCTION).Op

    class Affine(Op):
        @staticmethod
        def forward(ctx, a, b, wa, wb):
            ctx.w, ctx.kinds = (wa, wb), (type(a).__name__, type(b).__name__)
            return wa * a + wb * b

        @staticmethod
        def backward(ctx, grad):
            return ctx.w[0] * grad, ctx.w[1] * grad, None, None

    class Scale(Op):
        @staticmethod
        def forward(ctx, x, c):
            ctx.c = c
            return c * x

        @staticmethod
        def backward(ctx, grad):
            return (ctx.c * grad if ctx.c else np.ones((2,) + grad.shape)), None

    return Affine, Scale


def _leaf(m, values, requires_grad=True):
    return m.tensor(np.asarray(values, dtype=float), dtype=m.float64, requires_grad=requires_grad)


@probe("2.6", lambda rng: {"a": uniform(rng, (2, 3)), "b": uniform(rng, (3,)), "w": uniform(rng, 2)},
       "minitorch/autograd/function.py, Op.apply (task 2.6): forward on arrays, the output recorded with its "
       "node (ctx: edges, needs_input_grad) only when a gradient can flow")
def apply_records_the_graph(load, x):
    m = load("minitorch")
    Affine, _ = _engine_ops(load)
    wa, wb = (float(w) for w in x["w"])
    a, b = _leaf(m, x["a"]), _leaf(m, x["b"], requires_grad=False)
    z = Affine.apply(a, b, wa, wb)
    node = z.grad_fn
    w = Affine.apply(z, 2.0, wb, wa)
    with m.no_grad():
        quiet = Affine.apply(a, a, wa, wb)
    integer = Affine.apply(m.tensor([1, 2]), 3, 2, 1)
    flags = [z.requires_grad, isinstance(node, Affine), node.kinds == ("ndarray", "ndarray"),
             node.edges[0] is a, node.edges[1] is None, list(node.needs_input_grad)[:2] == [True, False],
             w.grad_fn.edges[0] is node, w.grad_fn.kinds == ("ndarray", "float"),
             quiet.requires_grad or quiet.grad_fn is not None, integer.requires_grad or integer.grad_fn is not None,
             Affine.apply(b, 1.0, wa, wb).requires_grad]
    return {"z": z.detach().numpy(), "w": w.detach().numpy(), "quiet": quiet.numpy(), "integer": integer.numpy(),
            "flags": np.array(flags, dtype=bool)}


def random_dag(rng, n=14):
    """A random graph: node 0 scales the leaf; node k > 0 is Affine of two earlier nodes (-1: a
    number instead); weights in [0.5, 1.5] with random signs; an upstream gradient per sink."""
    parents = np.full((n, 2), -1)
    for k in range(1, n):
        parents[k, 0] = rng.integers(0, k)
        parents[k, 1] = rng.integers(0, k) if rng.random() < 0.7 else -1
    return {"parents": parents, "weights": away_from_zero(rng, (n, 2)) * 0.75, "leaf": uniform(rng, (3,)),
            "up": seed(rng)}


def _build_dag(load, x):
    m = load("minitorch")
    Affine, Scale = _engine_ops(load)
    leaf = _leaf(m, x["leaf"])
    nodes = []
    for k, (p0, p1) in enumerate(x["parents"].tolist()):
        wa, wb = (float(w) for w in x["weights"][k])
        if k == 0:
            nodes.append(Scale.apply(leaf, wa))
        else:
            nodes.append(Affine.apply(nodes[p0], nodes[p1] if p1 >= 0 else 1.0, wa, wb))
    used = {p for row in x["parents"].tolist() for p in row if p >= 0}
    sinks = [k for k in range(len(nodes)) if k not in used]
    return m, leaf, nodes, sinks


def _check_topological(x, got):
    """The returned order must list every node once, each before the nodes of its inputs."""
    parents = x["parents"].tolist()
    order = np.asarray(got["order"]).tolist()
    if sorted(order) != list(range(len(parents))):
        return f"the order {order} must hold every node of the graph (0..{len(parents) - 1}) once"
    position = {n: k for k, n in enumerate(order)}
    for n, ps in enumerate(parents):
        for p in ps:
            if p >= 0 and position[p] < position[n]:
                return f"node {p} comes before node {n}, which uses its output, in the order {order}"
    chain = np.asarray(got["chain"]).tolist()
    if chain != list(range(len(chain)))[::-1] or len(chain) != 4000:
        return "a chain of 4000 nodes must be listed from its end to its start, each node once"
    return None


@probe("2.7", random_dag, "minitorch/autograd/engine.py, topological_order (task 2.7): every node reachable "
       "from the roots once, each before the nodes that made its inputs, with a stack (no recursion)",
       check=_check_topological)
def topological_order(load, x):
    m, leaf, nodes, sinks = _build_dag(load, x)
    order_of = load(ENGINE).topological_order
    index = {id(t.grad_fn): k for k, t in enumerate(nodes)}
    order = [index.get(id(n), -1) for n in order_of(*[nodes[k].grad_fn for k in sinks])]
    _, Scale = _engine_ops(load)
    chain, y = [], leaf
    for _ in range(4000):  # deeper than Python's recursion limit
        y = Scale.apply(y, 1.0)
        chain.append(y.grad_fn)
    where = {id(n): k for k, n in enumerate(chain)}
    return {"order": order, "chain": [where.get(id(n), -1) for n in order_of(y.grad_fn)]}


def _raises(fn, kind):
    try:
        fn()
    except kind:
        return True
    except Exception:
        return False
    return False


@probe("2.8", random_dag, "minitorch/autograd/engine.py, backward (task 2.8): _call_backward, the loop of "
       "backpropagate (shape check, sums per node and leaf, release unless retain_graph), accumulate_leaf_grad, "
       "initial_gradient")
def backward(load, x):
    m, leaf, nodes, sinks = _build_dag(load, x)
    Affine, Scale = _engine_ops(load)
    out = nodes[sinks[0]]
    for k in sinks[1:]:
        out = Affine.apply(out, nodes[k], 1.0, 1.0)
    upstream = np.random.default_rng(int(x["up"])).standard_normal(3)
    out.backward(m.tensor(upstream, dtype=m.float64), retain_graph=True)
    once = leaf.grad.numpy().copy()
    out.backward(m.tensor(upstream, dtype=m.float64))
    twice = leaf.grad.numpy().copy()
    deep = y = _leaf(m, [1.0])
    for _ in range(3000):
        y = Scale.apply(y, 1.0002)
    y.backward()
    errors = [_raises(lambda: out.backward(m.tensor(upstream, dtype=m.float64)), RuntimeError),
              _raises(lambda: Scale.apply(_leaf(m, [1.0, 2.0]), 0.0).backward(m.ones(2, dtype=m.float64)),
                      ValueError),
              _raises(lambda: Scale.apply(_leaf(m, [1.0, 2.0]), 2.0).backward(), RuntimeError),
              _raises(lambda: _leaf(m, [1.0], requires_grad=False).backward(), RuntimeError),
              nodes[0].grad is None]
    scalar, other = _leaf(m, [float(x["leaf"][0])]), _leaf(m, [float(x["leaf"][1])])
    Affine.apply(Scale.apply(scalar, 3.0), other, 1.0, 2.0).backward(inputs=[scalar])
    errors.append(other.grad is None)
    return {"grad": once, "grad_after_two_calls": twice, "deep": deep.grad.numpy(),
            "errors": np.array(errors, dtype=bool), "scalar": scalar.grad.numpy()}


BROADCASTS = [((2, 3), (3,)), ((2, 3), (2, 1)), ((4, 2, 3), (2, 1)), ((2, 3), ()), ((5, 1, 3), (1, 1, 3)),
              ((2, 4, 3), (4, 1))]


@probe("2.1", lambda rng: {f"g{k}": rng.standard_normal(g) for k, (g, _) in enumerate(BROADCASTS)},
       "minitorch/functions/_util.py, unbroadcast (task 2.1): sum the gradient over the dimensions "
       "broadcasting added or stretched from 1")
def unbroadcast(load, x):
    fn = load("minitorch.functions._util").unbroadcast
    return {f"out{k}": fn(x[f"g{k}"], shape) for k, (_, shape) in enumerate(BROADCASTS)}


@probe("2.2", lambda rng: {"a": uniform(rng, (3, 1)), "b": uniform(rng, (4,)), "up": seed(rng)},
       "minitorch/functions/arithmetic.py, Add (task 2.2), with unbroadcast (task 2.1)")
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
       "minitorch/functions/reduction.py, Sum, Mean and _expand_back (task 2.4): the gradient copied back along "
       "the reduced axes")
def sum_and_mean(load, x):
    found = {}
    for k, (dim, keepdim) in enumerate(SUMS):
        found.update(value_and_grads(load, lambda t: t.sum(dim=dim, keepdim=keepdim), (x["x"],), x["up"], f"{k}_"))
        found.update(value_and_grads(load, lambda t: t.mean(dim=dim, keepdim=keepdim), (x["x"],), x["up"],
                                     f"mean{k}_"))
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



def _many(load, fns, arrays, up):
    """value_and_grads of each function of ``fns`` (name -> function of the tensors of ``arrays``)."""
    found = {}
    for name, fn in fns.items():
        found.update(value_and_grads(load, fn, arrays, up, f"{name}_"))
    return found


@probe("2.2", _operands(False), "minitorch/functions/arithmetic.py, Add, Sub, Neg (task 2.2): forward and "
       "backward, each gradient unbroadcast to its input's shape")
def add_sub_neg(load, x):
    fns = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "neg": lambda a, b: -a - 2.0 * b,
           "rsub": lambda a, b: 1.5 - a + b}
    return {**_many(load, fns, (x["a"], x["b"]), x["up"]), **_many(load, {"b": fns["sub"]}, (x["c"], x["d"]), x["up"])}


def _powers(rng):
    return {"base": rng.uniform(0.5, 2.0, (3, 4)), "exponent": uniform(rng, (4,)), "x": uniform(rng, (2, 3)),
            "up": seed(rng)}


@probe("2.3", _powers, "minitorch/functions/arithmetic.py Pow, minitorch/functions/pointwise.py Exp and Log "
       "(task 2.3): forward and backward")
def pow_exp_log(load, x):
    m = load("minitorch")
    found = _many(load, {"pow": lambda a, b: a ** b}, (x["base"], x["exponent"]), x["up"])
    found.update(_many(load, {"log": lambda a: a.log()}, (x["base"],), x["up"]))
    found.update(_many(load, {"square": lambda a: a ** 2, "exp2": lambda a: 2.0 ** a, "exp": lambda a: a.exp()},
                       (x["x"],), x["up"]))
    zero = m.tensor([0.0, 0.0, 2.0, -1.0], dtype=m.float64, requires_grad=True)
    power = m.tensor([0.0, 2.0, 0.0, 3.0], dtype=m.float64, requires_grad=True)
    (zero ** power).backward(m.ones(4, dtype=m.float64))
    n = m.tensor(np.round(x["x"] * 2).astype(np.int64))
    found.update({"zero_grad": zero.grad.numpy(), "power_grad": power.grad.numpy(), "int_square": (n ** 2).numpy(),
                  "int_negative": (n ** m.tensor([-1, -2, -1])).numpy()})
    return found


def _reduced(rng):
    ties = rng.integers(-2, 3, (3, 4)).astype(float)  # small integers: ties in most rows
    return {"ties": ties, "x": uniform(rng, (3, 4)), "big": uniform(rng, (3, 4), -900.0, 900.0), "up": seed(rng)}


@probe("2.9", _reduced, "minitorch/functions/reduction.py, Max (ties share the gradient), Var, Std, LogSumExp, "
       "Prod (task 2.9): forward and backward")
def max_var_logsumexp(load, x):
    fns = {"amax": lambda a: a.amax(dim=1), "amin": lambda a: a.amin(dim=0, keepdim=True), "max": lambda a: a.max(),
           "prod": lambda a: a.prod(dim=1)}
    found = _many(load, fns, (x["ties"],), x["up"])
    found.update(_many(load, {"var": lambda a: a.var(dim=1), "var0": lambda a: a.var(dim=0, correction=0),
                              "std": lambda a: a.std(dim=1, keepdim=True), "lse": lambda a: a.logsumexp(dim=1)},
                             (x["x"],), x["up"]))
    found.update(value_and_grads(load, lambda a: a.logsumexp(dim=0), (x["big"],), x["up"], "big_"))
    return found


SHAPES = {"reshape": lambda a: a.reshape(4, 6), "permute": lambda a: a.permute(1, 2, 0),
          "transpose": lambda a: a.transpose(-1, 0), "expand": lambda a: a.unsqueeze(1).expand(2, 5, 3, 4),
          "flip": lambda a: a.flip(0, 2), "roll": lambda a: a.roll((1, -1), (1, 2)),
          "repeat": lambda a: a.repeat(2, 1, 1, 2), "squeeze": lambda a: a.unsqueeze(2).squeeze(2)}


@probe("2.10", lambda rng: {"x": uniform(rng, (2, 3, 4)), "up": seed(rng)},
       "minitorch/functions/shape.py (task 2.10): the backward of Reshape, Permute, Expand, Flip, Roll, Repeat")
def shape_ops(load, x):
    return _many(load, SHAPES, (x["x"],), x["up"])


def _indexed(rng):
    return {"x": uniform(rng, (3, 4)), "y": uniform(rng, (3, 1)), "index": rng.integers(0, 3, 6),
            "columns": rng.integers(0, 4, (3, 5)), "mask": rng.random((3, 4)) < 0.5, "up": seed(rng)}


@probe("2.11", _indexed, "minitorch/functions/indexing.py GetItem, IndexPut, Cat, Stack, Where, MaskedFill and "
       "minitorch/functions/scatter.py along (task 2.11): values and gradients, repeated indices adding up")
def indexing(load, x):
    m = load("minitorch")
    index, columns, mask = m.tensor(x["index"]), m.tensor(x["columns"]), m.tensor(x["mask"])
    one = {"rows": lambda a: a[index], "mixed": lambda a: a[1:, index[:2]], "mask": lambda a: a[mask],
           "gather": lambda a: a.gather(1, columns), "stack": lambda a: m.stack([a, a], dim=1),
           "fill": lambda a: a.masked_fill(mask, 0.5)}
    two = {"cat": lambda a, b: m.cat([a, b, a], dim=1), "where": lambda a, b: m.where(mask, a, b),
           "put": lambda a, b: a.index_put((index[:3],), b, accumulate=True),
           "write": lambda a, b: a.index_put((index[:1],), b[0, 0])}
    return {**_many(load, one, (x["x"],), x["up"]), **_many(load, two, (x["x"], x["y"]), x["up"])}


# ----------------------------------------------------------------------------- the milestone (2.12)

TENSOR_MLP = "minitorch.examples.tensor_mlp"
SPIRAL_THRESHOLD = 0.95


def spiral_points(rng, n):
    """``n`` noise-free points on the three arms of the milestone's spiral (radius t in [0.1, 1],
    angle 4 t + 2 pi k / 3 on arm k), and their arms."""
    t, arm = rng.uniform(0.1, 1.0, n), rng.integers(0, 3, n)
    angle = 4.0 * t + 2 * math.pi / 3 * arm
    return np.stack([t * np.cos(angle), t * np.sin(angle)], axis=1), arm


def spiral_arm(points):
    """The arm of noise-free spiral points, from their radius and angle alone (the trusted side's answer)."""
    r, angle = np.hypot(points[:, 0], points[:, 1]), np.arctan2(points[:, 1], points[:, 0])
    return np.round(np.mod(angle - 4.0 * r, 2 * math.pi) / (2 * math.pi / 3)).astype(int) % 3


def check_spiral(x, got):
    """The milestone's grade: the trained MLP (its logits computed by the reference) classifies >=
    SPIRAL_THRESHOLD of fresh points right."""
    logits = np.asarray(got["logits"], dtype=float)
    if logits.shape != (len(x["test"]), 3) or not np.all(np.isfinite(logits)):
        return f"expected ({len(x['test'])}, 3) finite logits, got an array of shape {logits.shape}"
    accuracy = float(np.mean(logits.argmax(axis=1) == spiral_arm(x["test"])))
    if accuracy < SPIRAL_THRESHOLD:
        return (f"the trained MLP classifies {accuracy:.1%} of fresh spiral points right, below the "
                f"{SPIRAL_THRESHOLD:.0%} needed")
    return None


SPIRAL_PARAMETERS = ("W1", "b1", "W2", "b2")


def spiral_milestone(load, train_seed):
    """Train ``tensor_mlp.train(seed=train_seed)`` and return its trained parameters."""
    params, _ = load(TENSOR_MLP).train(seed=train_seed)
    return trained(dict(zip(SPIRAL_PARAMETERS, params)))


def spiral_logits(load, x):
    """The reference's evaluation of the trained parameters: the MLP's logits for the fresh points."""
    m, mlp = load("minitorch"), load(TENSOR_MLP)
    params = [m.tensor(state_of(x)[name], dtype=m.float64) for name in SPIRAL_PARAMETERS]
    with m.no_grad():
        return {"logits": mlp.forward(params, m.tensor(x["test"], dtype=m.float64)).numpy()}


SPIRAL_WHERE = ("minitorch/examples/tensor_mlp.py, forward, cross_entropy and fit (task 2.12), the milestone: "
                "train(seed) (150 noisy spiral points, 500 steps of gradient descent) must classify >= 95% of "
                "fresh points")


@probe("2.12", lambda rng: {"test": spiral_points(rng, 300)[0]}, SPIRAL_WHERE, check=check_spiral,
       evaluate=spiral_logits)
def milestone_spiral(load, x):
    return spiral_milestone(load, 0)
