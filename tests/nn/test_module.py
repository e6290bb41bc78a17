"""minitorch.nn: Module registration and naming, state dicts, modes, layers, containers, clipping.

Where PyTorch defines the answer (state-dict keys, reprs, outputs after loading the
same weights, clip_grad_norm_), the test builds the same model in both and compares.
"""
import copy
from collections import OrderedDict

import numpy as np
import pytest

import minitorch
import minitorch.nn as nn
import minitorch.nn.functional as F


def torch_or_skip():
    return pytest.importorskip("torch")


def make_block(lib):
    """Parameters, a persistent and a non-persistent buffer, children, a list and a dict;
    built from ``lib`` (minitorch or torch) so that both get the same architecture."""

    class Block(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = lib.nn.Linear(3, 4)
            self.scale = lib.nn.Parameter(lib.ones(4))
            self.register_buffer("running", lib.zeros(4))
            self.register_buffer("scratch", lib.zeros(2), persistent=False)
            self.heads = lib.nn.ModuleList([lib.nn.Linear(4, 2), lib.nn.Linear(4, 2, bias=False)])
            self.named = lib.nn.ModuleDict({"act": lib.nn.Tanh(), "out": lib.nn.Linear(2, 1)})

        def forward(self, x):
            h = self.fc1(x).relu() * self.scale + self.running
            h = self.heads[0](h) + self.heads[1](h)
            return self.named["out"](self.named["act"](h))

    return Block()


def make_net(lib):
    return lib.nn.Sequential(
        lib.nn.Linear(5, 8),
        lib.nn.ReLU(),
        lib.nn.Dropout(0.25),
        lib.nn.Sequential(lib.nn.Linear(8, 6), lib.nn.Tanh()),
        lib.nn.Linear(6, 3, bias=False),
        lib.nn.Flatten(),
    )


def to_numpy_state(torch_module):
    return {k: v.detach().numpy() for k, v in torch_module.state_dict().items()}


# ------------------------------------------------------------------ registration
def test_attributes_register_parameters_buffers_and_children():
    block = make_block(minitorch)
    assert [n for n, _ in block.named_parameters()] == [
        "scale", "fc1.weight", "fc1.bias", "heads.0.weight", "heads.0.bias", "heads.1.weight",
        "named.out.weight", "named.out.bias",
    ]
    assert [n for n, _ in block.named_buffers()] == ["running", "scratch"]
    assert [n for n, _ in block.named_children()] == ["fc1", "heads", "named"]
    assert [n for n, _ in block.named_modules()] == [
        "", "fc1", "heads", "heads.0", "heads.1", "named", "named.act", "named.out",
    ]
    assert len(list(block.parameters(recurse=False))) == 1
    assert block.fc1.weight is block._modules["fc1"]._parameters["weight"]
    assert "fc1" not in block.__dict__  # children live in the registry, not as plain attributes


def test_reassigning_and_deleting_attributes_updates_the_registries():
    m = nn.Linear(2, 2)
    m.bias = None
    assert [n for n, _ in m.named_parameters()] == ["weight"] and "bias" not in m.state_dict()
    m.extra = nn.Parameter(minitorch.zeros(1))
    del m.weight
    assert [n for n, _ in m.named_parameters()] == ["extra"]
    with pytest.raises(AttributeError, match="no attribute 'weight'"):
        m.weight


def test_shared_parameters_and_modules_are_listed_once():
    shared = nn.Linear(4, 4)
    net = nn.Sequential(shared, nn.ReLU(), shared)
    assert len(list(net.parameters())) == 2
    assert [n for n, _ in net.named_modules()] == ["", "0", "1"]
    tied = nn.Sequential(nn.Linear(3, 3), nn.Linear(3, 3, bias=False))
    tied[1].weight = tied[0].weight
    assert [n for n, _ in tied.named_parameters()] == ["0.weight", "0.bias"]
    assert list(tied.state_dict()) == ["0.weight", "0.bias", "1.weight"]  # as PyTorch: every key


def test_registration_errors_are_clear():
    class Early(nn.Module):
        def __init__(self):
            self.fc = nn.Linear(1, 1)  # before super().__init__()

    with pytest.raises(AttributeError, match=r"super\(\).__init__\(\)"):
        Early()
    m = nn.Linear(2, 2)
    with pytest.raises(TypeError, match="parameter 'weight'.*nn.Parameter"):
        m.weight = minitorch.zeros(2, 2)
    with pytest.raises(TypeError, match="nn.Parameter or None"):
        m.register_parameter("w2", minitorch.zeros(1))
    with pytest.raises(KeyError, match="without"):
        m.register_buffer("a.b", minitorch.zeros(1))
    with pytest.raises(KeyError, match="already exists"):
        m.register_buffer("weight", minitorch.zeros(1))
    with pytest.raises(NotImplementedError, match="forward"):
        nn.Module()(minitorch.zeros(1))


def test_state_dict_keys_and_shapes_match_pytorch():
    torch = torch_or_skip()
    for ours, theirs in [(make_net(minitorch), make_net(torch)), (make_block(minitorch), make_block(torch))]:
        ours_sd, theirs_sd = ours.state_dict(), theirs.state_dict()
        assert isinstance(ours_sd, OrderedDict)
        assert list(ours_sd) == list(theirs_sd)
        assert [tuple(v.shape) for v in ours_sd.values()] == [tuple(v.shape) for v in theirs_sd.values()]
        assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]


