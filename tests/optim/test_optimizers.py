"""minitorch.optim: every optimiser against PyTorch, state_dict, zero_grad, and bad input.

The same 2-layer MLP (float64) trains for 20 steps in minitorch and in PyTorch from identical
initial values; losses, final parameters and the optimiser state must agree to ~1e-10.
"""
import numpy as np
import pytest

import minitorch
from minitorch.errors import ShapeError

STEPS = 20
RNG = np.random.default_rng(0)
X = RNG.normal(size=(16, 5))
Y = RNG.normal(size=(16, 3))
INIT = [RNG.normal(size=(5, 8)) * 0.5, RNG.normal(size=8) * 0.1,
        RNG.normal(size=(8, 3)) * 0.5, RNG.normal(size=3) * 0.1]


def mlp_loss(lib, params, x, y):
    w1, b1, w2, b2 = params
    h = (x @ w1 + b1).tanh()
    return ((h @ w2 + b2 - y) ** 2).mean()


def one_group(params):
    return params


def two_groups(params):
    return [{"params": params[:2], "lr": 0.02}, {"params": params[2:]}]


def train(lib, name, kwargs, groups=one_group, steps=STEPS, params=None, opt=None):
    """Train the MLP with ``lib`` (minitorch or torch); returns losses, parameters, optimiser."""
    if params is None:
        params = [lib.tensor(a.copy(), requires_grad=True) for a in INIT]
    if opt is None:
        opt = getattr(lib.optim, name)(groups(params), **kwargs)
    x, y = lib.tensor(X), lib.tensor(Y)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = mlp_loss(lib, params, x, y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return np.array(losses), [p.detach().numpy().copy() for p in params], opt


CASES = [
    ("SGD", dict(lr=0.1), one_group),
    ("SGD", dict(lr=0.05, momentum=0.9), one_group),
    ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.3, weight_decay=0.01), one_group),
    ("SGD", dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.05), two_groups),
    ("SGD", dict(lr=0.01, momentum=0.5, maximize=True, weight_decay=0.1), one_group),
    ("Adam", dict(lr=0.01), one_group),
    ("Adam", dict(lr=0.02, betas=(0.8, 0.99), weight_decay=0.1), two_groups),
    ("Adam", dict(lr=0.01, amsgrad=True), one_group),
    ("Adam", dict(lr=0.01, amsgrad=True, maximize=True, weight_decay=0.05, eps=1e-6), one_group),
    ("AdamW", dict(lr=0.01), one_group),
    ("AdamW", dict(lr=0.02, weight_decay=0.5, amsgrad=True), two_groups),
    ("AdamW", dict(lr=0.01, maximize=True), one_group),
    ("RMSprop", dict(lr=0.01), one_group),
    ("RMSprop", dict(lr=0.01, momentum=0.9, weight_decay=0.1), one_group),
    ("RMSprop", dict(lr=0.005, centered=True, alpha=0.9), one_group),
    ("RMSprop", dict(lr=0.005, centered=True, momentum=0.5, maximize=True), two_groups),
    ("Adagrad", dict(lr=0.1), one_group),
    ("Adagrad", dict(lr=0.1, lr_decay=0.05, weight_decay=0.1, initial_accumulator_value=0.5),
     one_group),
    ("Adagrad", dict(lr=0.05, eps=1e-6, maximize=True), two_groups),
]


@pytest.mark.parametrize("name,kwargs,groups", CASES,
                         ids=[f"{n}-{'-'.join(map(str, k.items()))}-{g.__name__}" for n, k, g in CASES])
def test_matches_pytorch(name, kwargs, groups):
    torch = pytest.importorskip("torch")
    losses, params, opt = train(minitorch, name, kwargs, groups)
    t_losses, t_params, t_opt = train(torch, name, kwargs, groups)
    np.testing.assert_allclose(losses, t_losses, rtol=1e-10)
    for p, tp in zip(params, t_params):
        np.testing.assert_allclose(p, tp, rtol=1e-10, atol=1e-13)
    # The run did something: the loss moved the way the optimiser was asked to.
    assert (losses[-1] > losses[0]) if kwargs.get("maximize") else (losses[-1] < 0.9 * losses[0])
    # Same state layout and values as PyTorch's.
    state, t_state = opt.state_dict()["state"], t_opt.state_dict()["state"]
    assert sorted(state) == sorted(t_state)
    for i in state:
        assert sorted(state[i]) == sorted(t_state[i])
        for key, value in state[i].items():
            expected = t_state[i][key]
            if key == "step":
                assert value == float(expected)
            else:
                np.testing.assert_allclose(value.numpy(), expected.numpy(), rtol=1e-9, atol=1e-13)


