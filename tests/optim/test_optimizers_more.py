"""Adadelta, Adamax, NAdam, RAdam against PyTorch; every optimiser's state_dict both ways.

The same 2-layer MLP (float64) trains in minitorch and in PyTorch from identical initial
values: 20 steps must give the same losses and parameters to rtol 1e-10. Checkpoints cross
between the two libraries as PyTorch users would carry them (tensors -> numpy -> tensors),
and training continues with the same numbers.
"""
import numpy as np
import pytest

import minitorch

STEPS = 20
RNG = np.random.default_rng(1)
X = RNG.normal(size=(16, 5))
Y = RNG.normal(size=(16, 3))
INIT = [RNG.normal(size=(5, 8)) * 0.5, RNG.normal(size=8) * 0.1,
        RNG.normal(size=(8, 3)) * 0.5, RNG.normal(size=3) * 0.1]


def one_group(params):
    return params


def two_groups(params):
    return [{"params": params[:2], "lr": 0.02}, {"params": params[2:]}]


def make(lib, name, kwargs, groups=one_group, init=INIT):
    params = [lib.tensor(np.array(a), requires_grad=True) for a in init]
    return params, getattr(lib.optim, name)(groups(params), **kwargs)


def train(lib, params, opt, steps=STEPS):
    """``steps`` steps of the MLP's squared error; returns the losses."""
    x, y = lib.tensor(X), lib.tensor(Y)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        w1, b1, w2, b2 = params
        loss = ((((x @ w1 + b1).tanh()) @ w2 + b2 - y) ** 2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return np.array(losses)


def values(params):
    return [p.detach().numpy().copy() for p in params]


CASES = [
    ("Adadelta", dict()),
    ("Adadelta", dict(lr=0.5, rho=0.8, eps=1e-4, weight_decay=0.1)),
    ("Adadelta", dict(lr=2.0, maximize=True, foreach=False)),
    ("Adamax", dict(lr=0.01)),
    ("Adamax", dict(lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
    ("Adamax", dict(lr=0.01, maximize=True, foreach=True)),
    ("NAdam", dict(lr=0.01)),
    ("NAdam", dict(lr=0.02, betas=(0.8, 0.99), momentum_decay=0.01, weight_decay=0.1)),
    ("NAdam", dict(lr=0.01, weight_decay=0.2, decoupled_weight_decay=True, maximize=True)),
    ("RAdam", dict(lr=0.01)),  # rho_t > 5 from step 6 on: both branches run
    ("RAdam", dict(lr=0.02, betas=(0.8, 0.9), eps=1e-6, weight_decay=0.1, foreach=False)),
    ("RAdam", dict(lr=0.01, weight_decay=0.2, decoupled_weight_decay=True, maximize=True)),
    ("Adam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True, fused=True)),
    ("SGD", dict(lr=0.05, momentum=0.9, foreach=True)),
    ("RMSprop", dict(lr=0.01, momentum=0.5, capturable=False, foreach=False)),
    ("Adagrad", dict(lr=0.1, foreach=False, fused=False)),
]
IDS = [f"{n}-{'-'.join(f'{k}={v}' for k, v in kw.items())}" for n, kw in CASES]


@pytest.mark.parametrize("groups", [one_group, two_groups])
@pytest.mark.parametrize("name,kwargs", CASES, ids=IDS)
def test_matches_pytorch(name, kwargs, groups):
    torch = pytest.importorskip("torch")
    params, opt = make(minitorch, name, kwargs, groups)
    t_params, t_opt = make(torch, name, kwargs, groups)
    losses, t_losses = train(minitorch, params, opt), train(torch, t_params, t_opt)
    np.testing.assert_allclose(losses, t_losses, rtol=1e-10)
    for p, tp in zip(values(params), values(t_params)):
        np.testing.assert_allclose(p, tp, rtol=1e-10, atol=1e-13)
    assert (losses[-1] > losses[0]) if kwargs.get("maximize") else (losses[-1] < 0.95 * losses[0])
    assert_same_state_dict(opt.state_dict(), t_opt.state_dict())


def assert_same_state_dict(ours, theirs, rtol=1e-9):
    """Same layout (keys, groups, types of ``step``) and the same values."""
    assert [{k: v for k, v in g.items()} for g in ours["param_groups"]] == theirs["param_groups"]
    assert list(ours["state"]) == list(theirs["state"])
    for i, buffers in ours["state"].items():
        assert list(buffers) == list(theirs["state"][i]), i
        for key, value in buffers.items():
            expected = theirs["state"][i][key].numpy()
            assert isinstance(value, minitorch.Tensor) and value.shape == expected.shape
            assert value.numpy().dtype == expected.dtype, key
            np.testing.assert_allclose(value.numpy(), expected, rtol=rtol, atol=1e-13)


# ------------------------------------------------------------------ checkpoints both ways
def convert(obj, to_tensor):
    """A state_dict with every tensor replaced by ``to_tensor(numpy array)``."""
    if isinstance(obj, dict):
        return {k: convert(v, to_tensor) for k, v in obj.items()}
    if isinstance(obj, list):
        return [convert(v, to_tensor) for v in obj]
    if hasattr(obj, "numpy") and not isinstance(obj, (float, int)):
        return to_tensor(obj.detach().numpy().copy() if hasattr(obj, "detach") else obj.numpy())
    return obj


ROUND_TRIPS = [
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("SGD", dict(lr=0.1)),
    ("Adam", dict(lr=0.01, amsgrad=True)),
    ("AdamW", dict(lr=0.01, weight_decay=0.1)),
    ("RMSprop", dict(lr=0.01, centered=True, momentum=0.5)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1)),
    ("Adadelta", dict(lr=0.5, weight_decay=0.01)),
    ("Adamax", dict(lr=0.01)),
    ("NAdam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True)),
    ("RAdam", dict(lr=0.01)),
]


@pytest.mark.parametrize("direction", ["torch-to-minitorch", "minitorch-to-torch"])
@pytest.mark.parametrize("name,kwargs", ROUND_TRIPS,
                         ids=[f"{n}-{'-'.join(map(str, k))}" for n, k in ROUND_TRIPS])
def test_checkpoints_cross_between_libraries(name, kwargs, direction):
    """5 steps in one library, its checkpoint loaded by both, 7 more steps: same numbers."""
    torch = pytest.importorskip("torch")
    libs = {"torch": torch, "minitorch": minitorch}
    source, target = (libs[n] for n in direction.split("-to-"))
    params, opt = make(source, name, kwargs, two_groups)
    train(source, params, opt, steps=5)
    saved = opt.state_dict()
    start = values(params)
    results = []
    for lib in (source, target):
        fresh, opt2 = make(lib, name, dict(lr=123.0), two_groups, init=start)
        opt2.load_state_dict(convert(saved, lambda a, lib=lib: lib.tensor(a)))
        assert [g["lr"] for g in opt2.param_groups] == [0.02, kwargs["lr"]]
        results.append((train(lib, fresh, opt2, steps=7), values(fresh), opt2))
    if source is torch:
        results.reverse()
    (losses, final, ours), (t_losses, t_final, theirs) = results
    np.testing.assert_allclose(losses, t_losses, rtol=1e-10)
    for p, q in zip(final, t_final):
        np.testing.assert_allclose(p, q, rtol=1e-10, atol=1e-13)
    assert_same_state_dict(ours.state_dict(), theirs.state_dict())


def test_state_dict_layout_before_any_step():
    """Adagrad's state exists from the start, as in PyTorch; the others' appears at step 1."""
    torch = pytest.importorskip("torch")
    for name in ("Adagrad", "Adam", "SGD", "NAdam"):
        _, opt = make(minitorch, name, dict(lr=0.1), two_groups)
        _, t_opt = make(torch, name, dict(lr=0.1), two_groups)
        assert_same_state_dict(opt.state_dict(), t_opt.state_dict())


def test_older_checkpoints_without_the_newer_options_load():
    params, opt = make(minitorch, "Adam", dict(lr=0.01, amsgrad=True))
    train(minitorch, params, opt, steps=2)
    saved = opt.state_dict()
    for key in ("foreach", "capturable", "differentiable", "fused", "decoupled_weight_decay"):
        del saved["param_groups"][0][key]
    saved["state"][0]["step"] = 2  # PyTorch before 1.12 saved an int
    fresh, opt2 = make(minitorch, "Adam", dict(lr=0.5, amsgrad=True), init=values(params))
    opt2.load_state_dict(saved)
    assert opt2.param_groups[0]["decoupled_weight_decay"] is False
    assert opt2.param_groups[0]["lr"] == 0.01 and opt2.state[fresh[0]]["step"] == 2


def test_nadam_mu_product_is_float32_until_loaded():
    params, opt = make(minitorch, "NAdam", dict(lr=0.01))
    train(minitorch, params, opt, steps=3)
    saved = opt.state_dict()["state"][0]
    assert saved["mu_product"].dtype == minitorch.float32 and saved["mu_product"].shape == ()
    assert saved["step"].dtype == minitorch.float32 and saved["step"].item() == 3.0
    fresh, opt2 = make(minitorch, "NAdam", {}, init=values(params))
    opt2.load_state_dict(opt.state_dict())
    assert opt2.state[fresh[0]]["mu_product"].dtype == np.float64  # the parameter's, as in PyTorch


@pytest.mark.parametrize("name", ["Adadelta", "Adamax", "NAdam", "RAdam"])
def test_float32_parameters_keep_float32(name):
    w = minitorch.tensor(np.ones((4, 3), dtype=np.float32), requires_grad=True)
    opt = getattr(minitorch.optim, name)([w], weight_decay=0.1)
    for _ in range(2):
        opt.zero_grad()
        (w * w).sum().backward()
        opt.step()
    assert w.dtype == minitorch.float32
    assert all(buf.dtype == np.float32 for buf in opt.state[w].values() if isinstance(buf, np.ndarray))


@pytest.mark.parametrize("name", ["Adadelta", "Adamax", "NAdam", "RAdam"])
def test_cuda_gives_the_cpus_values(name):
    results = []
    for device in ("cpu", "cuda"):
        params = [minitorch.tensor(a).to(device).requires_grad_() for a in INIT]
        opt = getattr(minitorch.optim, name)(params, weight_decay=0.05)
        for _ in range(3):
            opt.zero_grad()
            ((params[0] @ params[2]).tanh().sum() + (params[1] ** 2).sum()).backward()
            opt.step()
        assert all(p.device == device for p in params)
        results.append([p.detach().cpu().numpy() for p in params])
    for a, b in zip(*results):
        np.testing.assert_allclose(b, a, rtol=1e-12, atol=1e-15)


# ------------------------------------------------------------------ bad hyper-parameters
def _w(lib=minitorch):
    return lib.zeros(2, requires_grad=True)


BAD = [
    ("Adadelta", dict(lr=-0.1), r"Adadelta: invalid lr=-0.1; it must be >= 0.0"),
    ("Adadelta", dict(rho=1.5), r"Adadelta: invalid rho=1.5; it must be in \[0.0, 1.0\]"),
    ("Adadelta", dict(eps=-1.0), r"Adadelta: invalid epsilon value eps=-1.0"),
    ("Adadelta", dict(weight_decay=-1.0), r"Adadelta: invalid weight_decay=-1.0"),
    ("Adamax", dict(betas=(1.0, 0.999)), r"Adamax: invalid betas\[0\]=1.0; it must be in \[0.0, 1.0\)"),
    ("Adamax", dict(betas=(0.9, -0.5)), r"Adamax: invalid betas\[1\]=-0.5"),
    ("Adamax", dict(lr=-1e-3), r"Adamax: invalid lr=-0.001"),
    ("NAdam", dict(momentum_decay=-0.1), r"NAdam: invalid momentum_decay=-0.1"),
    ("NAdam", dict(betas=(0.9, 1.0)), r"NAdam: invalid betas\[1\]=1.0"),
    ("NAdam", dict(eps=-1e-8), r"NAdam: invalid epsilon value eps=-1e-08"),
    ("RAdam", dict(betas=(-0.1, 0.999)), r"RAdam: invalid betas\[0\]=-0.1"),
    ("RAdam", dict(weight_decay=-0.1), r"RAdam: invalid weight_decay=-0.1"),
    ("RAdam", dict(lr=float("nan")), r"RAdam: invalid lr=nan"),
]


@pytest.mark.parametrize("name,kwargs,message", BAD, ids=[f"{n}-{k}" for n, k, _ in BAD])
def test_bad_hyperparameters_raise_pytorchs_error_type(name, kwargs, message):
    with pytest.raises(ValueError, match=message):
        getattr(minitorch.optim, name)([_w()], **kwargs)
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError):
        getattr(torch.optim, name)([_w(torch)], **kwargs)


def test_betas_must_be_a_pair():
    with pytest.raises(TypeError, match=r"NAdam: betas must be a pair"):
        minitorch.optim.NAdam([_w()], betas=0.9)


def test_implementation_switches():
    with pytest.raises(NotImplementedError, match="RAdam: differentiable=True"):
        minitorch.optim.RAdam([_w()], differentiable=True)
    with pytest.raises(RuntimeError, match="Adam: `fused` and `foreach` cannot be `True` together"):
        minitorch.optim.Adam([_w()], fused=True, foreach=True)
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        torch.optim.Adam([_w(torch)], fused=True, foreach=True)


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax",
                                  "NAdam", "RAdam"])
def test_signature_and_groups_match_pytorch(name):
    torch = pytest.importorskip("torch")
    import inspect

    ours = inspect.signature(getattr(minitorch.optim, name))
    theirs = inspect.signature(getattr(torch.optim, name))
    assert [(p.name, p.kind, p.default) for p in ours.parameters.values()] == \
        [(p.name, p.kind, p.default) for p in theirs.parameters.values()]
    group = getattr(minitorch.optim, name)([_w()]).param_groups[0]
    t_group = getattr(torch.optim, name)([_w(torch)]).param_groups[0]
    assert {k: v for k, v in group.items() if k != "params"} == \
        {k: v for k, v in t_group.items() if k != "params"}