def test_state_dict_tensors_are_detached_and_share_memory():
    m = nn.Linear(2, 3)
    sd = m.state_dict()
    assert not sd["weight"].requires_grad and not isinstance(sd["weight"], nn.Parameter)
    with minitorch.no_grad():
        m.weight.fill_(7.0)
    assert np.all(sd["weight"].numpy() == 7.0)
    assert m.state_dict(keep_vars=True)["weight"] is m.weight


# ---------------------------------------------------------------- load_state_dict
@pytest.mark.parametrize("build", [make_net, make_block])
def test_loading_pytorch_weights_gives_identical_outputs(build):
    torch = torch_or_skip()
    theirs = build(torch).double().eval()
    with torch.no_grad():
        for name, buffer in theirs.named_buffers():
            buffer.normal_()
    ours = build(minitorch).double().eval()
    params_before = list(ours.parameters())
    result = ours.load_state_dict(to_numpy_state(theirs))
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert repr(result) == "<All keys matched successfully>"
    assert list(ours.parameters())[0] is params_before[0]  # copied in place, same objects
    x = np.random.default_rng(0).standard_normal((7, 5 if build is make_net else 3))
    expected = theirs(torch.tensor(x)).detach().numpy()
    np.testing.assert_allclose(ours(minitorch.tensor(x)).detach().numpy(), expected, rtol=1e-12, atol=1e-12)


def test_gradients_after_loading_match_pytorch():
    torch = torch_or_skip()
    theirs, ours = make_net(torch).double(), make_net(minitorch).double()
    ours.load_state_dict(theirs.state_dict())  # torch tensors are accepted directly too
    x = np.random.default_rng(1).standard_normal((4, 5))
    ours.eval(), theirs.eval()
    (ours(minitorch.tensor(x)) ** 2).sum().backward()
    (theirs(torch.tensor(x)) ** 2).sum().backward()
    for (name, p), (tname, tp) in zip(ours.named_parameters(), theirs.named_parameters()):
        assert name == tname
        np.testing.assert_allclose(p.grad.numpy(), tp.grad.numpy(), rtol=1e-12, atol=1e-12)


