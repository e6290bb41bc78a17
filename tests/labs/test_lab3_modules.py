"""Lab 3, the module system: registration (3.17), walking the tree (3.18), the initialisers
(3.19) and ``Linear`` (3.20).

Each test checks behaviour against values worked out by hand (written next to them) or
statistics of many samples; none carries an implementation to read. The 3.17 tests read the
registries (``_parameters``, ``_buffers``, ``_modules``: PyTorch's names) so that they do not
also need task 3.18's traversal.
"""
import math

import numpy as np
import pytest

import minitorch
from minitorch import nn
from minitorch.nn import init


def param(*values):
    return nn.Parameter(minitorch.tensor(list(values), dtype=minitorch.float64))


class Leaf(nn.Module):
    """One own parameter ``w`` (holding ``values``) and one buffer ``b``."""

    def __init__(self, *values):
        super().__init__()
        self.w = param(*values)
        self.register_buffer("b", minitorch.zeros(1, dtype=minitorch.float64))


# ----------------------------------------------------------------------------- 3.17 registration

@pytest.mark.task(id="3.17")
def test_assignment_registers_parameters_children_and_buffers():
    m = Leaf(1.0)
    m.child = Leaf(2.0)
    m.count = 3
    m.register_buffer("scratch", minitorch.ones(2), persistent=False)
    m.kept = nn.Buffer(minitorch.ones(1))
    assert list(m._parameters) == ["w"] and list(m._modules) == ["child"]
    assert list(m._buffers) == ["b", "scratch", "kept"]
    assert m._non_persistent_buffers == {"scratch"}, "only the non-persistent buffer is remembered as such"
    assert m.w is m._parameters["w"] and m.child is m._modules["child"] and m.b is m._buffers["b"]
    assert m.__dict__["count"] == 3 and "w" not in m.__dict__, "a Parameter lives in _parameters only"


@pytest.mark.task(id="3.17")
def test_replacing_keeps_the_place_and_changing_kind_moves_the_name():
    m = Leaf(1.0)
    m.v = param(2.0)
    m.w = param(3.0)  # replaced: stays first (the state-dict order)
    assert list(m._parameters) == ["w", "v"] and float(m.w.detach().numpy()[0]) == 3.0
    m.v = Leaf(4.0)  # a Parameter's name given to a Module: one registry only
    assert list(m._parameters) == ["w"] and list(m._modules) == ["v"]
    m.plain = 5
    m.plain = param(6.0)
    assert "plain" not in m.__dict__ and list(m._parameters) == ["w", "plain"]


@pytest.mark.task(id="3.17")
def test_registered_names_take_only_their_kind_or_none():
    m = Leaf(1.0)
    m.child = Leaf(2.0)
    for name, wrong in (("w", minitorch.ones(1)), ("child", 3), ("b", [1.0])):
        with pytest.raises(TypeError, match=name):
            setattr(m, name, wrong)
    m.b = minitorch.ones(1)  # a buffer takes any tensor
    np.testing.assert_array_equal(m._buffers["b"].numpy(), [1.0])
    m.w, m.child, m.b = None, None, None
    assert (m._parameters["w"], m._modules["child"], m._buffers["b"]) == (None, None, None)
    assert (m.w, m.child, m.b) == (None, None, None)


@pytest.mark.task(id="3.17")
def test_lookup_and_deletion():
    m = Leaf(1.0)
    m.child = Leaf(2.0)
    with pytest.raises(AttributeError, match="'Leaf' object has no attribute 'missing'"):
        m.missing
    assert getattr(m, "missing", "default") == "default"
    del m.w, m.child
    m.plain = 1
    del m.plain
    assert (list(m._parameters), list(m._modules), hasattr(m, "plain"), hasattr(m, "w")) == ([], [], False, False)


@pytest.mark.task(id="3.17")
def test_registering_before_init_is_a_clear_error():
    class Early(nn.Module):
        def __init__(self):
            self.w = param(1.0)
            super().__init__()

    with pytest.raises(AttributeError, match="super\\(\\).__init__\\(\\)"):
        Early()


