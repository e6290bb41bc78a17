"""The layers of nn/normalization_more, padding, dropout, pixelshuffle, bilinear, embedding_bag and lazy,
and nn.Buffer: values and gradients against PyTorch (float64), reprs, state_dict keys, errors.
The functional forms are checked through their catalog Cases (tests/test_catalog.py)."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minitorch
import minitorch.nn as nn
import minitorch.nn.functional as F
from minitorch.testing import gradcheck

LAYERS = [  # (constructor call, input shapes): run as lib.nn.<call> in both libraries
    ("GroupNorm(2, 4)", [(3, 4, 5)]),
    ("GroupNorm(1, 3, affine=False)", [(2, 3, 2, 2)]),
    ("InstanceNorm1d(3, affine=True)", [(2, 3, 5)]),
    ("InstanceNorm2d(3)", [(3, 4, 4)]),
    ("InstanceNorm2d(2, affine=True, track_running_stats=True)", [(2, 2, 3, 3)]),
    ("RMSNorm([3, 4])", [(2, 3, 4)]),
    ("RMSNorm(4, eps=1e-3, elementwise_affine=False)", [(2, 4)]),
    ("LocalResponseNorm(3)", [(2, 5, 3, 3)]),
    ("ZeroPad2d((1, 0, 2, 1))", [(1, 2, 3, 3)]),
    ("ZeroPad1d(2)", [(2, 3, 4)]),
    ("ConstantPad2d(1, 3.5)", [(2, 3, 3)]),
    ("ConstantPad1d((0, 2), -1.0)", [(2, 3)]),
    ("ReflectionPad2d((1, 2, 0, 1))", [(1, 2, 3, 4)]),
    ("ReflectionPad1d(2)", [(2, 3, 4)]),
    ("ReplicationPad2d(2)", [(1, 2, 3, 3)]),
    ("ReplicationPad1d((3, 1))", [(2, 3, 4)]),
    ("CircularPad2d(1)", [(1, 2, 3, 3)]),
    ("PixelShuffle(2)", [(2, 8, 3, 2)]),
    ("PixelUnshuffle(3)", [(1, 2, 6, 3)]),
    ("Bilinear(3, 4, 5)", [(2, 3), (2, 4)]),
    ("Bilinear(2, 3, 4, bias=False)", [(2, 5, 2), (2, 5, 3)]),
]


def _copy_parameters(ours, theirs):
    """Give both layers the same parameter and buffer values (float64)."""
    torch = pytest.importorskip("torch")
    with torch.no_grad():
        for name, t in theirs.state_dict().items():
            if t.is_floating_point():
                values = np.random.default_rng(3).standard_normal(tuple(t.shape))
                t.copy_(torch.tensor(np.abs(values) if name.endswith("var") else values))
            ours.state_dict()[name]._array[...] = t.numpy()


@pytest.mark.parametrize("call, shapes", LAYERS)
def test_layer_same_as_pytorch(call, shapes):
    torch = pytest.importorskip("torch")
    ours = eval(f"nn.{call}").double()
    theirs = eval(f"torch.nn.{call}").double()
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    _copy_parameters(ours, theirs)
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(s) for s in shapes]
    results = []
    for lib, layer in ((minitorch, ours), (torch, theirs)):
        inputs = [lib.tensor(a, requires_grad=True) for a in arrays]
        out = layer(*inputs)
        (out * lib.tensor(np.cos(np.arange(out.numel())).reshape(tuple(out.shape)))).sum().backward()
        grads = [p.grad.numpy() for p in layer.parameters()]
        results.append((out.detach().numpy(), [t.grad.numpy() for t in inputs], grads,
                        {k: v.numpy() for k, v in layer.state_dict().items()}))
    for ours_part, theirs_part in zip(*results):
        if isinstance(ours_part, dict):
            for key in theirs_part:
                np.testing.assert_allclose(ours_part[key], theirs_part[key], rtol=1e-10, atol=1e-12, err_msg=key)
        else:
            for a, b in zip(ours_part if isinstance(ours_part, list) else [ours_part],
                            theirs_part if isinstance(theirs_part, list) else [theirs_part]):
                np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


def test_instance_norm_eval_uses_running_statistics():
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(1).standard_normal((2, 3, 4))
    layers = [lib.nn.InstanceNorm1d(3, track_running_stats=True).double() for lib in (minitorch, torch)]
    outs = []
    for lib, layer in zip((minitorch, torch), layers):
        layer(lib.tensor(x))
        outs.append(layer.eval()(lib.tensor(x)).detach().numpy())
    np.testing.assert_allclose(outs[0], outs[1], rtol=1e-10)


def test_instance_norm_momentum_none_leaves_the_running_statistics():
    """PyTorch passes momentum 0 for None: the running statistics stay at their start (0 and 1)."""
    layer = minitorch.nn.InstanceNorm1d(3, momentum=None, track_running_stats=True)
    layer(minitorch.tensor(np.random.default_rng(3).standard_normal((2, 3, 5)) * 3 + 1))
    np.testing.assert_array_equal(layer.running_mean.numpy(), np.zeros(3))
    np.testing.assert_array_equal(layer.running_var.numpy(), np.ones(3))


@given(st.sampled_from(["sum", "mean", "max"]), st.integers(1, 4))
def test_embedding_bag_gradcheck(mode, bags):
    weight = minitorch.randn(6, 3, dtype=minitorch.float64, requires_grad=True)
    index = minitorch.tensor(np.arange(2 * bags) % 6).reshape(bags, 2)
    assert gradcheck(lambda w: F.embedding_bag(index, w, mode=mode), [weight])


def test_embedding_bag_layer_same_as_pytorch():
    torch = pytest.importorskip("torch")
    weight = np.random.default_rng(2).standard_normal((10, 3))
    index, offsets = [1, 2, 4, 5, 4, 3, 2, 9], [0, 2, 2, 5]
    outs = []
    for lib in (minitorch, torch):
        layer = lib.nn.EmbeddingBag.from_pretrained(lib.tensor(weight), freeze=False, mode="max", padding_idx=2)
        out = layer(lib.tensor(index), lib.tensor(offsets))
        out.sum().backward()
        outs.append((repr(layer), out.detach().numpy(), layer.weight.grad.numpy()))
    assert outs[0][0] == outs[1][0]
    np.testing.assert_allclose(outs[0][1], outs[1][1])
    np.testing.assert_allclose(outs[0][2], outs[1][2])


@pytest.mark.parametrize("name", ["Dropout1d", "Dropout2d", "Dropout3d", "FeatureAlphaDropout"])
def test_channel_dropout_drops_whole_channels(name):
    minitorch.manual_seed(0)
    layer = getattr(nn, name)(0.5)
    x = minitorch.ones(8, 16, *{"Dropout1d": (3,), "Dropout2d": (3, 2)}.get(name, (3, 2, 2)))
    y = layer(x).numpy().reshape(8, 16, -1)
    assert (y == y[..., :1]).all()  # one value per channel
    assert 0.2 < (y[..., 0] == y[..., 0].min()).mean() < 0.8
    assert (layer.eval()(x).numpy() == 1).all()


def test_dropout_scaling_and_gradient():
    minitorch.manual_seed(1)
    x = minitorch.ones(4, 50, 3, dtype=minitorch.float64, requires_grad=True)
    y = F.dropout1d(x, 0.25)
    y.sum().backward()
    assert set(np.unique(y.detach().numpy())) <= {0.0, 1 / 0.75}
    np.testing.assert_array_equal(x.grad.numpy(), y.detach().numpy())
    assert (F.dropout1d(x, 1.0).detach().numpy() == 0).all()


def test_alpha_dropout_keeps_mean_and_variance():
    minitorch.manual_seed(2)
    x = minitorch.randn(200000, dtype=minitorch.float64)
    y = nn.AlphaDropout(0.3)(x).numpy()
    assert abs(y.mean()) < 0.02 and abs(y.std() - 1) < 0.02
    a = ((1 - 0.3) * (1 + 0.3 * 1.7580993408473766 ** 2)) ** -0.5
    dropped = np.isclose(y, a * 1.7580993408473766 * (0.3 - 1), rtol=0, atol=1e-12)
    assert 0.29 < dropped.mean() < 0.31


@pytest.mark.parametrize("make, shape, cls", [
    (lambda: nn.LazyLinear(3), (2, 5), nn.Linear),
    (lambda: nn.LazyConv2d(4, 3, padding=1), (1, 2, 5, 5), nn.Conv2d),
    (lambda: nn.LazyBatchNorm2d(), (2, 3, 4, 4), nn.BatchNorm2d),
])
def test_lazy_layers_learn_their_input_size(make, shape, cls):
    torch = pytest.importorskip("torch")
    layer = make()
    assert layer.has_uninitialized_params()
    weight = layer.weight
    optimiser = minitorch.optim.SGD(layer.parameters(), lr=0.1)
    out = layer(minitorch.randn(*shape))
    assert type(layer) is cls and layer.weight is weight
    theirs = getattr(torch.nn, cls.__name__.replace("Lazy", ""))
    reference = eval("torch.nn." + repr(layer).replace("(", "(", 1))
    assert isinstance(reference, theirs) and list(layer.state_dict()) == list(reference.state_dict())
    assert all(tuple(a.shape) == tuple(b.shape) for a, b in zip(layer.state_dict().values(),
                                                                 reference.state_dict().values()))
    out.sum().backward()
    optimiser.step()


def test_buffer_assignment_registers_a_buffer():
    layer = nn.Module()
    layer.count = nn.Buffer(minitorch.zeros(2))
    layer.scratch = nn.Buffer(minitorch.ones(1), persistent=False)
    assert list(layer.state_dict()) == ["count"]
    assert [name for name, _ in layer.named_buffers()] == ["count", "scratch"]
    assert isinstance(layer.count, minitorch.Tensor) and not layer.count.requires_grad
    assert list(layer.double().state_dict().values())[0].dtype == minitorch.float64
    assert tuple(nn.Buffer().shape) == (0,)


@pytest.mark.parametrize("make", [
    lambda: nn.Linear(2, 3), lambda: nn.Conv2d(1, 2, 3), lambda: nn.Embedding(4, 2), lambda: nn.LayerNorm(3),
    lambda: nn.LSTM(2, 3), lambda: nn.GroupNorm(1, 2), lambda: nn.Bilinear(2, 2, 2), lambda: nn.RMSNorm(2),
    lambda: nn.EmbeddingBag(3, 2), lambda: nn.BatchNorm1d(2), lambda: nn.MultiheadAttention(4, 2),
])
def test_layers_follow_the_default_dtype(make):
    minitorch.set_default_dtype(minitorch.float64)
    try:
        layer = make()
    finally:
        minitorch.set_default_dtype(minitorch.float32)
    assert {p.dtype for p in layer.parameters()} == {minitorch.float64}
    assert {p.dtype for p in make().parameters()} == {minitorch.float32}


@pytest.mark.parametrize("call, error", [
    (lambda: nn.GroupNorm(3, 4), ValueError),
    (lambda: F.group_norm(minitorch.ones(2, 4, 3), 3), ValueError),
    (lambda: F.group_norm(minitorch.ones(2, 4, 3, dtype=minitorch.int64), 2), RuntimeError),  # torch: NotImplementedError, a RuntimeError
    (lambda: F.rms_norm(minitorch.ones(2, 3), (4,)), ValueError),
    (lambda: F.instance_norm(minitorch.ones(2, 3)), ValueError),
    (lambda: F.pixel_shuffle(minitorch.ones(1, 3, 2, 2), 2), RuntimeError),
    (lambda: F.pixel_unshuffle(minitorch.ones(1, 1, 3, 2), 2), RuntimeError),
    (lambda: F.dropout1d(minitorch.ones(2, 3, 4, 5)), RuntimeError),
    (lambda: F.alpha_dropout(minitorch.ones(2), 1.5, True), ValueError),
    (lambda: F.bilinear(minitorch.ones(2, 3), minitorch.ones(2, 4), minitorch.ones(5, 3, 3)), ValueError),
    (lambda: F.embedding_bag(minitorch.tensor([0, 1]), minitorch.ones(3, 2)), ValueError),
    (lambda: F.embedding_bag(minitorch.tensor([0, 1]), minitorch.ones(3, 2), minitorch.tensor([1])), ValueError),
    (lambda: F.embedding_bag(minitorch.tensor([[0, 1]]), minitorch.ones(3, 2), mode="min"), ValueError),
    (lambda: F.grid_sample(minitorch.ones(1, 1, 2, 2), minitorch.ones(1, 2, 2, 2), "bicubic"), ValueError),
    (lambda: F.affine_grid(minitorch.ones(1, 2, 3), (1, 1, 4), align_corners=False), ValueError),
    (lambda: nn.ZeroPad2d((1, 2, 3)), ValueError),
    (lambda: nn.ReflectionPad1d(3)(minitorch.ones(1, 2, 3)), ValueError),
    (lambda: nn.InstanceNorm2d(2)(minitorch.ones(2, 2)), ValueError),
])
def test_errors_name_the_op(call, error):
    with pytest.raises(error):
        call()


def test_grid_sample_nearest_same_as_pytorch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    x, grid = rng.standard_normal((2, 3, 4, 5)), rng.uniform(-1.2, 1.2, (2, 3, 2, 2))
    outs = [lib.nn.functional.grid_sample(lib.tensor(x), lib.tensor(grid), "nearest", "border", False).numpy()
            for lib in (minitorch, torch)]
    np.testing.assert_array_equal(outs[0], outs[1])


@pytest.mark.parametrize("name", ["LazyLinear", "LazyConv1d", "LazyConv2d", "LazyConv3d"])
def test_building_a_lazy_layer_draws_nothing_from_the_random_stream(name):
    """As PyTorch's: the weights are drawn at the first call, when their shape is known."""
    minitorch.manual_seed(0)
    expected = minitorch.rand(4)
    minitorch.manual_seed(0)
    getattr(minitorch.nn, name)(3) if name == "LazyLinear" else getattr(minitorch.nn, name)(4, 3, groups=2)
    assert minitorch.equal(minitorch.rand(4), expected)


@pytest.mark.parametrize("name, shape, words", [
    ("LazyConv2d", (2, 3), r"Expected 3D \(unbatched\) or 4D \(batched\) input to LazyConv2d"),
    ("LazyConv1d", (2, 3, 4, 5), r"Expected 2D \(unbatched\) or 3D \(batched\) input to LazyConv1d"),
])
def test_a_lazy_conv_names_the_input_dims_it_expects(name, shape, words):
    with pytest.raises(RuntimeError, match=words):
        getattr(minitorch.nn, name)(4, 3)(minitorch.randn(*shape))