def test_strict_loading_reports_missing_and_unexpected_keys():
    m = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1))
    sd = {k: v.numpy().copy() for k, v in m.state_dict().items()}
    del sd["1.bias"]
    sd["2.weight"] = np.zeros((1, 1))
    with pytest.raises(RuntimeError, match=r'Missing key\(s\) in state_dict: "1.bias"') as info:
        m.load_state_dict(sd)
    assert '"2.weight"' in str(info.value) and "strict=False" in str(info.value)
    sd["0.weight"] += 1.0
    result = m.load_state_dict(sd, strict=False)
    assert result == (["1.bias"], ["2.weight"])
    assert result.missing_keys == ["1.bias"] and result.unexpected_keys == ["2.weight"]
    np.testing.assert_array_equal(m[0].weight.detach().numpy(), sd["0.weight"])


def test_shape_mismatch_names_the_key_and_both_shapes_and_loads_nothing():
    m = nn.Linear(4, 3)
    before = m.bias.detach().numpy().copy()
    bad = {"weight": np.zeros((4, 3)), "bias": np.ones(3)}
    for strict in (True, False):
        with pytest.raises(RuntimeError, match=r"size mismatch for weight: .*\(4, 3\).*\(3, 4\)"):
            m.load_state_dict(bad, strict=strict)
    np.testing.assert_array_equal(m.bias.detach().numpy(), before)
    with pytest.raises(RuntimeError, match="'bias'"):  # PyTorch's class (issue 13)
        m.load_state_dict({"weight": np.zeros((3, 4)), "bias": "oops"})


# ------------------------------------------------------------------------- modes
def test_train_and_eval_propagate_to_every_descendant():
    net = make_net(minitorch)
    assert all(m.training for m in net.modules())
    assert net.eval() is net
    assert not any(m.training for m in net.modules())
    net[3].train()
    assert net[3][1].training and not net.training
    x = minitorch.ones(200, 5)
    drop = nn.Dropout(0.5)
    assert (drop(x).numpy() == 0).any()
    drop.eval()
    np.testing.assert_array_equal(drop(x).numpy(), x.numpy())


def test_zero_grad_requires_grad_and_apply():
    m = nn.Linear(3, 2)
    m(minitorch.ones(1, 3)).sum().backward()
    m.zero_grad(set_to_none=False)
    assert np.all(m.weight.grad.numpy() == 0)
    m.zero_grad()
    assert m.weight.grad is None
    m.requires_grad_(False)
    assert not any(p.requires_grad for p in m.parameters())
    visited = []
    make_net(minitorch).apply(lambda mod: visited.append(type(mod).__name__))
    assert visited[-1] == "Sequential" and visited[:2] == ["Linear", "ReLU"]


def test_to_converts_floating_parameters_and_buffers():
    block = make_block(minitorch)
    block.register_buffer("count", minitorch.tensor([3]))
    block.fc1(minitorch.ones(1, 3)).sum().backward()
    weight = block.fc1.weight
    assert block.to(minitorch.float64) is block
    assert block.fc1.weight is weight and weight.dtype == minitorch.float64
    assert weight.grad.dtype == minitorch.float64 and block.running.dtype == minitorch.float64
    assert block.count.dtype == minitorch.int64
    assert block.float().scale.dtype == minitorch.float32
    assert block.to("cpu") is block
    with pytest.raises(TypeError, match="floating-point"):
        block.to(minitorch.int64)


def test_deepcopy_gives_an_independent_module():
    m = make_net(minitorch)
    clone = copy.deepcopy(m)
    with minitorch.no_grad():
        clone[0].weight.fill_(0.0)
    assert not np.all(m[0].weight.detach().numpy() == 0)
    assert list(clone.state_dict()) == list(m.state_dict())


# ------------------------------------------------------------------ layers, repr
def test_repr_matches_pytorch():
    torch = torch_or_skip()
    def make_list(lib):
        layers = [lib.nn.GELU(), lib.nn.Softmax(dim=1), lib.nn.LogSoftmax(dim=-1), lib.nn.Identity()]
        return lib.nn.ModuleList(layers)

    for build in (make_net, make_list, make_block):
        assert repr(build(minitorch)) == repr(build(torch))
    assert repr(nn.Sigmoid()) == "Sigmoid()"
    assert repr(nn.Parameter(minitorch.ones(1))).startswith("Parameter containing:\ntensor([1.]")


