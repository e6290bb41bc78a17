"""Probes of lab 1 (the scalar engine, ``minitorch/scalar.py``)."""
import math

import numpy as np

from . import away_from_zero, probe, uniform

SCALAR = "minitorch.scalar"


def _pairs(rng):
    return {"a": uniform(rng, 5, -3, 3), "b": away_from_zero(rng, 5), "c": uniform(rng, (), -3, 3)}


def _binary(load, x, op):
    Scalar = load(SCALAR).Scalar
    found = {"value": [], "local": [], "left_const": [], "right_const": []}
    for a, b in zip(x["a"].tolist(), x["b"].tolist()):
        z = op(Scalar(a), Scalar(b))
        found["value"].append(z.data)
        found["local"].append(list(z.local_grads))
        found["right_const"].append(list(op(Scalar(a), b).local_grads))
        found["left_const"].append(list(op(float(x["c"]), Scalar(b)).local_grads))
    return found


@probe("1.1", _pairs, "minitorch/scalar.py, Scalar.__mul__ (task 1.1): the value and local_grads (dc/da, dc/db)")
def scalar_mul(load, x):
    return _binary(load, x, lambda a, b: a * b)


@probe("1.1", _pairs, "minitorch/scalar.py, Scalar.__add__, __sub__ and __neg__ (task 1.1): the values and "
       "local_grads")
def scalar_add_sub_neg(load, x):
    found = {f"add_{k}": v for k, v in _binary(load, x, lambda a, b: a + b).items()}
    found.update({f"sub_{k}": v for k, v in _binary(load, x, lambda a, b: a - b).items()})
    found.update({f"neg_{k}": v for k, v in _unary(load, x["a"], lambda a: -a).items()})
    return found


@probe("1.2", _pairs, "minitorch/scalar.py, Scalar.__truediv__ (task 1.2): the value and local_grads (dc/da, dc/db)")
def scalar_div(load, x):
    return _binary(load, x, lambda a, b: a / b)


def _unary(load, values, op):
    Scalar = load(SCALAR).Scalar
    outs = [op(Scalar(a)) for a in np.asarray(values).tolist()]
    return {"value": [z.data for z in outs], "local": [list(z.local_grads) for z in outs]}


@probe("1.2", lambda rng: {"a": np.concatenate([uniform(rng, 5, 0.2, 3), -uniform(rng, 2, 0.2, 3), [0.0, 0.0, 0.0]]),
                           "n": np.array([3.0, 2.0, 0.5, -1.5, 0.0, 2.0, -3.0, 3.0, 0.5, 0.0])},
       "minitorch/scalar.py, Scalar.__pow__ (task 1.2): the value and local_grads (n a^(n-1); 0 for n = 0; "
       "inf at a = 0 for n < 1)")
def scalar_pow(load, x):
    Scalar = load(SCALAR).Scalar
    outs = [Scalar(a) ** n for a, n in zip(x["a"].tolist(), x["n"].tolist())]
    return {"value": [z.data for z in outs], "local": [list(z.local_grads) for z in outs]}


def _raises(fn):
    """The index in ERRORS of the exception ``fn`` raised (-1: none, len(ERRORS): another)."""
    try:
        fn()
    except NotImplementedError:  # a stub: the task is not attempted
        raise
    except Exception as e:  # noqa: BLE001 -- any other type is a wrong answer, reported by its index
        return _error_index(e)
    return -1


def _error_index(error):
    """The index in ERRORS of ``error``'s class (len(ERRORS): another class)."""
    return next((k for k, kind in enumerate(ERRORS) if isinstance(error, kind)), len(ERRORS))


ERRORS = (ZeroDivisionError, ValueError, TypeError, OverflowError, IndexError, RuntimeError)


@probe("1.2", lambda rng: {"a": uniform(rng, 1, 0.5, 2), "p": -uniform(rng, 1, 0.5, 2)},
       "minitorch/scalar.py, Scalar.__truediv__, __rtruediv__ and __pow__ (task 1.2): division by zero raises "
       "ZeroDivisionError, 0 ** negative ZeroDivisionError, negative ** fraction ValueError, ** Scalar TypeError")
