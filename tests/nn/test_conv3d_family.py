"""The 3-D family against PyTorch: conv3d, conv_transpose3d, the 3-D pools, LP pooling, max
unpooling, channel shuffle, trilinear and uint8 interpolation, and their layers (Conv3d,
ConvTranspose3d, MaxPool3d, ..., BatchNorm3d, the Lazy layers); Tensor.unfold's errors.

Values and gradients must be PyTorch's in float64; the backward passes pass float64 gradchecks
over hypothesis-drawn sizes; bad arguments raise PyTorch's error classes with a message naming
the op; the "cuda" device (the simulator here) gives the CPU's values. The catalog's Case calls
(tests/test_catalog.py) test each function once more.
"""
import inspect

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minitorch
import minitorch.nn as nn
import minitorch.nn.functional as F
from minitorch.testing import gradcheck
from minitorch.testing import strategies as S

RNG = np.random.default_rng(0)


def torch_or_skip():
    return pytest.importorskip("torch")


def same_as_torch(call, *arrays, exact=False):
    """``call(lib, *tensors)`` in minitorch and in PyTorch: same values, dtypes and gradients
    (float inputs get gradients through the first output)."""
    torch = torch_or_skip()
    results = []
    for lib in (minitorch, torch):
        inputs = [lib.tensor(a, requires_grad=np.asarray(a).dtype.kind == "f") for a in arrays]
        out = call(lib, *inputs)
        outs = list(out) if isinstance(out, tuple) else [out]
        if outs[0].requires_grad:
            weights = np.random.default_rng(1).standard_normal(tuple(outs[0].shape))
            (outs[0] * lib.tensor(weights, dtype=outs[0].dtype)).sum().backward()
        results.append(([o.detach().numpy() for o in outs], [t.grad for t in inputs]))
    (ours, our_grads), (theirs, their_grads) = results
    for a, b in zip(ours, theirs):
        assert a.shape == b.shape and a.dtype == b.dtype
        if exact:
            np.testing.assert_array_equal(a, b)
        else:
            np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    for g, h in zip(our_grads, their_grads):
        assert (g is None) == (h is None)
        if g is not None:
            np.testing.assert_allclose(g.numpy(), h.numpy(), rtol=1e-10, atol=1e-12)


def same_on_cuda(call, *tensors):
    """The op on the ``cuda`` device (the simulator here) gives the CPU's values (every output)."""
    on_cpu, on_cuda = call(*tensors), call(*(t.detach().to("cuda") for t in tensors))
    for ours, theirs in zip(*(o if isinstance(o, tuple) else (o,) for o in (on_cuda, on_cpu))):
        assert ours.device == "cuda" and ours.dtype == theirs.dtype
        np.testing.assert_allclose(ours.cpu().numpy(), theirs.detach().numpy(), rtol=1e-12)


# ----------------------------------------------------------------- convolutions
CONV3D_CASES = [
    dict(), dict(stride=2, padding=1), dict(stride=(2, 1, 3), padding=(1, 0, 2), dilation=(1, 2, 1)),
    dict(groups=2, padding="same", dilation=(2, 1, 1)), dict(padding="valid", groups=2, stride=(1, 2, 1)),
]


