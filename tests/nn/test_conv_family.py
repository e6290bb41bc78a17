"""The rest of the conv family against PyTorch: conv1d, conv_transpose1d/2d, fold/unfold, the
1-D and adaptive pools, max pooling of integers, interpolate, and their layers.

Values and gradients (input and parameters) must be PyTorch's in float64 for many
configurations; the hand-written backward passes pass float64 gradchecks over
hypothesis-drawn sizes; bad arguments raise errors that name the op; the "cuda" device (the
simulator here) gives the CPU's values. The catalog's Case calls (tests/test_catalog.py)
test each function once more, in the same ways.
"""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minitorch
import minitorch.nn as nn
import minitorch.nn.functional as F
from minitorch.errors import ShapeError
from minitorch.testing import gradcheck
from minitorch.testing import strategies as S

RNG = np.random.default_rng(0)


def torch_or_skip():
    return pytest.importorskip("torch")


def same_as_torch(call, *arrays, dtype="float64", rtol=1e-10):
    """``call(lib, *tensors)`` in minitorch and in PyTorch: same values, dtypes and gradients."""
    torch = torch_or_skip()
    results = []
    for lib in (minitorch, torch):
        inputs = [lib.tensor(a, dtype=getattr(lib, dtype), requires_grad=np.asarray(a).dtype.kind == "f")
                  for a in arrays]
        out = call(lib, *inputs)
        outs = list(out) if isinstance(out, tuple) else [out]
        if outs[0].requires_grad:
            weights = np.random.default_rng(1).standard_normal(tuple(outs[0].shape))
            (outs[0] * lib.tensor(weights, dtype=outs[0].dtype)).sum().backward()
        results.append(([o.detach().numpy() for o in outs], [t.grad for t in inputs]))
    (ours, our_grads), (theirs, their_grads) = results
    atol = rtol * 1e-2 if dtype == "float64" else 1e-6  # float32: a few roundings of values near 1
    for a, b in zip(ours, theirs):
        assert a.shape == b.shape and a.dtype == b.dtype
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)
    for g, h in zip(our_grads, their_grads):
        assert (g is None) == (h is None)
        if g is not None:
            np.testing.assert_allclose(g.numpy(), h.numpy(), rtol=rtol, atol=atol)


def check(fn, *inputs):
    assert gradcheck(fn, inputs)


# ----------------------------------------------------------------- transposed convolution
TRANSPOSED_CASES = [
    dict(),
    dict(stride=2),
    dict(stride=2, padding=1, output_padding=1),
    dict(stride=(3, 2), padding=(2, 1), output_padding=(2, 0)),
    dict(dilation=2, padding=1),
    dict(stride=1, dilation=3, output_padding=2),  # output_padding < dilation, not < stride
    dict(groups=2, stride=2),
    dict(groups=2, dilation=(1, 2), padding=(0, 2), stride=(2, 1), output_padding=(1, 0)),
]


@pytest.mark.parametrize("kwargs", TRANSPOSED_CASES, ids=str)
@pytest.mark.parametrize("kernel", [(3, 3), (2, 3), (1, 1)])
def test_conv_transpose2d_matches_torch(kwargs, kernel):
    x, w, b = RNG.standard_normal((2, 4, 5, 6)), RNG.standard_normal((4, 3, *kernel)), RNG.standard_normal(6)
    groups = kwargs.get("groups", 1)
    b = b[: 3 * groups]
    same_as_torch(lambda m, x, w, b: m.nn.functional.conv_transpose2d(x, w, b, **kwargs), x, w, b)
    same_as_torch(lambda m, x, w: m.nn.functional.conv_transpose2d(x, w, **kwargs), x[0], w)  # unbatched


@pytest.mark.parametrize("kwargs", [dict(), dict(stride=3, padding=1, output_padding=2), dict(dilation=2, groups=2)],
                         ids=str)