def scalar_div_pow_errors(load, x):
    Scalar = load(SCALAR).Scalar
    a, p = float(x["a"][0]), float(x["p"][0])
    cases = [lambda: Scalar(a) / Scalar(0.0), lambda: Scalar(a) / 0, lambda: a / Scalar(0.0),
             lambda: Scalar(0.0) ** p, lambda: Scalar(-a) ** 0.5, lambda: Scalar(a) ** Scalar(2.0),
             lambda: Scalar(a) / "x"]
    return {"raised": [_raises(case) for case in cases]}


_EXTREMES = [0.0, -800.0, 800.0]


@probe("1.3", lambda rng: {"a": np.concatenate([uniform(rng, 6, -3, 3), _EXTREMES])},
       "minitorch/scalar.py, Scalar.tanh (task 1.3): the value and its local gradient 1 - tanh^2", atol=1e-12)
def scalar_tanh(load, x):
    return _unary(load, x["a"], lambda a: a.tanh())


@probe("1.3", lambda rng: {"a": np.concatenate([uniform(rng, 6, -3, 3), _EXTREMES]), "p": uniform(rng, 5, 0.1, 4)},
       "minitorch/scalar.py, Scalar.exp, log, relu and sigmoid (task 1.3): the values and local gradients "
       "(sigmoid must not overflow at +-800; exp overflow raises OverflowError, log of a <= 0 ValueError)", atol=1e-12)
def scalar_exp_log_relu_sigmoid(load, x):
    Scalar = load(SCALAR).Scalar
    found = {"raised": [_raises(lambda: Scalar(800.0).exp()), _raises(lambda: Scalar(0.0).log()),
                        _raises(lambda: Scalar(-float(x["p"][0])).log())]}
    for name, values, op in (("exp", x["a"][:6], lambda a: a.exp()), ("log", x["p"], lambda a: a.log()),
                             ("relu", x["a"], lambda a: a.relu()), ("sigmoid", x["a"], lambda a: a.sigmoid())):
        found.update({f"{name}_{k}": v for k, v in _unary(load, values, op).items()})
    return found


def random_graph(rng, size=12):
    """A DAG on ``size`` nodes: node i > 0 has 1-3 children among the nodes before it; each edge a
    local gradient. Node ``size - 1`` is the root; some nodes may be unreachable from it."""
    edges, grads = np.full((size, 3), -1), np.zeros((size, 3))
    for i in range(1, size):
        k = min(i, int(rng.integers(1, 4)))
        edges[i, :k] = rng.choice(i, size=k, replace=False)
        grads[i, :k] = uniform(rng, k)
    edges[size - 1, 0] = size - 2  # the root always reaches the node before it
    return {"edges": edges, "local": grads, "values": uniform(rng, size)}


def build(Scalar, x):
    """The Scalars of the graph ``random_graph`` drew, in node order."""
    nodes = []
    for i, (children, grads) in enumerate(zip(x["edges"].tolist(), x["local"].tolist())):
        used = [(nodes[c], g) for c, g in zip(children, grads) if c >= 0]
        nodes.append(Scalar(float(x["values"][i]), children=[c for c, _ in used],
                            local_grads=[g for _, g in used], op="f"))
    return nodes


def reachable(edges):
    """The nodes reachable from the root (the last node)."""
    seen, stack = set(), [len(edges) - 1]
    while stack:
        n = stack.pop()
        if n not in seen:
            seen.add(n)
            stack += [c for c in edges[n] if c >= 0]
    return seen


def check_order(x, got):
    """What is wrong with the returned order of the random graph and of the deep chain, or None."""
    edges = x["edges"].tolist()
    order = got["order"].tolist()
    expected = reachable(edges)
    if -1 in order:
        return "the order contains an object that is not a node of the graph"
    if len(set(order)) != len(order):
        return f"a node appears twice in the order {order}"
    if set(order) != expected:
        return (f"the order holds nodes {sorted(set(order))}, but the nodes reachable from the root are "
                f"{sorted(expected)}")
    position = {n: k for k, n in enumerate(order)}
    for n in order:
        for c in edges[n]:
            if c >= 0 and position[c] > position[n]:
                return f"node {n} comes before its child {c} in the order {order}"
    if order[-1] != len(edges) - 1:
        return f"the root (node {len(edges) - 1}) must come last, got {order[-1]}"
    chain = got["chain"].tolist()
    if chain != list(range(len(chain))) or len(chain) != 3001:
        return "a chain of 3001 nodes must be listed from its leaf to its end, each node once"
    return None


