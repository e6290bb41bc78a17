"""nn.Module features, containers, nn.utils and nn.init against PyTorch: hooks, lookups, state dicts, reprs."""
import numpy as np
import pytest

import minitorch
from minitorch import nn


def _linear(lib):
    m = lib.nn.Linear(3, 2)
    with lib.no_grad():
        m.weight.copy_(lib.tensor(np.arange(6.0).reshape(2, 3)))
        m.bias.fill_(0.5)
    return m


def _hook_log(lib, input_requires_grad):
    m, log = _linear(lib), []
    m.register_forward_pre_hook(lambda mod, args: log.append(("pre", len(args))))
    m.register_forward_hook(lambda mod, args, out: log.append(("fwd", out.tolist())))
    m.register_full_backward_pre_hook(lambda mod, go: log.append(("bpre", [g.tolist() for g in go])))
    handle = m.register_full_backward_hook(
        lambda mod, gi, go: log.append(("bwd", [None if g is None else g.tolist() for g in gi],
                                        [g.tolist() for g in go])))
    x = lib.tensor([[1.0, 2.0, 3.0]], requires_grad=input_requires_grad)
    (m(x) * lib.tensor([[1.0, 2.0]])).sum().backward()
    handle.remove()
    m(x).sum().backward()
    return log, None if x.grad is None else x.grad.tolist()


@pytest.mark.parametrize("input_requires_grad", [True, False])
@pytest.mark.filterwarnings("ignore:Full backward hook")
def test_hooks_order_and_arguments_match_torch(input_requires_grad):
    torch = pytest.importorskip("torch")
    assert _hook_log(minitorch, input_requires_grad) == _hook_log(torch, input_requires_grad)


def test_hooks_replace_values_and_kwargs_and_always_call():
    m = nn.Identity()
    m.register_forward_pre_hook(lambda mod, args, kwargs: ((args[0] * 2,), kwargs), with_kwargs=True)
    h = m.register_forward_hook(lambda mod, args, out: out + 1)
    assert m(minitorch.tensor([1.0])).tolist() == [3.0]
    h.remove()
    assert m(minitorch.tensor([1.0])).tolist() == [2.0]
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    lin = nn.Identity()
    lin.register_full_backward_hook(lambda mod, gi, go: (gi[0] * 10,))
    lin(x).sum().backward()
    assert x.grad.tolist() == [10.0, 10.0]

    class Boom(nn.Module):
        def forward(self, x):
            raise ValueError("boom")

    seen = []
    b = Boom()
    b.register_forward_hook(lambda mod, args, out: seen.append(out), always_call=True)
    with pytest.raises(ValueError, match="boom"):
        b(1)
    assert seen == [None]


def _tree(lib):
    net = lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.ReLU(), lib.nn.Sequential(lib.nn.Linear(3, 1)))
    net.register_buffer("step", lib.zeros(1))
    net.register_buffer("cache", lib.zeros(2), persistent=False)
    return net


def test_lookups_names_and_state_dict_match_torch():
    torch = pytest.importorskip("torch")
    ours, theirs = _tree(minitorch), _tree(torch)
    for f in (lambda n: list(n.state_dict()), lambda n: [k for k, _ in n.named_parameters(prefix="p")],
              lambda n: [k for k, _ in n.named_buffers()], lambda n: [k for k, _ in n.named_modules()],
              lambda n: [k for k, _ in n.named_children()], lambda n: n.get_parameter("2.0.bias").shape[0],
              lambda n: type(n.get_submodule("2.0")).__name__, lambda n: n.get_buffer("step").shape[0],
              lambda n: repr(n), lambda n: len(list(n.parameters(recurse=False)))):
        assert f(ours) == f(theirs)
    for lib, net in ((minitorch, ours), (torch, theirs)):
        with pytest.raises(AttributeError, match="has no attribute `nope`"):
            net.get_submodule("nope")
        with pytest.raises(AttributeError, match="is not an nn.Parameter"):
            net.get_parameter("step")


def test_load_state_dict_assign_and_keys():
    net = _tree(minitorch)
    sd = {k: v.clone() + 1 for k, v in net.state_dict().items()}
    result = net.load_state_dict(sd, assign=True)
    assert result.missing_keys == [] and repr(result) == "<All keys matched successfully>"
    assert isinstance(net[0].weight, nn.Parameter) and net[0].weight.requires_grad
    assert net[0].weight.tolist() == sd["0.weight"].tolist()
    sd.pop("step")
    missing, unexpected = net.load_state_dict({**sd, "extra": minitorch.zeros(1)}, strict=False)
    assert missing == ["step"] and unexpected == ["extra"]