def test_params_without_grad_are_skipped():
    params = [minitorch.tensor(a.copy(), requires_grad=True) for a in INIT]
    unused = minitorch.tensor([1.0, 2.0], requires_grad=True)
    opt = minitorch.optim.Adam(params + [unused], lr=0.1)
    train(minitorch, "Adam", {}, steps=3, params=params, opt=opt)
    np.testing.assert_array_equal(unused.detach().numpy(), [1.0, 2.0])
    assert unused not in opt.state
    assert set(opt.state_dict()["state"]) == {0, 1, 2, 3}


def test_step_keeps_float32_dtype():
    w = minitorch.tensor(np.ones((4, 3), dtype=np.float32), requires_grad=True)
    for cls in (minitorch.optim.Adam, minitorch.optim.AdamW, minitorch.optim.SGD,
                minitorch.optim.RMSprop, minitorch.optim.Adagrad):
        opt = cls([w], lr=0.1, weight_decay=0.1)
        (w * w).sum().backward()
        opt.step()
        opt.zero_grad()
        assert w.dtype == minitorch.float32
        assert all(buf.dtype == np.float32 for buf in opt.state.get(w, {}).values()
                   if isinstance(buf, np.ndarray))


def test_step_bumps_version_and_allows_requires_grad_params():
    w = minitorch.tensor([1.0, -2.0], requires_grad=True)
    opt = minitorch.optim.SGD([w], lr=0.5)
    (w * w).sum().backward()
    before = w._version_value
    opt.step()
    np.testing.assert_allclose(w.detach().numpy(), [0.0, 0.0])  # w - 0.5 * 2w
    assert w._version_value == before + 1


def test_closure_is_called_and_its_loss_returned():
    w = minitorch.tensor([3.0], requires_grad=True)
    opt = minitorch.optim.SGD([w], lr=0.25)
    calls = []

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        calls.append(loss.item())
        return loss

    with minitorch.no_grad():  # the closure still records its graph
        loss = opt.step(closure)
    assert loss.item() == 9.0 and calls == [9.0]
    np.testing.assert_allclose(w.detach().numpy(), [1.5])  # 3 - 0.25 * 6


# ------------------------------------------------------------------ zero_grad
def test_zero_grad_set_to_none_and_to_zero():
    w = minitorch.tensor([1.0, 2.0], requires_grad=True)
    opt = minitorch.optim.SGD([w], lr=0.1)
    (w * w).sum().backward()
    grad = w.grad
    opt.zero_grad(set_to_none=False)
    assert w.grad is grad
    np.testing.assert_array_equal(w.grad.numpy(), [0.0, 0.0])
    opt.zero_grad()
    assert w.grad is None


# ------------------------------------------------------------------ state_dict
@pytest.mark.parametrize("name,kwargs", [
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True)),
    ("Adam", dict(lr=0.01, amsgrad=True)),
    ("AdamW", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, centered=True, momentum=0.5)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01)),
])
@pytest.mark.parametrize("via", ["dict", "numpy", "file"])
def test_state_dict_round_trip_continues_the_same_trajectory(name, kwargs, via, tmp_path):
    full_losses, full_params, _ = train(minitorch, name, kwargs, two_groups, steps=12)
    losses, params, opt = train(minitorch, name, kwargs, two_groups, steps=5)
    saved = opt.state_dict()
    if via == "numpy":  # numpy arrays and scalars everywhere, string keys
        saved = _as_numpy(saved)
    elif via == "file":
        serialization = pytest.importorskip("minitorch.serialization")
        serialization.save(saved, tmp_path / "opt.npz")
        saved = serialization.load(tmp_path / "opt.npz")
    train(minitorch, name, kwargs, two_groups, steps=2, opt=opt,  # must not change `saved`
          params=[p for g in opt.param_groups for p in g["params"]])
    fresh = [minitorch.tensor(p, requires_grad=True) for p in params]
    opt2 = getattr(minitorch.optim, name)(two_groups(fresh), lr=123.0)
    opt2.load_state_dict(saved)
    assert [g["lr"] for g in opt2.param_groups] == [g["lr"] for g in opt.param_groups]
    rest, final, _ = train(minitorch, name, kwargs, steps=7, params=fresh, opt=opt2)
    np.testing.assert_array_equal(np.concatenate([losses, rest]), full_losses)
    for p, q in zip(final, full_params):
        np.testing.assert_array_equal(p, q)