@probe("1.4", random_graph, "minitorch/scalar.py, Scalar.topological_order (task 1.4): every node reachable "
       "from the root once, after its children, with a stack (no recursion)", check=check_order)
def topological_order(load, x):
    Scalar = load(SCALAR).Scalar
    nodes = build(Scalar, x)
    index = {id(n): k for k, n in enumerate(nodes)}
    order = [index.get(id(n), -1) for n in nodes[-1].topological_order()]
    chain = [Scalar(0.5)]
    for _ in range(3000):  # deeper than Python's recursion limit
        chain.append(Scalar(chain[-1].data, children=[chain[-1]], local_grads=[1.0], op="f"))
    where = {id(n): k for k, n in enumerate(chain)}
    return {"order": order, "chain": [where.get(id(n), -1) for n in chain[-1].topological_order()]}


@probe("1.5", random_graph, "minitorch/scalar.py, Scalar.backward (task 1.5): self.grad = 1, then in reverse "
       "topological order child.grad += node.grad * local; leaves accumulate over calls")
def backward(load, x):
    Scalar = load(SCALAR).Scalar
    nodes = build(Scalar, x)
    nodes[-1].backward()
    once = [n.grad for n in nodes]
    nodes[-1].backward()
    twice = [n.grad for n in nodes]
    a = Scalar(float(x["values"][0]))
    (a + a).backward()
    return {"grads": once, "grads_after_two_calls": twice, "same_child_twice": a.grad}



# ----------------------------------------------------------------------------- checking derivatives numerically

@probe("1.10", lambda rng: {"vals": uniform(rng, 3, -2, 2), "eps": rng.uniform(0.05, 0.2, 1)},
       "minitorch/scalar.py, central_difference (task 1.10): the slopes of f(x, y, z) = x y^3 + x sin z in each "
       "argument (arg negative as a list index, a Scalar result's data), exp's with a large epsilon; a bad arg "
       "raises IndexError or TypeError, epsilon <= 0 ValueError, a non-number value or result TypeError", rtol=1e-6)
def central_difference(load, x):
    m = load(SCALAR)
    cd, vals, eps = m.central_difference, x["vals"].tolist(), float(x["eps"][0])
    def f(a, b, c):
        return a * b**3 + a * math.sin(c)
    cases = [lambda: cd(abs, 1.0, arg=1), lambda: cd(abs, 1.0, 2.0, arg=-3), lambda: cd(abs, 1.0, arg=0.0),
             lambda: cd(abs, 1.0, epsilon=0.0), lambda: cd(abs, 1.0, epsilon=-eps), lambda: cd(abs, "1"),
             lambda: cd(str, 1.0)]
    return {"slopes": [cd(f, *vals, arg=k) for k in range(3)], "negative_arg": cd(f, *vals, arg=-2),
            "large_epsilon": [cd(math.exp, v, epsilon=eps) for v in vals],
            "scalar_result": cd(lambda a, b: m.Scalar(a * b * b), *vals[:2], arg=1, epsilon=eps),
            "raised": [_raises(case) for case in cases]}


def _outcome(check, f, *scalars, **options):
    """[1, 0, 0] when ``check`` returns True; [-1, names argument 0, names argument 1] when it raises
    RuntimeError; the index in ERRORS of another error in the first place."""
    try:
        return [1.0 if check(f, *scalars, **options) is True else 0.0, 0.0, 0.0]
    except NotImplementedError:
        raise
    except RuntimeError as e:
        return [-1.0, float("argument 0" in str(e)), float("argument 1" in str(e))]
    except Exception as e:  # noqa: BLE001 -- a wrong error type is a wrong answer, reported by its index
        return [float(_error_index(e)), 0.0, 0.0]