def test_apply_to_type_and_modes():
    net = _tree(minitorch)
    seen = []
    assert net.apply(lambda m: seen.append(type(m).__name__)) is net
    assert seen == ["Linear", "ReLU", "Linear", "Sequential", "Sequential"]
    weight = net[0].weight
    net.to(minitorch.device("cpu"), minitorch.float64)
    assert net[0].weight is weight and weight.dtype == minitorch.float64
    net.to(minitorch.zeros(1, dtype=minitorch.float32))
    assert weight.dtype == minitorch.float32
    assert net.type(minitorch.float64).get_buffer("step").dtype == minitorch.float64
    assert not net.eval().training and not net[2][0].training
    with pytest.raises(TypeError, match="floating"):
        net.to(minitorch.int64)


def test_sequential_and_modulelist_operations_match_torch():
    torch = pytest.importorskip("torch")

    def ops(lib):
        s = lib.nn.Sequential(lib.nn.ReLU(), lib.nn.Tanh())
        s.insert(1, lib.nn.Sigmoid()).extend([lib.nn.ReLU()])
        out = [repr(s), len(s + s), repr(s * 2), type(s.pop(0)).__name__, repr(s[1:]), repr(s)]
        del s[0]
        s += lib.nn.Sequential(lib.nn.Tanh())
        ml = lib.nn.ModuleList([lib.nn.ReLU()] * 3 + [lib.nn.Tanh()])
        out += [repr(s), repr(ml), len(ml + ml), type(ml.pop(-1)).__name__, repr(ml[:2])]
        ml.insert(0, lib.nn.Tanh())
        del ml[1]
        out += [repr(ml), [k for k in dir(ml) if k.isdigit()]]
        d = lib.nn.ModuleDict({"a": lib.nn.ReLU()})
        d.clear()
        return out + [len(d)]

    assert ops(minitorch) == ops(torch)
    with pytest.raises(ValueError):
        nn.Sequential() + nn.ModuleList()
    with pytest.raises(ValueError):
        nn.Sequential(nn.ReLU()) * 0


def test_parameter_list_and_dict_match_torch():
    torch = pytest.importorskip("torch")

    def build(lib):
        pl = lib.nn.ParameterList([lib.nn.Parameter(lib.ones(2, 3)), lib.ones(2)])
        pl.append(lib.zeros(1))
        pd = lib.nn.ParameterDict({"b": lib.ones(2), "a": lib.nn.Parameter(lib.ones(1))})
        pd["c"] = lib.zeros(3)
        model = lib.nn.Module()
        model.pl, model.pd = pl, pd
        return (list(model.state_dict()), type(pl[1]).__name__, pl[1].requires_grad, len(pl), len(pl[1:]),
                list(pd.keys()), type(pd.pop("c")).__name__, len(list(model.parameters())),
                repr(pl).replace("minitorch.", "").replace("torch.", ""))

    assert build(minitorch) == build(torch)


def test_clip_grad_utilities_match_torch():
    torch = pytest.importorskip("torch")
    grads = [np.array([3.0, 4.0]), np.array([[1.0, -12.0]])]
    results = []
    for lib in (minitorch, torch):
        params = [lib.nn.Parameter(lib.zeros(*g.shape)) for g in grads]
        for p, g in zip(params, grads):
            p.grad = lib.tensor(g, dtype=lib.float32)
        total = lib.nn.utils.get_total_norm([p.grad for p in params], norm_type=3.0)
        lib.nn.utils.clip_grads_with_norm_(params, 1.0, total, foreach=None)
        norm = lib.nn.utils.clip_grad_norm_(params, 0.5, foreach=True)
        lib.nn.utils.clip_grad_value_(params, 0.1, foreach=None)
        results.append((round(float(total), 5), round(float(norm), 5), [np.round(p.grad.numpy(), 5).tolist() for p in params]))
    assert results[0] == results[1]


@pytest.mark.parametrize("name, shape, kwargs", [
    ("eye_", (3, 4), {}), ("dirac_", (4, 2, 3), {"groups": 2}), ("dirac_", (2, 2, 3, 3), {}),
])
def test_deterministic_inits_match_torch(name, shape, kwargs):
    torch = pytest.importorskip("torch")
    ours = getattr(nn.init, name)(minitorch.empty(*shape), **kwargs)
    theirs = getattr(torch.nn.init, name)(torch.empty(*shape), **kwargs)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_orthogonal_and_sparse_inits():
    minitorch.manual_seed(0)
    for shape in ((3, 5), (5, 3), (4, 2, 2)):
        w = nn.init.orthogonal_(minitorch.empty(*shape), gain=2.0).numpy().reshape(shape[0], -1)
        small = w @ w.T if shape[0] <= w.shape[1] else w.T @ w
        np.testing.assert_allclose(small, 4.0 * np.eye(len(small)), atol=1e-5)
    w = nn.init.sparse_(minitorch.empty(10, 4), sparsity=0.25).numpy()
    assert ((w == 0).sum(axis=0) == 3).all()
    with pytest.raises(ValueError, match="2 dimensions"):
        nn.init.eye_(minitorch.empty(2, 2, 2))
    with pytest.raises(ValueError, match="divisible"):
        nn.init.dirac_(minitorch.empty(3, 2, 3), groups=2)