@pytest.mark.filterwarnings("ignore:Using padding='same'")  # PyTorch's note on its own speed
@pytest.mark.parametrize("kwargs", CONV3D_CASES, ids=str)
def test_conv3d_matches_torch(kwargs):
    x, w, b = RNG.standard_normal((2, 4, 5, 6, 5)), RNG.standard_normal((6, 4 // kwargs.get("groups", 1), 3, 2, 3)), \
        RNG.standard_normal(6)
    same_as_torch(lambda m, x, w, b: m.nn.functional.conv3d(x, w, b, **kwargs), x, w, b)
    same_as_torch(lambda m, x, w: m.nn.functional.conv3d(x, w, **kwargs), x[0], w)  # unbatched


TRANSPOSED_CASES = [
    dict(), dict(stride=2, padding=1, output_padding=1),
    dict(stride=(3, 1, 2), padding=(2, 0, 1), output_padding=(2, 0, 1)),
    dict(dilation=(2, 1, 3), output_padding=(1, 0, 2)), dict(groups=2, stride=2, dilation=(1, 2, 1)),
]


@pytest.mark.parametrize("kwargs", TRANSPOSED_CASES, ids=str)
def test_conv_transpose3d_matches_torch(kwargs):
    x, w, b = RNG.standard_normal((2, 4, 3, 4, 3)), RNG.standard_normal((4, 3, 3, 2, 3)), RNG.standard_normal(6)
    b = b[: 3 * kwargs.get("groups", 1)]
    same_as_torch(lambda m, x, w, b: m.nn.functional.conv_transpose3d(x, w, b, **kwargs), x, w, b)
    same_as_torch(lambda m, x, w: m.nn.functional.conv_transpose3d(x, w, **kwargs), x[0], w)


@given(data=st.data())
def test_conv3d_and_conv_transpose3d_gradcheck(data):
    sizes = [data.draw(st.integers(2, 3)) for _ in range(3)]
    kernel = tuple(data.draw(st.integers(1, 2)) for _ in range(3))
    stride, groups = data.draw(st.integers(1, 2)), data.draw(st.sampled_from([1, 2]))
    x, w = data.draw(S.tensors((1, 2, *sizes))), data.draw(S.tensors((2, 2 // groups, *kernel)))
    b = data.draw(S.tensors((2,)))
    assert gradcheck(lambda x, w, b: F.conv3d(x, w, b, stride=stride, padding=1, groups=groups), (x, w, b))
    assert gradcheck(lambda x, w, b: F.conv_transpose3d(x, w, b, stride=stride, output_padding=stride - 1,
                                                          groups=groups), (x, w, b))


def test_conv3d_on_cuda():
    x = minitorch.tensor(RNG.standard_normal((1, 2, 3, 4, 3)))
    w = minitorch.tensor(RNG.standard_normal((2, 2, 2, 2, 2)))
    same_on_cuda(lambda x, w: F.conv3d(x, w, padding=1, stride=(1, 2, 1)), x, w)
    same_on_cuda(lambda x, w: F.conv_transpose3d(x, w, stride=2), x, w)


@pytest.mark.parametrize("kwargs", [dict(padding="same", padding_mode="reflect"),
                                    dict(padding=(1, 0, 2), padding_mode="circular"),
                                    dict(padding=1, groups=2, bias=False),
                                    dict(stride=2, padding_mode="replicate", padding=1)], ids=str)
def test_conv3d_layer_matches_torch(kwargs):
    torch = torch_or_skip()
    theirs = torch.nn.Conv3d(4, 6, (3, 2, 3), **kwargs).double()
    ours = nn.Conv3d(4, 6, (3, 2, 3), dtype=minitorch.float64, **kwargs)
    assert repr(ours) == repr(theirs)
    ours.load_state_dict({k: minitorch.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})
    x = RNG.standard_normal((2, 4, 5, 6, 5))
    np.testing.assert_allclose(ours(minitorch.tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy(),
                               rtol=1e-10, atol=1e-12)


def test_conv_transpose3d_layer_and_output_size_match_torch():
    torch = torch_or_skip()
    theirs = torch.nn.ConvTranspose3d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2).double()
    ours = nn.ConvTranspose3d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2, dtype=minitorch.float64)
    assert repr(ours) == repr(theirs)
    ours.load_state_dict({k: minitorch.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})
    x = RNG.standard_normal((2, 4, 3, 4, 3))
    for size in (None, (6, 8, 5), (1, 6, 5, 7, 6)):
        np.testing.assert_allclose(ours(minitorch.tensor(x), size).detach().numpy(),
                                   theirs(torch.tensor(x), size).detach().numpy(), rtol=1e-10, atol=1e-12)
    assert nn.Conv3d(2, 4, 3).weight.shape == (4, 2, 3, 3, 3)


def test_conv3d_errors_name_the_op():
    x = minitorch.ones(1, 2, 4, 4, 4)
    with pytest.raises(ValueError, match="conv3d: padding='same'"):
        F.conv3d(x, minitorch.ones(3, 2, 3, 3, 3), stride=2, padding="same")
    with pytest.raises(RuntimeError, match=r"conv3d: weight must be 5-D \(out_channels, in_channels / groups, kD"):
        F.conv3d(x, minitorch.ones(3, 2, 3, 3))
    with pytest.raises(RuntimeError, match="conv3d: the input has 2 channels"):
        F.conv3d(x, minitorch.ones(3, 4, 3, 3, 3))
    with pytest.raises(RuntimeError, match="conv3d: expected a 5-D input"):
        F.conv3d(minitorch.ones(4, 4, 4), minitorch.ones(3, 2, 3, 3, 3))
    with pytest.raises(ValueError, match="conv_transpose3d: stride must be an int or a 3-tuple"):
        F.conv_transpose3d(x, minitorch.ones(2, 3, 3, 3, 3), stride=(1, 2))
    with pytest.raises(RuntimeError, match="conv3d: the kernel spans 5"):
        F.conv3d(x, minitorch.ones(3, 2, 5, 3, 3))


# ----------------------------------------------------------------- pools
MAX_POOL_CASES = [
    dict(kernel_size=2), dict(kernel_size=(2, 3, 2), stride=(1, 2, 2), padding=1, ceil_mode=True),
    dict(kernel_size=3, stride=2, padding=(1, 0, 1), dilation=(2, 1, 1)), dict(kernel_size=(1, 2, 3), stride=1),
]


@pytest.mark.parametrize("kwargs", MAX_POOL_CASES, ids=str)
def test_max_pool3d_values_indices_and_gradients_match_torch(kwargs):
    x = RNG.standard_normal((2, 3, 5, 6, 7))
    same_as_torch(lambda m, x: m.nn.functional.max_pool3d(x, return_indices=True, **kwargs), x)
    same_as_torch(lambda m, x: m.nn.functional.max_pool3d(x, **kwargs), x[0])
    ints = RNG.integers(-3, 3, (1, 2, 5, 6, 7))  # ties: the first maximum wins, as in PyTorch
    same_as_torch(lambda m, x: m.nn.functional.max_pool3d(x, return_indices=True, **kwargs), ints, exact=True)


AVG_POOL_CASES = [
    dict(kernel_size=2), dict(kernel_size=(2, 3, 2), stride=(1, 2, 2), padding=1, ceil_mode=True),
    dict(kernel_size=3, stride=2, padding=1, count_include_pad=False, ceil_mode=True),
    dict(kernel_size=(3, 2, 3), padding=(1, 1, 0), divisor_override=5),
]


@pytest.mark.parametrize("kwargs", AVG_POOL_CASES, ids=str)
def test_avg_pool3d_matches_torch(kwargs):
    x = RNG.standard_normal((2, 3, 5, 6, 7))
    same_as_torch(lambda m, x: m.nn.functional.avg_pool3d(x, **kwargs), x)
    same_as_torch(lambda m, x: m.nn.functional.avg_pool3d(x, **kwargs), x[0])


@pytest.mark.parametrize("size", [1, (3, 4, 5), (2, None, 3), (5, 6, 7), (4, 1, 6)], ids=str)
def test_adaptive_pools_3d_match_torch(size):
    x = RNG.standard_normal((2, 3, 5, 6, 7))
    same_as_torch(lambda m, x: m.nn.functional.adaptive_avg_pool3d(x, size), x)
    same_as_torch(lambda m, x: m.nn.functional.adaptive_max_pool3d(x, size, return_indices=True), x)
    same_as_torch(lambda m, x: m.nn.functional.adaptive_max_pool3d(x, size), x[0])


@given(data=st.data())
def test_3d_pools_gradcheck(data):
    shape = (1, 2, *(data.draw(st.integers(1, 3)) for _ in range(3)))
    x = data.draw(S.tensors(shape))  # unique values: no ties
    kernel = tuple(data.draw(st.integers(1, n)) for n in shape[2:])
    stride, ceil_mode = data.draw(st.integers(1, 2)), data.draw(st.booleans())
    padding = tuple(k // 2 for k in kernel)
    assert gradcheck(lambda x: F.max_pool3d(x, kernel, stride, padding, ceil_mode=ceil_mode), (x,))
    assert gradcheck(lambda x: F.avg_pool3d(x, kernel, stride, padding, ceil_mode, count_include_pad=False), (x,))
    out = tuple(data.draw(st.integers(1, 2)) for _ in range(3))
    assert gradcheck(lambda x: F.adaptive_avg_pool3d(x, out) + F.adaptive_max_pool3d(x, out), (x,))


def test_3d_pools_on_cuda():
    x = minitorch.tensor(RNG.standard_normal((1, 2, 4, 5, 3)))
    same_on_cuda(lambda x: F.max_pool3d(x, 2, 1, 1, return_indices=True), x)
    same_on_cuda(lambda x: F.avg_pool3d(x, 2, ceil_mode=True), x)
    same_on_cuda(lambda x: F.adaptive_max_pool3d(x, (2, 3, 2), return_indices=True), x)
    same_on_cuda(lambda x: F.adaptive_avg_pool3d(x, (3, 2, 2)), x)


def test_pool3d_layers_match_torch():
    torch = torch_or_skip()
    x = RNG.standard_normal((2, 3, 5, 6, 7))
    pairs = [(nn.MaxPool3d(2, return_indices=True), torch.nn.MaxPool3d(2, return_indices=True)),
             (nn.AvgPool3d((2, 3, 2), 1, 1, count_include_pad=False),
              torch.nn.AvgPool3d((2, 3, 2), 1, 1, count_include_pad=False)),
             (nn.AdaptiveAvgPool3d((2, None, 1)), torch.nn.AdaptiveAvgPool3d((2, None, 1))),
             (nn.AdaptiveMaxPool3d(2), torch.nn.AdaptiveMaxPool3d(2)),
             (nn.LPPool3d(2, 2), torch.nn.LPPool3d(2, 2)), (nn.LPPool2d(3, (2, 3), 1), torch.nn.LPPool2d(3, (2, 3), 1)),
             (nn.LPPool1d(1.5, 3, ceil_mode=True), torch.nn.LPPool1d(1.5, 3, ceil_mode=True)),
             (nn.ChannelShuffle(3), torch.nn.ChannelShuffle(3))]
    for ours, theirs in pairs:
        assert repr(ours) == repr(theirs)
        dims = 3 if "3d" in repr(ours) or "Shuffle" in repr(ours) else 2 if "2d" in repr(ours) else 1
        a = np.abs(x[(0,) * (3 - dims)]) if "LP" in repr(ours) else x
        out, expected = ours(minitorch.tensor(a)), theirs(torch.tensor(a))
        for o, e in zip(*(r if isinstance(r, tuple) else (r,) for r in (out, expected))):
            np.testing.assert_allclose(o.numpy(), e.numpy(), rtol=1e-10, atol=1e-12)


# ----------------------------------------------------------------- LP pooling, unpooling, channel shuffle
@pytest.mark.parametrize("norm_type", [1, 2, 3.5, float("inf")])
def test_lp_pools_match_torch(norm_type):
    x = np.abs(RNG.standard_normal((2, 3, 5, 6, 7))) + 0.1
    same_as_torch(lambda m, x: m.nn.functional.lp_pool3d(x, norm_type, (2, 3, 2), (1, 2, 2), ceil_mode=True), x)
    same_as_torch(lambda m, x: m.nn.functional.lp_pool2d(x, norm_type, 2), x[0])
    same_as_torch(lambda m, x: m.nn.functional.lp_pool1d(x, norm_type, 3, 2), x[0, 0])


@pytest.mark.parametrize("dims", [1, 2, 3])
def test_max_unpool_round_trips_max_pool_indices(dims):
    x = RNG.standard_normal((2, 2, 4, 4, 6)[: dims + 2])
    pool, unpool = getattr(F, f"max_pool{dims}d"), getattr(F, f"max_unpool{dims}d")
    same_as_torch(lambda m, x: getattr(m.nn.functional, f"max_unpool{dims}d")(
        *getattr(m.nn.functional, f"max_pool{dims}d")(x, 2, return_indices=True), 2), x)
    same_as_torch(lambda m, x: getattr(m.nn.functional, f"max_unpool{dims}d")(
        *getattr(m.nn.functional, f"max_pool{dims}d")(x, 3, 2, 1, return_indices=True), 3, 2, 1,
        output_size=x.shape[2:]), x)
    t = minitorch.tensor(x[:1], requires_grad=True)
    y, i = pool(t, 2, return_indices=True)
    back = unpool(y, i, 2)
    assert ((back.detach().numpy() == 0) | (back.detach().numpy() == x[:1])).all()  # each maximum in its place
    assert gradcheck(lambda t: unpool(*pool(t, 2, return_indices=True), 2), (t,))
    same_on_cuda(lambda t: unpool(*pool(t, 2, return_indices=True), 2), t)
    layer = getattr(nn, f"MaxUnpool{dims}d")(2)
    assert repr(layer) == repr(getattr(torch_or_skip().nn, f"MaxUnpool{dims}d")(2))
    np.testing.assert_array_equal(layer(y, i, output_size=t.shape).detach().numpy(), back.detach().numpy())


def test_max_unpool_errors():
    y, i = F.max_pool2d(minitorch.randn(1, 2, 5, 5), 2, return_indices=True)
    with pytest.raises(ValueError, match=r"max_unpool2d: invalid output_size \(7, 7\): dim 0 must be between 2 and 6"):
        F.max_unpool2d(y, i, 2, output_size=(7, 7))
    with pytest.raises(RuntimeError, match=r"max_unpool2d: found an invalid max index \d+: the output planes have"):
        F.max_unpool2d(y, i, 2, output_size=(3, 3))
    with pytest.raises(RuntimeError, match="max_unpool2d: indices must be an int64 tensor"):
        F.max_unpool2d(y, i.float(), 2)
    with pytest.raises(ValueError, match="max_unpool2d: output_size must have 2 or 4 elements"):
        F.max_unpool2d(y, i, 2, output_size=(1, 4, 4))


def test_channel_shuffle_matches_torch_and_checks_groups():
    x = RNG.standard_normal((2, 6, 3, 2))
    same_as_torch(lambda m, x: m.nn.functional.channel_shuffle(x, 3), x)
    same_as_torch(lambda m, x: m.nn.ChannelShuffle(2)(x), x[..., 0])
    ints = RNG.integers(0, 9, (2, 6, 3))  # PyTorch has no gradient for its native form
    same_as_torch(lambda m, x: m.nn.functional.native_channel_shuffle(x, 2), ints, exact=True)
    with pytest.raises(RuntimeError, match="channel_shuffle: the number of channels"):
        F.channel_shuffle(minitorch.tensor(x), 4)
    with pytest.raises(RuntimeError, match="channel_shuffle: groups must be at least 1"):
        F.channel_shuffle(minitorch.tensor(x), 0)
    with pytest.raises(RuntimeError, match="more than 2 dims"):
        F.channel_shuffle(minitorch.ones(6), 2)


# ----------------------------------------------------------------- interpolate on volumes, uint8 images
INTERPOLATE_5D = [
    dict(size=(3, 7, 9)), dict(scale_factor=2), dict(scale_factor=(1.5, 0.7, 2.3)),
    dict(scale_factor=1.7, recompute_scale_factor=True), dict(size=1),
]


@pytest.mark.parametrize("kwargs", INTERPOLATE_5D, ids=str)
@pytest.mark.parametrize("mode, corners", [("nearest", None), ("nearest-exact", None), ("trilinear", None),
                                           ("trilinear", True), ("trilinear", False), ("area", None)])
def test_interpolate_5d_matches_torch(kwargs, mode, corners):
    x = RNG.standard_normal((2, 3, 4, 5, 6))
    same_as_torch(lambda m, x: m.nn.functional.interpolate(x, mode=mode, align_corners=corners, **kwargs), x)
    if mode != "area":
        same_as_torch(lambda m, x: m.nn.Upsample(mode=mode, align_corners=corners, **kwargs)(x), x)


@given(data=st.data())
def test_trilinear_gradcheck(data):
    x = data.draw(S.tensors((1, 2, *(data.draw(st.integers(1, 4)) for _ in range(3)))))
    size = tuple(data.draw(st.integers(1, 5)) for _ in range(3))
    corners = data.draw(st.booleans())
    assert gradcheck(lambda x: F.interpolate(x, size, mode="trilinear", align_corners=corners), (x,))


@pytest.mark.parametrize("kwargs", [dict(size=(11, 5)), dict(scale_factor=1.7), dict(size=(13, 17), align_corners=True),
                                    dict(size=(3, 4)), dict(scale_factor=(0.6, 2.3)), dict(size=(7, 30))], ids=str)
def test_bilinear_on_uint8_rounds_as_torch(kwargs):
    image = RNG.integers(0, 256, (2, 3, 7, 9)).astype(np.uint8)
    same_as_torch(lambda m, x: m.nn.functional.interpolate(x, mode="bilinear", **kwargs), image, exact=True)


def test_interpolate_5d_and_uint8_on_cuda():
    x = minitorch.tensor(RNG.standard_normal((1, 2, 3, 4, 3)))
    same_on_cuda(lambda x: F.interpolate(x, scale_factor=1.5, mode="trilinear"), x)
    image = minitorch.tensor(RNG.integers(0, 256, (1, 2, 5, 6)).astype(np.uint8))
    same_on_cuda(lambda x: F.interpolate(x, size=(7, 9), mode="bilinear"), image)


def test_interpolate_mode_and_rank_errors():
    with pytest.raises(NotImplementedError, match="trilinear mode needs a 5-D input"):
        F.interpolate(minitorch.ones(1, 1, 3, 3), scale_factor=2, mode="trilinear")
    with pytest.raises(NotImplementedError, match="bilinear mode needs a 4-D input"):
        F.interpolate(minitorch.ones(1, 1, 3, 3, 3), scale_factor=2, mode="bilinear")
    with pytest.raises(NotImplementedError, match="got a 6-D input"):
        F.interpolate(minitorch.ones(1, 1, 2, 2, 2, 2), scale_factor=2)


# ----------------------------------------------------------------- BatchNorm3d and the Lazy layers
def test_batchnorm3d_matches_torch_in_train_and_eval():
    torch = torch_or_skip()
    ours, theirs = nn.BatchNorm3d(3, dtype=minitorch.float64), torch.nn.BatchNorm3d(3).double()
    assert repr(ours) == repr(theirs)
    for training in (True, True, False):
        ours.train(training), theirs.train(training)
        x = RNG.standard_normal((2, 3, 2, 3, 4))
        np.testing.assert_allclose(ours(minitorch.tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy(),
                                   rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.running_var.numpy(), theirs.running_var.numpy(), rtol=1e-12)
    with pytest.raises(ValueError, match="BatchNorm3d: expected 5-D input"):
        ours(minitorch.ones(2, 3, 4, 4))


@pytest.mark.parametrize("make, shape", [
    (lambda lib: lib.nn.LazyConv3d(4, 2, padding=1), (2, 3, 3, 4, 3)),
    (lambda lib: lib.nn.LazyConv1d(4, 2, groups=2), (2, 6, 5)),
    (lambda lib: lib.nn.LazyBatchNorm3d(), (2, 3, 2, 2, 2)),
    (lambda lib: lib.nn.LazyBatchNorm1d(), (4, 5)),
])
def test_lazy_layers_become_their_plain_layer(make, shape):
    torch = torch_or_skip()
    ours, theirs = make(minitorch), make(torch)
    assert repr(ours) == repr(theirs)
    ours(minitorch.ones(*shape)), theirs(torch.ones(shape))
    assert type(ours).__name__ == type(theirs).__name__
    assert {k: tuple(v.shape) for k, v in ours.state_dict().items()} == {
        k: tuple(v.shape) for k, v in theirs.state_dict().items()}


def test_lazy_conv_checks_groups_on_the_first_input():
    with pytest.raises(ValueError, match="LazyConv3d: the input's 3 channels must be divisible by groups"):
        nn.LazyConv3d(4, 2, groups=2)(minitorch.ones(1, 3, 2, 2, 2))


# ----------------------------------------------------------------- Tensor.unfold's errors
@pytest.mark.parametrize("size, step", [(6, 1), (2, 0), (-1, 1)])
def test_tensor_unfold_raises_runtime_error_as_torch(size, step):
    torch = torch_or_skip()
    with pytest.raises(RuntimeError):
        torch.arange(5.0).unfold(0, size, step)
    with pytest.raises(RuntimeError, match="unfold: s"):
        minitorch.arange(5.0).unfold(0, size, step)


# ----------------------------------------------------------------- fractional max pooling, the *_with_indices forms
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("dims, shape, kwargs", [
    (2, (2, 3, 10, 9), dict(kernel_size=(2, 3), output_size=(4, 5))),
    (2, (3, 7, 8), dict(kernel_size=2, output_ratio=(0.5, 0.6))),
    (3, (2, 2, 6, 7, 8), dict(kernel_size=(2, 3, 2), output_size=(3, 4, 5))),
    (3, (2, 5, 6, 7), dict(kernel_size=(1, 2, 3), output_ratio=(0.7, 0.5, 0.6))),
], ids=str)
def test_fractional_max_pool_matches_torch_with_the_same_samples(dims, shape, kwargs, dtype):
    torch = torch_or_skip()
    x = RNG.standard_normal(shape).astype(dtype)
    samples = RNG.random((shape[0] if len(shape) == dims + 2 else 1, shape[-dims - 1], dims)).astype(dtype)
    results = []
    for lib in (minitorch, torch):
        t = lib.tensor(x, requires_grad=True)
        y, i = getattr(lib.nn.functional, f"fractional_max_pool{dims}d")(
            t, return_indices=True, _random_samples=lib.tensor(samples), **kwargs)
        (y * lib.tensor(np.arange(y.numel()).reshape(tuple(y.shape)), dtype=y.dtype)).sum().backward()
        results.append((y.detach().numpy(), i.numpy(), t.grad.numpy()))
    for ours, theirs in zip(*results):
        assert ours.dtype == theirs.dtype
        np.testing.assert_array_equal(ours, theirs)


@given(data=st.data())
def test_fractional_max_pool_gradcheck_and_cuda(data):
    x = data.draw(S.tensors((1, 2, data.draw(st.integers(3, 5)), data.draw(st.integers(3, 5)))))
    out = (data.draw(st.integers(1, 2)), data.draw(st.integers(1, 2)))
    samples = minitorch.tensor(data.draw(S.arrays(shape=(1, 2, 2), elements=st.floats(0, 0.99))))
    call = lambda x: F.fractional_max_pool2d(x, 2, out, _random_samples=samples.to(x.device))  # noqa: E731
    assert gradcheck(call, (x,))
    same_on_cuda(call, x)


def test_fractional_max_pool_layers_and_errors():
    torch = torch_or_skip()
    ours, theirs = nn.FractionalMaxPool2d(2, output_ratio=0.5), torch.nn.FractionalMaxPool2d(2, output_ratio=0.5)
    assert repr(ours) == repr(theirs) and tuple(ours(minitorch.ones(1, 2, 6, 8)).shape) == (1, 2, 3, 4)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    samples = RNG.random((1, 2, 3))
    y, i = nn.FractionalMaxPool3d(2, (2, 3, 2), return_indices=True, _random_samples=minitorch.tensor(samples))(
        minitorch.tensor(RNG.standard_normal((1, 2, 4, 5, 4))))
    assert y.shape == i.shape == (1, 2, 2, 3, 2)
    with pytest.raises(ValueError, match="FractionalMaxPool2d requires specifying either"):
        nn.FractionalMaxPool2d(2)
    with pytest.raises(ValueError, match=r"output_ratio must be between 0 and 1 \(got 1.5\)"):
        nn.FractionalMaxPool2d(2, output_ratio=1.5)
    with pytest.raises(RuntimeError, match="fractional_max_pool2d: kernel size 3 is too large"):
        F.fractional_max_pool2d(minitorch.ones(1, 1, 5, 5), 3, output_size=4)
    with pytest.raises(RuntimeError, match=r"fractional_max_pool3d: kernel size 2 is too large.*< input size"):
        F.fractional_max_pool3d(minitorch.ones(1, 1, 5, 5, 5), 2, output_size=4)  # PyTorch's stricter 3-D rule
    with pytest.raises(RuntimeError, match=r"_random_samples must have shape \(N, C, 2\)"):
        F.fractional_max_pool2d(minitorch.ones(1, 1, 5, 5), 2, output_size=3, _random_samples=minitorch.rand(1, 2, 2))


@pytest.mark.filterwarnings("ignore:`nn.functional.upsample")  # PyTorch's deprecation notice
def test_with_indices_forms_and_old_upsample_names_match_torch():
    torch = torch_or_skip()
    x = RNG.standard_normal((1, 2, 4, 6, 4))
    for name, arg in [("max_pool1d", 2), ("max_pool2d", 2), ("max_pool3d", 2), ("adaptive_max_pool1d", 3),
                      ("adaptive_max_pool2d", 3), ("adaptive_max_pool3d", 3)]:
        dims = int(name[-2])
        fn = f"{name}_with_indices"
        assert list(inspect.signature(getattr(F, fn)).parameters) == list(
            inspect.signature(getattr(torch.nn.functional, fn)).parameters)
        same_as_torch(lambda m, x: getattr(m.nn.functional, fn)(x, arg), x[(0,) * (3 - dims)])
    for name in ("upsample", "upsample_nearest", "upsample_bilinear"):
        assert list(inspect.signature(getattr(F, name)).parameters) == list(
            inspect.signature(getattr(torch.nn.functional, name)).parameters)
        same_as_torch(lambda m, x: getattr(m.nn.functional, name)(x, scale_factor=2), x[0])


@pytest.mark.parametrize("make, shape", [
    (lambda lib: lib.nn.LazyConvTranspose3d(4, 2, stride=2, groups=2), (2, 6, 2, 3, 2)),
    (lambda lib: lib.nn.LazyConvTranspose1d(4, 3, stride=2, output_padding=1), (2, 5, 4)),
    (lambda lib: lib.nn.LazyConvTranspose2d(4, 3), (5, 4, 4)),
    (lambda lib: lib.nn.LazyInstanceNorm2d(), (2, 3, 4, 4)),
    (lambda lib: lib.nn.LazyInstanceNorm3d(affine=False), (2, 3, 2, 2, 2)),
])
def test_lazy_transposed_and_instance_norm_layers(make, shape):
    test_lazy_layers_become_their_plain_layer(make, shape)