@probe("1.11", lambda rng: {"vals": away_from_zero(rng, 2), "off": rng.uniform(0.1, 1, 2)},
       "minitorch/scalar.py, derivative_check (task 1.11): True and the inputs' grads for a correct two-node "
       "graph (stale grads cleared), RuntimeError naming each argument whose local gradient is off, the "
       "tolerances atol + rtol |numeric|, TypeError for a non-Scalar input or result, ValueError for a repeat")
def derivative_check(load, x):
    m = load(SCALAR)
    Scalar, check = m.Scalar, m.derivative_check
    (a0, b0), (off0, off1) = x["vals"].tolist(), x["off"].tolist()
    def graph(da=0.0, db=0.0):  # (a b)^2 through two nodes, its local gradients shifted by da, db
        def f(a, b):
            c = Scalar(a.data * b.data, children=[a, b], local_grads=[b.data + da, a.data + db], op="f")
            return Scalar(c.data**2, children=[c], local_grads=[2 * c.data], op="f")
        return f
    found = {}
    for name, f, options in (("good", graph(), {}), ("first_off", graph(da=off0), {}),
                             ("second_off", graph(db=off1), {}), ("both_off", graph(off0, off1), {}),
                             ("tiny_off", graph(1e-9), {}), ("within_rtol", graph(0.01 * b0), {"rtol": 0.02}),
                             ("within_atol", graph(0.01 / (2 * a0 * b0)), {"atol": 0.05})):
        a, b = Scalar(a0), Scalar(b0)
        a.grad = b.grad = 3.0
        found[name] = _outcome(check, f, a, b, **options)
        found[f"{name}_grads"] = [a.grad, b.grad, a.data, b.data]
    a = Scalar(a0)
    found["raised"] = [_raises(lambda: check(graph(), a, b0)), _raises(lambda: check(lambda s, t: s.data, a, a)),
                       _raises(lambda: check(graph(), a, a)), _raises(lambda: check(lambda s: s.data, a))]
    return found


# ----------------------------------------------------------------------------- the network (scalar_nn.py)

SCALAR_NN = "minitorch.scalar_nn"


def moons(rng, n, noise):
    """n points of the two moons (upper arc: class 0; lower arc, shifted: class 1) and their classes."""
    t, y = rng.uniform(0, np.pi, n), rng.integers(0, 2, n)
    x = np.where(y[:, None] == 0, np.stack([np.cos(t), np.sin(t)], 1), np.stack([1 - np.cos(t), 0.5 - np.sin(t)], 1))
    return x + noise * rng.standard_normal(x.shape), y


def moon_class(points):
    """The class of noise-free moon points: the arc each lies on (the two half arcs never meet)."""
    to_upper = np.abs(np.hypot(points[:, 0], points[:, 1]) - 1)
    to_lower = np.abs(np.hypot(points[:, 0] - 1, points[:, 1] - 0.5) - 1)
    return (to_lower < to_upper).astype(int)


def _set(params, values):
    for p, v in zip(params, values):
        p.data = float(v)


@probe("1.6", lambda rng: {"params": uniform(rng, 4 * 4 + 3 * 5 + 4, -1, 1), "x": uniform(rng, (5, 3))},
       "minitorch/scalar_nn.py, Neuron/Layer/MLP __call__ and parameters (task 1.6): MLP(3, [4, 3, 1]) with "
       "tanh and with relu on given weights (parameters layer by layer, neuron by neuron, weights then bias)")
def mlp_forward(load, x):
    nn = load(SCALAR_NN)
    found = {}
    for activation in ("tanh", "relu"):
        model = nn.MLP(3, [4, 3, 1], activation=activation)
        _set(model.parameters(), x["params"].tolist())
        found[activation] = [model(point).data for point in x["x"].tolist()]
        found[f"{activation}_layer"] = [[o.data for o in model.layers[0](point)] for point in x["x"].tolist()]
    return found