@pytest.mark.parametrize("name, kwargs", [
    ("ReLU", {}), ("Sigmoid", {}), ("Tanh", {}), ("GELU", {}), ("GELU", {"approximate": "tanh"}),
    ("Softmax", {"dim": 1}), ("LogSoftmax", {"dim": 0}), ("Identity", {}), ("Flatten", {}),
    ("Flatten", {"start_dim": 0, "end_dim": 1}),
])
def test_layers_without_weights_match_pytorch(name, kwargs):
    torch = torch_or_skip()
    x = np.random.default_rng(2).standard_normal((3, 4, 2))
    ours = getattr(nn, name)(**kwargs)(minitorch.tensor(x))
    theirs = getattr(torch.nn, name)(**kwargs)(torch.tensor(x))
    assert ours.shape == tuple(theirs.shape)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-10, atol=1e-12)


def test_linear_computes_x_wt_plus_b_and_checks_its_arguments():
    m = nn.Linear(3, 2, dtype=minitorch.float64)
    assert m.weight.shape == (2, 3) and m.bias.shape == (2,) and m.weight.dtype == minitorch.float64
    x = np.arange(12.0).reshape(2, 2, 3)
    expected = x @ m.weight.detach().numpy().T + m.bias.detach().numpy()
    np.testing.assert_allclose(m(minitorch.tensor(x)).detach().numpy(), expected, rtol=1e-12)
    assert nn.Linear(3, 2, bias=False).bias is None
    with pytest.raises(TypeError, match="Linear: in_features must be an integer, got 2.5"):  # PyTorch: TypeError
        nn.Linear(2.5, 3)
    with pytest.raises(ValueError, match="Linear: out_features must be at least 0, got -1"):
        nn.Linear(2, -1)
    with pytest.raises(ValueError, match="dim"):
        nn.Softmax()(minitorch.ones(2, 2))
    with pytest.raises(ValueError, match="probability"):
        nn.Dropout(1.5)


def test_parameter_shares_memory_and_is_a_leaf():
    t = minitorch.zeros(3)
    p = nn.Parameter(t)
    assert isinstance(p, minitorch.Tensor) and p.requires_grad and p.is_leaf
    with minitorch.no_grad():
        p.fill_(2.0)
    assert t.tolist() == [2.0, 2.0, 2.0]
    assert not nn.Parameter(minitorch.ones(2), requires_grad=False).requires_grad
    assert type(p * 2) is minitorch.Tensor  # ops on parameters give plain tensors
    with pytest.raises(RuntimeError, match="floating-point"):
        nn.Parameter(minitorch.tensor([1, 2]))


# -------------------------------------------------------------------- containers
def test_sequential_indexing_iteration_and_append():
    a, b, c = nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)
    seq = nn.Sequential(a, b)
    assert len(seq) == 2 and seq[0] is a and seq[-1] is b and list(seq) == [a, b]
    assert seq.append(c) is seq and seq[2] is c and list(seq.state_dict())[-1] == "2.bias"
    tail = seq[1:]
    assert isinstance(tail, nn.Sequential) and list(tail._modules) == ["1", "2"]
    x = minitorch.randn(4, 2)
    np.testing.assert_allclose(seq(x).detach().numpy(), c(b(a(x))).detach().numpy())
    seq[1] = nn.Tanh()
    assert isinstance(seq[1], nn.Tanh) and list(seq._modules) == ["0", "1", "2"]
    named = nn.Sequential(OrderedDict([("enc", nn.Linear(2, 2)), ("act", nn.ReLU())]))
    assert list(named.state_dict()) == ["enc.weight", "enc.bias"] and named.enc is named[0]
    with pytest.raises(IndexError, match="out of range"):
        seq[3]
    with pytest.raises(TypeError, match="nn.Module"):
        nn.Sequential(F.relu)