def test_conv1d_and_conv_transpose1d_match_torch(kwargs):
    x, w = RNG.standard_normal((2, 4, 9)), RNG.standard_normal((4, 2, 3))
    same_as_torch(lambda m, x, w: m.nn.functional.conv_transpose1d(x, w, **kwargs), x, w)
    conv_kwargs = {k: v for k, v in kwargs.items() if k != "output_padding"}
    w_conv = RNG.standard_normal((6, 4 // kwargs.get("groups", 1), 3))
    same_as_torch(lambda m, x, w: m.nn.functional.conv1d(x, w, **conv_kwargs), x, w_conv)
    same_as_torch(lambda m, x, w: m.nn.functional.conv1d(x, w, **conv_kwargs), x[1], w_conv)  # unbatched


def test_conv_transpose2d_is_the_input_gradient_of_conv2d():
    x = minitorch.tensor(RNG.standard_normal((2, 3, 7, 8)), requires_grad=True)
    w = minitorch.tensor(RNG.standard_normal((4, 3, 3, 2)))
    y = F.conv2d(x, w, stride=2, padding=1, dilation=(1, 2))
    g = minitorch.tensor(RNG.standard_normal(tuple(y.shape)))
    y.backward(g)
    back = F.conv_transpose2d(g, w, stride=2, padding=1, dilation=(1, 2), output_padding=(0, 1))
    np.testing.assert_allclose(back.numpy(), x.grad.numpy(), rtol=1e-12)


@st.composite
def transposed_case(draw):
    """(input shape, weight shape, conv_transpose2d kwargs) with an output of at least one pixel."""
    groups = draw(st.sampled_from([1, 1, 2]))
    c_in, c_out = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride, dilation = (draw(st.integers(1, 3)), draw(st.integers(1, 2))), (draw(st.integers(1, 2)), 1)
    output_padding = tuple(draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation))
    hw = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    room = [(n - 1) * s + d * (k - 1) + 1 for n, s, d, k in zip(hw, stride, dilation, kernel)]
    padding = tuple(draw(st.integers(0, (r - 1) // 2)) for r in room)
    kwargs = dict(stride=stride, padding=padding, output_padding=output_padding, groups=groups, dilation=dilation)
    return (draw(st.integers(1, 2)), c_in, *hw), (c_in, c_out // groups, *kernel), kwargs


@given(data=st.data())
def test_conv_transpose2d_gradcheck(data):
    x_shape, w_shape, kwargs = data.draw(transposed_case())
    x, w = data.draw(S.tensors(x_shape)), data.draw(S.tensors(w_shape))
    b = data.draw(S.tensors((w_shape[1] * kwargs["groups"],)))
    check(lambda x, w, b: F.conv_transpose2d(x, w, b, **kwargs), x, w, b)


@given(data=st.data())
def test_conv1d_and_conv_transpose1d_gradcheck(data):
    length, k, stride = data.draw(st.integers(3, 6)), data.draw(st.integers(1, 3)), data.draw(st.integers(1, 2))
    x, w = data.draw(S.tensors((2, 2, length))), data.draw(S.tensors((2, 3, k)))
    check(lambda x, w: F.conv1d(x, w.transpose(0, 1)[:, :2], stride=stride, padding=1), x, w)
    check(lambda x, w: F.conv_transpose1d(x, w, stride=stride, output_padding=stride - 1), x, w)


# ----------------------------------------------------------------- fold and unfold
FOLD_CASES = [
    ((4, 4), 2, dict()),
    ((5, 4), (2, 3), dict(padding=1, stride=(1, 2))),
    ((6, 7), 3, dict(dilation=2, padding=(2, 1))),
    ((7, 5), (2, 2), dict(stride=3)),  # windows that miss the last rows and columns
]


@pytest.mark.parametrize("output_size, kernel, kwargs", FOLD_CASES, ids=str)
def test_fold_and_unfold_match_torch(output_size, kernel, kwargs):
    torch = torch_or_skip()
    x = RNG.standard_normal((2, 3, *output_size))
    same_as_torch(lambda m, x: m.nn.functional.unfold(x, kernel, **kwargs), x)
    same_as_torch(lambda m, x: m.nn.functional.unfold(x, kernel, **kwargs), x[0])  # unbatched
    columns = torch.nn.functional.unfold(torch.tensor(x), kernel, **kwargs).numpy()
    same_as_torch(lambda m, c: m.nn.functional.fold(c, output_size, kernel, **kwargs), columns)
    same_as_torch(lambda m, c: m.nn.functional.fold(c, output_size, kernel, **kwargs), columns[1])


@given(data=st.data())
def test_fold_gradcheck(data):
    out_hw = (data.draw(st.integers(2, 5)), data.draw(st.integers(2, 5)))
    kernel, stride = (data.draw(st.integers(1, 2)), 2), (data.draw(st.integers(1, 2)), data.draw(st.integers(1, 3)))
    padding = (data.draw(st.integers(0, 1)), 0)
    blocks = [(n + 2 * p - k) // s + 1 for n, p, k, s in zip(out_hw, padding, kernel, stride)]
    cols = data.draw(S.tensors((2, 2 * kernel[0] * kernel[1], blocks[0] * blocks[1])))
    check(lambda c: F.fold(c, out_hw, kernel, padding=padding, stride=stride), cols)


# ----------------------------------------------------------------- pools
@pytest.mark.parametrize("kwargs", [dict(kernel_size=2), dict(kernel_size=3, stride=2, padding=1),
                                    dict(kernel_size=2, dilation=2, ceil_mode=True), dict(kernel_size=(3,), stride=(1,))],
                         ids=str)
def test_1d_pools_match_torch(kwargs):
    x = RNG.standard_normal((2, 3, 9))
    same_as_torch(lambda m, x: m.nn.functional.max_pool1d(x, **kwargs, return_indices=True), x)
    same_as_torch(lambda m, x: m.nn.functional.max_pool1d(x[0], **kwargs), x)
    avg = {k: v for k, v in kwargs.items() if k != "dilation"}
    same_as_torch(lambda m, x: m.nn.functional.avg_pool1d(x, **avg), x)
    same_as_torch(lambda m, x: m.nn.functional.avg_pool1d(x, **avg, count_include_pad=False), x)


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "int16"])
def test_max_pool2d_takes_integers_without_gradient(dtype):
    x = RNG.integers(0, 200, (2, 3, 5, 6))
    for kwargs in (dict(kernel_size=2), dict(kernel_size=3, stride=1, padding=1, dilation=2, ceil_mode=True)):
        same_as_torch(lambda m, x: m.nn.functional.max_pool2d(x, **kwargs, return_indices=True), x, dtype=dtype)
    out = F.max_pool2d(minitorch.tensor(x, dtype=getattr(minitorch, dtype)), 2)
    assert out.dtype == getattr(minitorch, dtype) and not out.requires_grad
    same_as_torch(lambda m, x: m.nn.functional.max_pool1d(x, 2, return_indices=True)[0], x[0], dtype=dtype)


@pytest.mark.parametrize("output_size", [3, (2, 4), (None, 3), (5, 1), 7])
def test_adaptive_pools_match_torch(output_size):
    x = RNG.standard_normal((2, 3, 5, 6))
    same_as_torch(lambda m, x: m.nn.functional.adaptive_max_pool2d(x, output_size, return_indices=True), x)
    same_as_torch(lambda m, x: m.nn.functional.adaptive_max_pool2d(x, output_size), x[0])
    size_1d = output_size if isinstance(output_size, int) else output_size[1]
    same_as_torch(lambda m, x: m.nn.functional.adaptive_max_pool1d(x, size_1d, return_indices=True), x[0])
    same_as_torch(lambda m, x: m.nn.functional.adaptive_avg_pool1d(x, size_1d), x[0])


@given(data=st.data())
def test_adaptive_max_pool2d_and_max_pool1d_gradcheck(data):
    shape = (data.draw(st.integers(1, 2)), 2, data.draw(st.integers(1, 6)), data.draw(st.integers(1, 6)))
    out = (data.draw(st.integers(1, 4)), data.draw(st.integers(1, 4)))
    x = data.draw(S.tensors(shape))  # unique values: no ties
    check(lambda x: F.adaptive_max_pool2d(x, out), x)
    k, stride = data.draw(st.integers(1, shape[3])), data.draw(st.integers(1, 2))
    check(lambda x: F.max_pool1d(x[:, :, 0], k, stride, k // 2), x)


# ----------------------------------------------------------------- interpolate
INTERPOLATE_4D = [
    dict(size=(7, 3)), dict(size=1), dict(scale_factor=2), dict(scale_factor=1.7), dict(scale_factor=0.6),
    dict(scale_factor=(0.6, 2.3), recompute_scale_factor=True), dict(scale_factor=(3, 0.5)),
]


@pytest.mark.parametrize("mode, align_corners", [("nearest", None), ("nearest-exact", None), ("bilinear", None),
                                                 ("bilinear", False), ("bilinear", True), ("area", None)])
@pytest.mark.parametrize("kwargs", INTERPOLATE_4D, ids=str)
def test_interpolate_images_match_torch(mode, align_corners, kwargs):
    x = RNG.standard_normal((2, 3, 5, 6))
    same_as_torch(lambda m, x: m.nn.functional.interpolate(x, mode=mode, align_corners=align_corners, **kwargs), x)


@pytest.mark.parametrize("mode, align_corners", [("nearest", None), ("nearest-exact", None), ("linear", False),
                                                 ("linear", True), ("area", None)])
@pytest.mark.parametrize("kwargs", [dict(size=11), dict(scale_factor=1.5), dict(scale_factor=0.4)], ids=str)
def test_interpolate_signals_match_torch(mode, align_corners, kwargs):
    x = RNG.standard_normal((2, 3, 7))
    same_as_torch(lambda m, x: m.nn.functional.interpolate(x, mode=mode, align_corners=align_corners, **kwargs), x)


def test_interpolate_float32_and_uint8_match_torch():
    rng = np.random.default_rng(5)  # its own stream: the data must not depend on which tests ran before
    x = rng.standard_normal((1, 2, 9, 7))
    for kwargs in (dict(size=(13, 5)), dict(scale_factor=1.3), dict(scale_factor=0.35)):
        same_as_torch(lambda m, x: m.nn.functional.interpolate(x, **kwargs), x, dtype="float32", rtol=1e-6)
        same_as_torch(lambda m, x: m.nn.functional.interpolate(x, mode="bilinear", **kwargs), x, dtype="float32",
                      rtol=1e-5)
        same_as_torch(lambda m, x: m.nn.functional.interpolate(x, **kwargs), rng.integers(0, 255, (1, 2, 9, 7)),
                      dtype="uint8")


@given(data=st.data())
def test_interpolate_gradcheck(data):
    shape = (1, 2, data.draw(st.integers(1, 5)), data.draw(st.integers(1, 5)))
    size = (data.draw(st.integers(1, 7)), data.draw(st.integers(1, 7)))
    mode = data.draw(st.sampled_from(["nearest", "nearest-exact", "bilinear"]))
    align_corners = data.draw(st.booleans()) if mode == "bilinear" else None
    x = data.draw(S.tensors(shape, unique=False))
    check(lambda x: F.interpolate(x, size, mode=mode, align_corners=align_corners), x)
    check(lambda x: F.interpolate(x[:, :, 0], size[1], mode="linear" if mode == "bilinear" else mode), x)


# ----------------------------------------------------------------- layers
def twin(make, *args, **kwargs):
    """The same layer built by minitorch and by torch, in float64, with torch's weights copied over."""
    torch = torch_or_skip()
    torch.manual_seed(0)
    theirs = make(torch.nn)(*args, **kwargs).double()
    ours = make(nn)(*args, **kwargs).double()
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    assert repr(ours) == repr(theirs)
    return ours, theirs


def run_both(ours, theirs, x, **forward_kwargs):
    """Same output, same gradients of the input and of every parameter."""
    torch = torch_or_skip()
    mx, tx = minitorch.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out, ref = ours(mx, **forward_kwargs), theirs(tx, **forward_kwargs)
    if isinstance(ref, tuple):
        np.testing.assert_array_equal(out[1].numpy(), ref[1].numpy())
        out, ref = out[0], ref[0]
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=1e-10, atol=1e-12)
    cotangent = RNG.standard_normal(tuple(ref.shape))
    out.backward(minitorch.tensor(cotangent))
    ref.backward(torch.tensor(cotangent))
    np.testing.assert_allclose(mx.grad.numpy(), tx.grad.numpy(), rtol=1e-10, atol=1e-12)
    theirs_params = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(p.grad.numpy(), theirs_params[name].grad.numpy(), rtol=1e-10, atol=1e-12)


LAYERS = [
    (lambda n: n.Conv1d, (4, 6, 3), dict(), (2, 4, 9)),
    (lambda n: n.Conv1d, (4, 6, 3), dict(stride=2, padding=2, dilation=2, groups=2, bias=False), (2, 4, 9)),
    (lambda n: n.Conv1d, (4, 6, 4), dict(padding="same", padding_mode="reflect"), (4, 9)),
    (lambda n: n.Conv1d, (4, 6, 3), dict(padding=2, padding_mode="circular"), (2, 4, 9)),
    (lambda n: n.ConvTranspose1d, (4, 6, 3), dict(stride=2, padding=1, output_padding=1, groups=2), (2, 4, 5)),
    (lambda n: n.ConvTranspose2d, (4, 6, 3), dict(), (2, 4, 5, 5)),
    (lambda n: n.ConvTranspose2d, (4, 6, (3, 2)), dict(stride=2, padding=(1, 0), output_padding=1, bias=False),
     (2, 4, 5, 4)),
    (lambda n: n.ConvTranspose2d, (4, 2, 3), dict(groups=2, dilation=2), (4, 3, 3)),
    (lambda n: n.MaxPool1d, (3,), dict(stride=2, padding=1, return_indices=True), (2, 3, 8)),
    (lambda n: n.AvgPool1d, (3,), dict(stride=2, padding=1, count_include_pad=False), (2, 3, 8)),
    (lambda n: n.AdaptiveMaxPool2d, ((3, None),), dict(return_indices=True), (2, 3, 5, 4)),
    (lambda n: n.AdaptiveMaxPool1d, (4,), dict(), (2, 3, 7)),
    (lambda n: n.AdaptiveAvgPool1d, (4,), dict(), (2, 3, 7)),
    (lambda n: n.Upsample, (), dict(scale_factor=2), (2, 3, 4, 5)),
    (lambda n: n.Upsample, (), dict(size=(3, 7), mode="bilinear", align_corners=False), (2, 3, 4, 5)),
    (lambda n: n.Upsample, (), dict(scale_factor=1.5, mode="linear", align_corners=True), (2, 3, 5)),
    (lambda n: n.UpsamplingNearest2d, (), dict(size=7), (2, 3, 4, 5)),
    (lambda n: n.UpsamplingBilinear2d, (), dict(scale_factor=2), (2, 3, 4, 5)),
    (lambda n: n.Unfold, ((2, 3),), dict(padding=1, stride=2), (2, 3, 5, 6)),
    (lambda n: n.Fold, ((4, 5), (2, 3)), dict(padding=1, stride=(1, 2)), (2, 12, 15)),
]


@pytest.mark.parametrize("make, args, kwargs, shape", LAYERS, ids=lambda v: str(v) if not callable(v) else "")
def test_layers_match_torch(make, args, kwargs, shape):
    ours, theirs = twin(make, *args, **kwargs)
    assert {k: tuple(v.shape) for k, v in ours.state_dict().items()} == {
        k: tuple(v.shape) for k, v in theirs.state_dict().items()}
    run_both(ours, theirs, RNG.standard_normal(shape))


def test_conv_transpose2d_output_size_picks_the_output_padding():
    ours, theirs = twin(lambda n: n.ConvTranspose2d, 3, 2, 3, stride=3, padding=1)
    x = RNG.standard_normal((1, 3, 4, 4))
    for size in ((10, 12), (1, 2, 11, 10)):
        run_both(ours, theirs, x, output_size=size)
    with pytest.raises(ValueError, match=r"ConvTranspose2d: requested an output size of \(13, 10\).*\(10, 10\) to \(12, 12\)"):
        ours(minitorch.tensor(x), output_size=(13, 10))


def test_transposed_layer_init_uses_fan_in_of_its_weight():
    minitorch.manual_seed(0)
    layer = nn.ConvTranspose2d(8, 4, 3)  # weight (8, 4, 3, 3): fan_in = 4 * 9 = 36
    assert tuple(layer.weight.shape) == (8, 4, 3, 3) and tuple(layer.bias.shape) == (4,)
    bound = 1 / 6
    assert np.abs(layer.weight.detach().numpy()).max() <= bound and np.abs(layer.bias.detach().numpy()).max() <= bound
    assert np.abs(layer.weight.detach().numpy()).max() > 0.8 * bound


# ----------------------------------------------------------------- errors
def _t(*shape, dtype=minitorch.float64):
    return minitorch.zeros(*shape, dtype=dtype)


ERRORS = [
    (lambda: F.conv1d(_t(2, 3, 4, 5), _t(4, 3, 3)), ShapeError, r"conv1d: expected a 3-D input \(N, C, L\)"),
    (lambda: F.conv1d(_t(2, 3, 9), _t(4, 3, 3, 3)), ShapeError, r"conv1d: weight must be 3-D"),
    (lambda: F.conv1d(_t(2, 3, 9), _t(4, 3, 3), padding=(1, 1)), ValueError, r"conv1d: padding must be an int or a 1-tuple"),
    (lambda: F.conv1d(_t(2, 3, 9), _t(4, 3, 3), stride=2, padding="same"), ValueError, r"conv1d: padding='same'"),
    (lambda: F.conv1d(_t(8, 9), _t(4, 1, 3)), ShapeError, r"conv1d: .*8 channels.*\(N, 1, L\)"),
    (lambda: F.conv_transpose2d(_t(2, 4, 5, 5), _t(4, 3, 3, 3), groups=3), ValueError,
     r"conv_transpose2d: in_channels \(4, the weight's dim 0\) must be divisible by groups=3"),
    (lambda: F.conv_transpose2d(_t(2, 3, 5, 5), _t(4, 3, 3, 3)), ShapeError,
     r"conv_transpose2d: the input has 3 channels.*expects 4: weight.shape\[0\]"),
    (lambda: F.conv_transpose2d(_t(5, 5), _t(4, 3, 3, 3)), ShapeError, r"conv_transpose2d: expected a 4-D input"),
    (lambda: F.conv_transpose2d(_t(2, 4, 5, 5), _t(4, 3, 3, 3), stride=2, output_padding=2), ValueError,
     r"conv_transpose2d: output_padding \(2\) must be smaller than either stride \(2\) or dilation \(1\)"),
    (lambda: F.conv_transpose2d(_t(2, 4, 5, 5), _t(4, 3, 3, 3), output_padding=-1), ValueError,
     r"conv_transpose2d: output_padding must be"),
    (lambda: F.conv_transpose2d(_t(2, 4, 5, 5), _t(4, 3, 3, 3), padding=5), ShapeError,
     r"conv_transpose2d: the output would have size -3 \(input size 5, .*Use less padding"),
    (lambda: F.conv_transpose2d(_t(2, 4, 5, 5), _t(4, 3, 3, 3), _t(4)), ShapeError,
     r"conv_transpose2d: bias has shape \(4,\), expected \(3,\)"),
    (lambda: F.conv_transpose2d(_t(2, 4, 5, 5), _t(4, 3, 3, 3, dtype=minitorch.float32)), TypeError,
     r"conv_transpose2d: input is .*float64.* but weight is .*float32"),
    (lambda: F.conv_transpose1d(_t(2, 4, 5, 5), _t(4, 3, 3)), ShapeError, r"conv_transpose1d: expected a 3-D input"),
    (lambda: F.fold(_t(1, 2, 12, 9), (4, 4), 2), ShapeError, r"fold: expected a 3-D input \(N, C\*kH\*kW, L\)"),
    (lambda: F.fold(_t(2, 12, 10), (4, 4), 2), ShapeError, r"fold: .*3 \* 3 = 9 windows.*holds 10 columns"),
    (lambda: F.fold(_t(2, 12, 9), (4, 4), 3), ShapeError, r"fold: .*size 12, which must be C \* kH \* kW"),
    (lambda: F.fold(_t(2, 12, 9), (4, 4, 4), 2), ValueError, r"fold: output_size must be an int or a pair"),
    (lambda: F.fold(_t(2, 12, 9, dtype=minitorch.int64), (4, 4), 2), TypeError, r"fold: input must be a floating"),
    (lambda: F.max_pool1d(_t(2, 3, 4, 5), 2), ShapeError, r"max_pool1d: expected a 3-D input \(N, C, L\)"),
    (lambda: F.max_pool1d(_t(1, 5), (2, 2)), ValueError, r"max_pool1d: kernel_size must be an int or a 1-tuple"),
    (lambda: F.max_pool1d(_t(1, 5), 2, padding=2), ValueError, r"max_pool1d: padding 2 must be at most half"),
    (lambda: F.avg_pool1d(_t(1, 5, dtype=minitorch.int64), 2), TypeError, r"avg_pool1d: input must be a floating"),
    (lambda: F.max_pool2d(_t(1, 4, 4, dtype=minitorch.bool), 2), TypeError,
     r"max_pool2d: input must be a floating-point or integer tensor"),
    (lambda: F.adaptive_max_pool2d(_t(1, 4, 4), (2, 2, 2)), ValueError, r"adaptive_max_pool2d: output_size must be"),
    (lambda: F.interpolate(_t(1, 2, 4, 4), size=3, scale_factor=2), ValueError,
     r"interpolate: only one of size or scale_factor"),
    (lambda: F.interpolate(_t(1, 2, 4, 4)), ValueError, r"interpolate: either size or scale_factor"),
    (lambda: F.interpolate(_t(1, 2, 4, 4), size=3, align_corners=True), ValueError,
     r"interpolate: align_corners can only be set with the interpolating modes"),
    (lambda: F.interpolate(_t(1, 2, 4, 4), size=3, mode="linear"), NotImplementedError,
     r"interpolate: got a 4-D input, but linear mode needs a 3-D input"),
    (lambda: F.interpolate(_t(2, 4), size=3), NotImplementedError, r"interpolate: got a 2-D input"),
    (lambda: F.interpolate(_t(1, 2, 4, 4), size=3, mode="bicubic"), NotImplementedError,
     r"interpolate: mode 'bicubic' is not implemented"),
    (lambda: F.interpolate(_t(1, 2, 4, 4), size=(3, 4, 5)), ValueError, r"interpolate: size .* gives 3 sizes"),
    (lambda: F.interpolate(_t(1, 2, 4, 4), size=3.0), TypeError, r"interpolate: size must be an integer"),
    (lambda: F.interpolate(_t(1, 2, 4, 4), scale_factor=0.1), ShapeError,
     r"interpolate: input and output sizes must be at least 1"),
    (lambda: F.interpolate(_t(1, 2, 4, 4), size=3, recompute_scale_factor=True), ValueError,
     r"interpolate: recompute_scale_factor is not meaningful"),
    (lambda: F.interpolate(_t(1, 2, 4, 4, dtype=minitorch.int64), size=3, mode="bilinear"), TypeError,
     r"interpolate: input must be a floating"),
    (lambda: nn.ConvTranspose2d(4, 6, 3, padding_mode="reflect"), ValueError,
     r'ConvTranspose2d: only "zeros" padding mode'),
    (lambda: nn.ConvTranspose1d(4, 6, 3, groups=4), ValueError, r"ConvTranspose1d: in_channels \(4\) and out_channels \(6\)"),
    (lambda: nn.Conv1d(4, 6, (3, 3)), ValueError, r"Conv1d: kernel_size must be an int or a 1-tuple"),
    (lambda: nn.AvgPool1d(0), ValueError, r"AvgPool1d: kernel_size must be"),
]


@pytest.mark.parametrize("call, error, message", ERRORS, ids=lambda v: v if isinstance(v, str) else "")
def test_errors_name_the_op_and_the_fix(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ----------------------------------------------------------------- the cuda device
CUDA_CALLS = [
    (lambda x, w: F.conv_transpose2d(x, w, stride=2, padding=1, output_padding=1), ((2, 3, 4, 4), (3, 2, 3, 3))),
    (lambda x, w: F.conv1d(x, w, padding=1), ((2, 3, 6), (4, 3, 3))),
    (lambda x: F.fold(x, (4, 5), (2, 3), padding=1), ((2, 12, 25),)),
    (lambda x: F.max_pool1d(x, 3, 2, 1), ((2, 3, 8),)),
    (lambda x: F.avg_pool1d(x, 2), ((2, 3, 8),)),
    (lambda x: F.adaptive_max_pool2d(x, (2, 3)), ((2, 3, 5, 4),)),
    (lambda x: F.interpolate(x, scale_factor=1.5, mode="bilinear"), ((2, 3, 4, 5),)),
    (lambda x: F.interpolate(x, size=7, mode="nearest"), ((2, 3, 4),)),
]


@pytest.mark.parametrize("call, shapes", CUDA_CALLS)
def test_cuda_gives_the_cpus_values_and_gradients(call, shapes):
    results = []
    for device in ("cpu", "cuda"):
        inputs = [minitorch.tensor(np.random.default_rng(3).standard_normal(s), device=device, requires_grad=True)
                  for s in shapes]
        out = call(*inputs)
        assert out.device == device
        out.sum().backward()
        results.append([out.detach().cpu().numpy()] + [t.grad.cpu().numpy() for t in inputs])
    for on_cpu, on_cuda in zip(*results):
        np.testing.assert_allclose(on_cuda, on_cpu, rtol=1e-12, atol=1e-14)
    ints = minitorch.tensor(np.arange(40).reshape(2, 4, 5), device="cuda")
    np.testing.assert_array_equal(F.max_pool2d(ints, 2, padding=1).cpu().numpy(),
                                  F.max_pool2d(ints.cpu(), 2, padding=1).numpy())