@probe("1.7", lambda rng: {"start": uniform(rng, 4), "grads": uniform(rng, (3, 4)),
                           "momentum": rng.uniform(0.1, 0.9, 1)},
       "minitorch/scalar_nn.py, SGD.step and zero_grad, Module.zero_grad (task 1.7): weight decay, momentum "
       "(v = g on the first step), Nesterov, as torch.optim.SGD")
def sgd(load, x):
    Scalar, nn = load(SCALAR).Scalar, load(SCALAR_NN)
    found = {}
    momentum = float(x["momentum"][0])
    for name, options in (("plain", {}), ("momentum", {"momentum": momentum}), ("weight_decay", {"weight_decay": 0.2}),
                          ("nesterov", {"momentum": momentum, "nesterov": True, "weight_decay": 0.1})):
        params = [Scalar(v) for v in x["start"].tolist()]
        opt = nn.SGD(params, lr=0.3, **options)
        for grads in x["grads"].tolist():
            for p, g in zip(params, grads):
                p.grad = g
            opt.step()
        found[name] = [p.data for p in params]
        opt.zero_grad()
        found[f"{name}_grads_after_zero_grad"] = [p.grad for p in params]
    model = nn.MLP(2, [2, 1])
    for p, g in zip(model.parameters(), x["grads"].ravel().tolist()):
        p.grad = g
    model.zero_grad()
    found["model_grads_after_zero_grad"] = [p.grad for p in model.parameters()]
    return found


@probe("1.8", lambda rng: {"z": np.concatenate([uniform(rng, 6, -4, 4), [800.0, -800.0, 800.0, -800.0]]),
                           "t": np.concatenate([rng.uniform(0, 1, 6), [0.0, 1.0, 1.0, 0.0]]),
                           "logits": np.concatenate([uniform(rng, (4, 3), -4, 4), [[900.0, 0.0, -900.0]]]),
                           "classes": rng.integers(0, 3, 5)},
       "minitorch/scalar_nn.py, binary_cross_entropy_with_logits and cross_entropy (task 1.8): the losses and "
       "their gradients (sigmoid(z) - t; softmax(z) - onehot(t)), finite for logits of +-800", atol=1e-12)
def bce(load, x):
    Scalar, nn = load(SCALAR).Scalar, load(SCALAR_NN)
    found = {"loss": [], "grad": []}
    for z, t in zip(x["z"].tolist(), x["t"].tolist()):
        logit = Scalar(z)
        loss = nn.binary_cross_entropy_with_logits(logit, t)
        loss.backward()
        found["loss"].append(loss.data)
        found["grad"].append(logit.grad)
    found.update(ce_loss=[], ce_grads=[])
    for row, t in zip(x["logits"].tolist(), x["classes"].tolist()):
        logits = [Scalar(z) for z in row]
        loss = nn.cross_entropy(logits, t)
        loss.backward()
        found["ce_loss"].append(loss.data)
        found["ce_grads"].append([z.grad for z in logits])
    return found


@probe("1.9", lambda rng: dict(zip(("points", "labels"), moons(rng, 10, 0.1)),
                               params=uniform(rng, 3 * 3 + 4, -1, 1)),
       "minitorch/scalar_nn.py, fit and accuracy (task 1.9): the losses and parameters after full-batch epochs "
       "and after mini-batches shuffled as fit's docstring says", rtol=1e-6)
def fit_few_epochs(load, x):
    nn = load(SCALAR_NN)
    model = nn.MLP(2, [3, 1], seed=0)
    _set(model.parameters(), x["params"].tolist())
    points, labels = x["points"].tolist(), x["labels"].tolist()
    losses = nn.fit(model, points, labels, epochs=8, lr=0.5, momentum=0.5)
    found = {"losses": losses, "params": [p.data for p in model.parameters()],
             "accuracy": nn.accuracy(model, points, labels)}
    _set(model.parameters(), x["params"].tolist())
    found["batched_losses"] = nn.fit(model, points, labels, epochs=4, lr=0.5, momentum=0.5, batch_size=3, seed=5)
    found["batched_params"] = [p.data for p in model.parameters()]
    return found