def _as_numpy(state_dict):
    state = {str(i): {k: np.asarray(v) for k, v in s.items()} for i, s in state_dict["state"].items()}
    groups = [{k: np.asarray(v) for k, v in g.items()} for g in state_dict["param_groups"]]
    return {"state": state, "param_groups": groups}


def test_state_dict_layout_matches_pytorch():
    torch = pytest.importorskip("torch")
    _, _, opt = train(minitorch, "Adam", {}, two_groups, steps=2)
    _, _, t_opt = train(torch, "Adam", {}, two_groups, steps=2)
    sd, t_sd = opt.state_dict(), t_opt.state_dict()
    assert [g["params"] for g in sd["param_groups"]] == [g["params"] for g in t_sd["param_groups"]]
    for g, tg in zip(sd["param_groups"], t_sd["param_groups"]):
        assert set(g) <= set(tg)
        assert all(g[k] == tg[k] for k in g)
    assert isinstance(sd["state"][0]["exp_avg"], minitorch.Tensor)
    assert sd["state"][0]["step"] == 2


def test_load_state_dict_rejects_mismatches():
    _, _, opt = train(minitorch, "Adam", {}, two_groups, steps=1)
    saved = opt.state_dict()
    params = [minitorch.tensor(a.copy(), requires_grad=True) for a in INIT]
    with pytest.raises(ValueError, match="2 parameter groups but this optimiser has 1"):
        minitorch.optim.Adam(params).load_state_dict(saved)
    with pytest.raises(ValueError, match="saved parameter group 0 has 2 parameters"):
        minitorch.optim.Adam([{"params": params[:1]}, {"params": params[1:]}]).load_state_dict(saved)
    swapped = [params[0], params[2], params[1], params[3]]  # shapes (5,8),(8,3) | (8,),(3,)
    with pytest.raises(ShapeError, match="'exp_avg' has shape"):
        minitorch.optim.Adam(two_groups(swapped)).load_state_dict(saved)
    with pytest.raises(KeyError, match="keys 'state' and 'param_groups'"):
        minitorch.optim.Adam(two_groups(params)).load_state_dict({"state": {}})
    extra = opt.state_dict()
    extra["state"][7] = extra["state"][0]
    with pytest.raises(ValueError, match="state is for parameter 7, but this optimiser has only 4"):
        minitorch.optim.Adam(two_groups(params)).load_state_dict(extra)
    bad = opt.state_dict()
    bad["param_groups"][0]["lr"] = -1.0
    with pytest.raises(ValueError, match="invalid lr=-1.0"):
        minitorch.optim.Adam(two_groups(params)).load_state_dict(bad)


# ------------------------------------------------------------------ param groups
def test_param_groups_fill_defaults_and_add_param_group():
    a, b, c = (minitorch.zeros(2, requires_grad=True) for _ in range(3))
    opt = minitorch.optim.SGD([{"params": [a]}, {"params": b, "lr": 0.5}], lr=0.1, momentum=0.9)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.5]
    assert all(g["momentum"] == 0.9 for g in opt.param_groups)
    assert opt.param_groups[1]["params"] == [b]  # a single tensor becomes a list
    opt.add_param_group({"params": [c], "momentum": 0.0})
    assert opt.param_groups[2]["lr"] == 0.1 and opt.param_groups[2]["momentum"] == 0.0
    assert "Parameter Group 2" in repr(opt)


def test_params_from_a_generator():
    params = [minitorch.zeros(2, requires_grad=True) for _ in range(2)]
    opt = minitorch.optim.Adam(p for p in params)
    assert opt.param_groups[0]["params"] == params


