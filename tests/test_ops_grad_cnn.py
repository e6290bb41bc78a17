"""The CNN ops' hand-written backward passes against finite differences (``gradcheck``).

conv2d and unfold (im2col / col2im), max/avg/adaptive pooling, batch and layer norm,
embedding and pad, over hypothesis-drawn small shapes, strides, paddings and dilations.
Values come from the offset grid of ``minitorch.testing.strategies`` (unique by default),
so max pooling never meets a tie and no example sits on a kink.
"""
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import minitorch
import minitorch.nn.functional as F
from minitorch.testing import gradcheck
from minitorch.testing import strategies as S


def check(fn, *inputs):
    assert gradcheck(fn, inputs)


sides = st.integers(1, 2)


@st.composite
def conv_case(draw, max_channels=2):
    """(input shape, weight shape, conv2d kwargs) with an output of at least one pixel."""
    groups = draw(st.sampled_from([1, 1, 2]))
    c_in = groups * draw(st.integers(1, max_channels // groups or 1))
    c_out = groups * draw(st.integers(1, 2))
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(sides), draw(sides))
    if draw(st.booleans()):
        stride = (draw(sides), draw(sides))
        padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
        pads = padding
    else:  # the string forms ("same" needs stride 1)
        stride, padding = (1, 1), draw(st.sampled_from(["same", "valid"]))
        spans = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
        pads = (0, 0) if padding == "valid" else tuple(s // 2 for s in spans)
    hw = tuple(
        max(1, d * (k - 1) + 1 - 2 * p) + draw(st.integers(0, 2)) for k, d, p in zip(kernel, dilation, pads)
    )
    n = draw(sides)
    kwargs = dict(stride=stride, padding=padding, dilation=dilation, groups=groups)
    return (n, c_in, *hw), (c_out, c_in // groups, *kernel), kwargs


@given(data=st.data())
def test_conv2d(data):
    x_shape, w_shape, kwargs = data.draw(conv_case())
    x, w = data.draw(S.tensors(x_shape)), data.draw(S.tensors(w_shape))
    b = data.draw(S.tensors((w_shape[0],)))
    check(lambda x, w, b: F.conv2d(x, w, b, **kwargs), x, w, b)
    check(lambda x, w: F.conv2d(x, w, None, **kwargs), x, w)


@given(data=st.data())
def test_conv2d_unbatched_input(data):
    x_shape, w_shape, kwargs = data.draw(conv_case())
    x, w = data.draw(S.tensors(x_shape[1:])), data.draw(S.tensors(w_shape))
    check(lambda x, w: F.conv2d(x, w, **kwargs), x, w)


@given(data=st.data())
def test_unfold(data):
    numeric_padding = conv_case().filter(lambda case: not isinstance(case[2]["padding"], str))
    x_shape, w_shape, kwargs = data.draw(numeric_padding)
    x = data.draw(S.tensors(x_shape))
    kernel = w_shape[2:]
    check(lambda x: F.unfold(x, kernel, kwargs["dilation"], kwargs["padding"], kwargs["stride"]), x)


@st.composite
def pool_case(draw, dilated=True):
    """(input shape, kernel, stride, padding, dilation, ceil_mode); padding <= half the kernel."""
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(sides), draw(sides)) if dilated else (1, 1)
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    span = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))
    padding = tuple(draw(st.integers(0, s // 2)) for s in (span if dilated else kernel))
    hw = tuple(max(1, s - 2 * p) + draw(st.integers(0, 3)) for s, p in zip(span, padding))
    shape = (draw(sides), draw(sides), *hw)
    return shape, kernel, stride, padding, dilation, draw(st.booleans())


@given(data=st.data())
def test_max_pool2d(data):
    shape, kernel, stride, padding, dilation, ceil_mode = data.draw(pool_case())
    x = data.draw(S.tensors(shape))  # unique grid values: no window holds a tie
    # With dilation a window can skip every pixel and see only padding: -inf, as in PyTorch.
    assume(np.isfinite(F.max_pool2d(x, kernel, stride, padding, dilation, ceil_mode).detach().numpy()).all())
    check(lambda x: F.max_pool2d(x, kernel, stride, padding, dilation, ceil_mode), x)
    check(lambda x: F.max_pool2d(x, kernel, stride, padding, dilation, ceil_mode, return_indices=True)[0], x)


@given(data=st.data())
def test_avg_pool2d(data):
    shape, kernel, stride, padding, _, ceil_mode = data.draw(pool_case(dilated=False))
    x = data.draw(S.tensors(shape, unique=False))
    include_pad = data.draw(st.booleans())
    divisor = data.draw(st.sampled_from([None, 3]))
    check(lambda x: F.avg_pool2d(x, kernel, stride, padding, ceil_mode, include_pad, divisor), x)


@given(data=st.data())
def test_adaptive_avg_pool2d(data):
    shape = (data.draw(sides), data.draw(sides), data.draw(st.integers(1, 6)), data.draw(st.integers(1, 6)))
    out = (data.draw(st.integers(1, 4)), data.draw(st.one_of(st.none(), st.integers(1, 4))))
    x = data.draw(S.tensors(shape, unique=False))
    check(lambda x: F.adaptive_avg_pool2d(x, out), x)


def norm_values():
    return S.grid(-2.0, 2.0, step=1 / 64)


@given(data=st.data())
def test_batch_norm_training(data):
    shape = (data.draw(st.integers(2, 3)), data.draw(sides)) + data.draw(S.shapes(0, 2, max_side=3))
    c = shape[1]
    x = data.draw(S.tensors(shape, elements=norm_values()))  # unique: every channel has variance > 0
    w, b = data.draw(S.tensors((c,))), data.draw(S.tensors((c,)))
    running_mean = minitorch.zeros(c, dtype=minitorch.float64)
    running_var = minitorch.ones(c, dtype=minitorch.float64)
    check(lambda x, w, b: F.batch_norm(x, running_mean, running_var, w, b, training=True), x, w, b)
    check(lambda x: F.batch_norm(x, None, None, training=True, eps=1e-3), x)


@given(data=st.data())
def test_batch_norm_eval(data):
    shape = (data.draw(sides), data.draw(sides)) + data.draw(S.shapes(0, 2, max_side=3))
    c = shape[1]
    x, w, b = data.draw(S.tensors(shape)), data.draw(S.tensors((c,))), data.draw(S.tensors((c,)))
    mean = data.draw(S.tensors((c,), requires_grad=False))
    var = data.draw(S.tensors((c,), elements=S.grid(0.25, 4.0), requires_grad=False))
    check(lambda x, w, b: F.batch_norm(x, mean, var, w, b, training=False), x, w, b)


@given(data=st.data())
def test_layer_norm(data):
    shape = data.draw(S.shapes(1, 3, max_side=3))
    k = data.draw(st.integers(1, len(shape)))
    normalized = shape[len(shape) - k:]
    if int(np.prod(normalized)) == 1:
        normalized, shape = normalized[:-1] + (2,), shape[:-1] + (2,)  # one value has no spread
    x = data.draw(S.tensors(shape, elements=norm_values()))
    w, b = data.draw(S.tensors(normalized)), data.draw(S.tensors(normalized))
    check(lambda x, w, b: F.layer_norm(x, normalized, w, b), x, w, b)
    check(lambda x: F.layer_norm(x, normalized), x)


@given(data=st.data())
def test_embedding_with_repeated_indices(data):
    num, dim = data.draw(st.integers(1, 5)), data.draw(st.integers(1, 3))
    index_shape = data.draw(S.shapes(0, 2))
    index = minitorch.tensor(data.draw(st.lists(st.integers(0, num - 1), min_size=int(np.prod(index_shape)),
                                                max_size=int(np.prod(index_shape))))).reshape(index_shape)
    w = data.draw(S.tensors((num, dim)))
    check(lambda w: F.embedding(index, w), w)  # (padding_idx withholds a true gradient: tested below)


def test_embedding_repeats_add_and_padding_row_gets_nothing():
    w = minitorch.zeros(4, 2, dtype=minitorch.float64, requires_grad=True)
    F.embedding(minitorch.tensor([[1, 3, 1], [1, 0, 3]]), w, padding_idx=3).sum().backward()
    np.testing.assert_array_equal(w.grad.numpy(), [[1, 1], [3, 3], [0, 0], [0, 0]])


@given(data=st.data())
def test_pad_constant_with_crops(data):
    shape = data.draw(S.shapes(1, 3, min_side=2))
    count = data.draw(st.integers(1, len(shape)))
    amounts = [data.draw(st.integers(-1, 2)) for _ in range(2 * count)]
    x = data.draw(S.tensors(shape))
    check(lambda x: F.pad(x, amounts, value=1.5), x)


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
@given(data=st.data())
def test_pad_copying_modes(mode, data):
    count = data.draw(st.integers(1, 3))
    shape = tuple(data.draw(st.integers(2, 3)) for _ in range(count + data.draw(sides)))
    limit = 1 if mode == "reflect" else 2  # reflect: less than the size
    amounts = [data.draw(st.integers(0, limit)) for _ in range(2 * count)]
    x = data.draw(S.tensors(shape))
    check(lambda x: F.pad(x, amounts, mode=mode), x)


@given(data=st.data())
def test_small_cnn_composition(data):
    """conv -> batch norm -> relu -> max pool -> linear: the backward rules chained together."""
    x = data.draw(S.tensors((2, 1, 5, 5), requires_grad=False))
    w = data.draw(S.tensors((2, 1, 2, 2)))
    fc = data.draw(S.tensors((3, 18)))  # 2 channels x 3 x 3 pooled pixels

    def net(w, fc):
        h = F.batch_norm(F.conv2d(x, w, padding=1), None, None, training=True)
        h = F.max_pool2d(h.relu(), 2, ceil_mode=True).reshape(2, -1)
        return F.linear(h, fc).log_softmax(-1)

    assert gradcheck(net, (w, fc), mode="random")