# ----------------------------------------------------------------------------- 3.18 traversal

def tree():
    """root(w=[1]) -> a(w=[2]) -> c(w=[3]); root -> d(w=[4]); root.shared = root.a.c (twice in the tree)."""
    root, a, b, c = Leaf(1.0), Leaf(2.0), Leaf(4.0), Leaf(3.0)
    a.c = c
    root.a, root.d, root.shared = a, b, c
    return root


def first_values(pairs):
    return [(name, float(t.detach().numpy()[0])) for name, t in pairs]


@pytest.mark.task(id="3.18")
def test_named_modules_depth_first_each_once():
    root = tree()
    assert [name for name, _ in root.named_modules()] == ["", "a", "a.c", "d"]
    assert [name for name, _ in root.named_modules(remove_duplicate=False)] == ["", "a", "a.c", "d", "shared"]
    assert [name for name, _ in root.a.named_modules(prefix="model.a")] == ["model.a", "model.a.c"]
    assert [m for _, m in root.named_modules()][2] is root.a.c
    assert len(list(root.modules())) == 4


@pytest.mark.task(id="3.18")
def test_named_children_are_direct_and_unique():
    root = tree()
    root.again, root.d = root.a, None  # a child registered twice, and a registered None
    assert [name for name, _ in root.named_children()] == ["a", "shared"], "root.a once; None skipped"
    assert list(root.children()) == [root.a, root.a.c]


@pytest.mark.task(id="3.18")
def test_named_parameters_and_buffers_in_registration_order():
    root = tree()
    root.d.w = None  # a registered None is skipped
    assert first_values(root.named_parameters()) == [("w", 1.0), ("a.w", 2.0), ("a.c.w", 3.0)]
    assert first_values(root.named_parameters(prefix="net", recurse=False)) == [("net.w", 1.0)]
    assert [name for name, _ in root.named_buffers()] == ["b", "a.b", "a.c.b", "d.b"]
    root.d.w = root.w  # one parameter in two places: once, unless duplicates are asked for
    assert [name for name, _ in root.named_parameters()] == ["w", "a.w", "a.c.w"]
    assert [name for name, _ in root.named_parameters(remove_duplicate=False)] == [
        "w", "a.w", "a.c.w", "d.w", "shared.w"]
    assert [float(p.detach().numpy()[0]) for p in root.parameters()] == [1.0, 2.0, 3.0]


# ----------------------------------------------------------------------------- 3.19 initialisers

def empty(*shape):
    return minitorch.empty(*shape, dtype=minitorch.float64)


@pytest.mark.task(id="3.19")
def test_gains_and_fans():
    assert init.calculate_gain("relu") == pytest.approx(math.sqrt(2))
    assert init.calculate_gain("tanh") == pytest.approx(5 / 3)
    assert init.calculate_gain("conv2d") == init.calculate_gain("sigmoid") == 1.0
    assert init.calculate_gain("leaky_relu", 0.5) == pytest.approx(math.sqrt(2 / 1.25))
    assert init.calculate_gain("leaky_relu") == pytest.approx(math.sqrt(2 / 1.0001))
    assert init.calculate_gain("selu") == 0.75
    with pytest.raises(ValueError, match="swish"):
        init.calculate_gain("swish")
    assert init._calculate_fan_in_and_fan_out(empty(7, 3)) == (3, 7)
    assert init._calculate_fan_in_and_fan_out(empty(6, 4, 5, 5)) == (100, 150)  # in * 25, out * 25
    with pytest.raises(ValueError, match="dimension"):
        init._calculate_fan_in_and_fan_out(empty(5))


@pytest.mark.task(id="3.19")
def test_uniform_fills_in_place_within_its_bounds():
    minitorch.manual_seed(0)
    t = empty(20000)
    assert init.uniform_(t, -1.0, 3.0) is t
    x = t.numpy()
    assert x.min() >= -1.0 and x.max() < 3.0
    assert x.mean() == pytest.approx(1.0, abs=0.05) and x.var() == pytest.approx(16 / 12, rel=0.05)
    g = minitorch.Generator().manual_seed(3)
    a = init.uniform_(empty(5), generator=g).numpy().copy()
    b = init.uniform_(empty(5), generator=minitorch.Generator().manual_seed(3)).numpy()
    np.testing.assert_array_equal(a, b)