# ------------------------------------------------------------------ bad input
def _w():
    return minitorch.zeros(2, requires_grad=True)


@pytest.mark.parametrize("make,message", [
    (lambda: minitorch.optim.SGD([_w()], lr=-0.1), r"SGD: invalid lr=-0.1; it must be >= 0.0"),
    (lambda: minitorch.optim.SGD([_w()], lr="0.1"), r"SGD: lr must be a number"),
    (lambda: minitorch.optim.SGD([_w()], momentum=-0.9), r"invalid momentum=-0.9"),
    (lambda: minitorch.optim.SGD([_w()], weight_decay=-1), r"invalid weight_decay=-1"),
    (lambda: minitorch.optim.SGD([_w()], nesterov=True), r"nesterov=True needs momentum > 0"),
    (lambda: minitorch.optim.SGD([_w()], momentum=0.9, dampening=0.1, nesterov=True),
     r"dampening = 0"),
    (lambda: minitorch.optim.Adam([_w()], betas=(1.0, 0.999)), r"invalid betas\[0\]=1.0; it must be in \[0.0, 1.0\)"),
    (lambda: minitorch.optim.Adam([_w()], betas=(0.9, -0.1)), r"invalid betas\[1\]=-0.1"),
    (lambda: minitorch.optim.Adam([_w()], betas=0.9), r"betas must be a pair"),
    (lambda: minitorch.optim.AdamW([_w()], eps=-1e-8), r"AdamW: invalid epsilon value eps=-1e-08"),
    (lambda: minitorch.optim.Adam([_w()], lr=float("nan")), r"invalid lr=nan"),
    (lambda: minitorch.optim.RMSprop([_w()], alpha=1.5), r"RMSprop: invalid alpha=1.5"),
    (lambda: minitorch.optim.RMSprop([_w()], momentum=-1), r"invalid momentum=-1"),
    (lambda: minitorch.optim.Adagrad([_w()], lr_decay=-1), r"Adagrad: invalid lr_decay=-1"),
    (lambda: minitorch.optim.Adagrad([_w()], initial_accumulator_value=-1),
     r"invalid initial_accumulator_value=-1"),
    (lambda: minitorch.optim.SGD([{"params": [_w()], "lr": -2}], lr=0.1), r"invalid lr=-2"),
])
def test_bad_hyperparameters(make, message):
    with pytest.raises((ValueError, TypeError), match=message):
        make()


def test_bad_params():
    w = _w()
    with pytest.raises(TypeError, match="got a single Tensor. Wrap it in a list"):
        minitorch.optim.SGD(w)
    with pytest.raises(ValueError, match="empty parameter list"):
        minitorch.optim.Adam([])
    with pytest.raises(TypeError, match="floating-point tensors, but parameter 0 .* minitorch.int64"):
        minitorch.optim.SGD([minitorch.tensor([1, 2])])
    with pytest.raises(TypeError, match="can only optimize Tensors, but parameter 1 .* ndarray"):
        minitorch.optim.SGD([w, np.zeros(2)])
    with pytest.raises(ValueError, match="parameter 1 of the new group .* given twice"):
        minitorch.optim.SGD([w, w])
    with pytest.raises(ValueError, match="given twice"):
        minitorch.optim.SGD([{"params": [w]}, {"params": [w]}])
    opt = minitorch.optim.SGD([w])
    with pytest.raises(ValueError, match="given twice"):
        opt.add_param_group({"params": [w]})
    with pytest.raises(TypeError, match="not a set"):
        opt.add_param_group({"params": {_w()}})
    with pytest.raises(TypeError, match="dict with a 'params' key"):
        opt.add_param_group({"lr": 0.1})
    with pytest.raises(ValueError, match="non-leaf"):
        minitorch.optim.SGD([w * 2])
    assert len(opt.param_groups) == 1  # failed additions left nothing behind


def test_grad_of_wrong_shape_is_reported():
    w = _w()  # as in PyTorch, the wrong gradient is refused where it is assigned (issue 13)
    with pytest.raises(RuntimeError, match=r"grad: assigned grad has shape \(3,\), but the tensor has shape \(2,\)"):
        w.grad = minitorch.zeros(3)