def test_module_list_and_module_dict():
    layers = nn.ModuleList([nn.Linear(1, 1) for _ in range(3)])
    first, last = layers[0], layers[2]
    del layers[1]
    assert list(layers._modules) == ["0", "1"] and layers[1] is last
    layers.insert(0, nn.Tanh())
    assert isinstance(layers[0], nn.Tanh) and layers[1] is first and len(layers) == 3
    layers += [nn.ReLU()]
    assert isinstance(layers[-1], nn.ReLU) and isinstance(layers[1:], nn.ModuleList)
    assert [n for n, _ in layers.named_parameters()] == ["1.weight", "1.bias", "2.weight", "2.bias"]
    d = nn.ModuleDict({"enc": nn.Linear(2, 2)})
    d["dec"] = nn.Linear(2, 1)
    assert list(d) == ["enc", "dec"] and "dec" in d and len(d) == 2
    assert list(d.state_dict()) == ["enc.weight", "enc.bias", "dec.weight", "dec.bias"]
    assert isinstance(d.pop("enc"), nn.Linear) and list(d.keys()) == ["dec"]


# ------------------------------------------------------------ gradient clipping
def _grads_pair(torch, seed):
    rng = np.random.default_rng(seed)
    shapes = [(3, 4), (4,), (2, 2, 2)]
    arrays = [rng.standard_normal(s) * 3 for s in shapes]
    ours = [nn.Parameter(minitorch.tensor(a)) for a in arrays]
    theirs = [torch.nn.Parameter(torch.tensor(a)) for a in arrays]
    for o, t, a in zip(ours, theirs, arrays):
        o.grad = minitorch.tensor(a * 1.5)
        t.grad = torch.tensor(a * 1.5)
    return ours, theirs


@pytest.mark.parametrize("max_norm", [0.5, 1e4])
@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, float("inf")])
def test_clip_grad_norm_matches_pytorch(max_norm, norm_type):
    torch = torch_or_skip()
    ours, theirs = _grads_pair(torch, seed=3)
    total = nn.utils.clip_grad_norm_(ours, max_norm, norm_type=norm_type)
    ref = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type=norm_type)
    assert isinstance(total, minitorch.Tensor)
    np.testing.assert_allclose(total.item(), ref.item(), rtol=1e-12)
    for o, t in zip(ours, theirs):
        np.testing.assert_allclose(o.grad.numpy(), t.grad.numpy(), rtol=1e-12, atol=1e-15)


def test_clip_grad_value_and_nonfinite_norm():
    torch = torch_or_skip()
    ours, theirs = _grads_pair(torch, seed=4)
    nn.utils.clip_grad_value_(ours, 1.0)
    torch.nn.utils.clip_grad_value_(theirs, 1.0)
    for o, t in zip(ours, theirs):
        np.testing.assert_array_equal(o.grad.numpy(), t.grad.numpy())
    ours[0].grad = minitorch.full(tuple(ours[0].shape), float("nan"), dtype=ours[0].dtype)
    with pytest.raises(RuntimeError, match="nan"):
        nn.utils.clip_grad_norm_(ours, 1.0, error_if_nonfinite=True)
    assert nn.utils.clip_grad_norm_([nn.Parameter(minitorch.ones(2))], 1.0).item() == 0.0


def test_parameters_to_vector_round_trip():
    m = nn.Linear(3, 2)
    vec = nn.utils.parameters_to_vector(m.parameters())
    assert vec.shape == (8,)
    nn.utils.vector_to_parameters(vec * 2, m.parameters())
    np.testing.assert_allclose(nn.utils.parameters_to_vector(m.parameters()).detach().numpy(),
                               vec.detach().numpy() * 2, rtol=1e-6)
    with pytest.raises(ValueError, match="8 elements"):
        nn.utils.vector_to_parameters(minitorch.zeros(7), m.parameters())