@pytest.mark.task(id="3.19")
def test_glorot_and_he_uniform_bounds():
    minitorch.manual_seed(0)
    w = init.xavier_uniform_(empty(200, 300), gain=2.0).numpy()
    bound = 2.0 * math.sqrt(6 / 500)  # fan_in 300 + fan_out 200
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.99 * bound
    conv = init.kaiming_uniform_(empty(40, 8, 3, 3), mode="fan_out", nonlinearity="relu").numpy()
    bound = math.sqrt(2) * math.sqrt(3 / 360)  # fan_out = 40 * 3 * 3
    assert np.abs(conv).max() <= bound and np.abs(conv).max() > 0.99 * bound
    assert init.kaiming_uniform_(empty(0, 3)).shape == (0, 3)  # no elements: nothing to draw
    with pytest.raises(ValueError, match="mode"):
        init.kaiming_uniform_(empty(3, 3), mode="fan")


@pytest.mark.task(id="3.19")
def test_default_layer_init_uses_one_over_sqrt_fan_in():
    minitorch.manual_seed(0)
    weight, bias = empty(400, 16), empty(400)
    init.default_layer_init_(weight, bias)
    for t in (weight.numpy(), bias.numpy()):  # both U(-1/4, 1/4): fan_in = 16
        assert np.abs(t).max() <= 0.25 and np.abs(t).max() > 0.24
        assert t.var() == pytest.approx(0.25**2 / 3, rel=0.1)


# ----------------------------------------------------------------------------- 3.20 Linear

@pytest.mark.task(id="3.20")
def test_linear_parameters():
    minitorch.manual_seed(0)
    layer = nn.Linear(16, 300, dtype=minitorch.float64)
    assert list(layer._parameters) == ["weight", "bias"]
    assert isinstance(layer.weight, nn.Parameter) and layer.weight.requires_grad
    assert tuple(layer.weight.shape) == (300, 16) and tuple(layer.bias.shape) == (300,)
    assert layer.weight.dtype == minitorch.float64 and layer.bias.dtype == minitorch.float64
    for t in (layer.weight.detach().numpy(), layer.bias.detach().numpy()):
        assert np.abs(t).max() <= 0.25 and np.abs(t).max() > 0.24  # U(-1/sqrt(16), 1/sqrt(16))
    no_bias = nn.Linear(2, 3, bias=False)
    assert list(no_bias._parameters) == ["weight", "bias"] and no_bias.bias is None
    assert no_bias.weight.dtype == minitorch.float32


@pytest.mark.task(id="3.20")
def test_linear_forward_and_reset():
    layer = nn.Linear(2, 3, dtype=minitorch.float64)
    with minitorch.no_grad():
        layer.weight.copy_(minitorch.tensor([[1.0, 2.0], [0.0, -1.0], [3.0, 0.5]], dtype=minitorch.float64))
        layer.bias.copy_(minitorch.tensor([0.5, 0.0, -1.0], dtype=minitorch.float64))
    x = minitorch.tensor([[[1.0, 1.0]], [[2.0, -2.0]]], dtype=minitorch.float64)  # (2, 1, 2)
    y = layer(x)
    # rows: [1 + 2 + .5, -1, 3 + .5 - 1] and [2 - 4 + .5, 2, 6 - 1 - 1]
    np.testing.assert_allclose(y.detach().numpy(), [[[3.5, -1.0, 2.5]], [[-1.5, 2.0, 4.0]]])
    y.sum().backward()
    np.testing.assert_allclose(layer.bias.grad.numpy(), [2.0, 2.0, 2.0])
    np.testing.assert_allclose(layer.weight.grad.numpy(), [[3.0, -1.0]] * 3)
    weight = layer.weight
    layer.reset_parameters()
    assert layer.weight is weight and np.abs(weight.detach().numpy()).max() <= 1 / math.sqrt(2)
