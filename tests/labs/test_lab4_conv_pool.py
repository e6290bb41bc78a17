"""Lab 4: convolution and pooling, adaptive pooling included (``functions/conv.py``, ``functions/pool.py``,
``nn/functional/conv.py``).

im2col is checked on images worked out by hand and on invariants (shapes, orders, the adjoint
identity with col2im); its backward and the
pooling backward passes against finite differences (the Im2Col op is called directly, so
these tests do not need matmul's backward from lab 2); the pooling forward passes and conv2d
against small cases worked out by hand.
"""
import numpy as np
import pytest

import minitorch
import minitorch.nn.functional as F
from minitorch.functions import Im2Col
from minitorch.testing import gradcheck

GEOMETRIES = [  # kernel, stride, padding, dilation
    ((2, 2), (1, 1), (0, 0), (1, 1)),
    ((3, 2), (2, 1), (1, 0), (1, 1)),
    ((2, 2), (1, 2), (1, 1), (2, 1)),
]


def t(shape, seed=0, distinct=False):
    """A float64 tensor; ``distinct`` values are a shuffled grid 1/8 apart (no ties, for max)."""
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape))
    data = (rng.permutation(n) - n / 2 + 0.5) / 8 if distinct else rng.uniform(-2, 2, n)
    return minitorch.tensor(data.reshape(shape), dtype=minitorch.float64, requires_grad=True)


# ----------------------------------------------------------------------------- 4.1 im2col

def nine():
    """The image [[1, 2, 3], [4, 5, 6], [7, 8, 9]], shape (1, 1, 3, 3)."""
    return minitorch.tensor(np.arange(1.0, 10.0).reshape(1, 1, 3, 3), dtype=minitorch.float64)


@pytest.mark.task(id="4.1")
@pytest.mark.parametrize("options, expected", [
    ({}, [[1, 2, 4, 5], [2, 3, 5, 6], [4, 5, 7, 8], [5, 6, 8, 9]]),  # rows: offsets (i, j); columns: windows
    ({"padding": 1, "stride": 2}, [[0, 0, 0, 5], [0, 0, 4, 6], [0, 2, 0, 8], [1, 3, 7, 9]]),
    ({"dilation": 2}, [[1], [3], [7], [9]]),  # one window: the corners
    ({"stride": (1, 2)}, [[1, 4], [2, 5], [4, 7], [5, 8]]),
])
def test_unfold_of_one_3x3_image_by_hand(options, expected):
    np.testing.assert_array_equal(F.unfold(nine(), 2, **options).numpy(), [expected])


@pytest.mark.task(id="4.1")
def test_unfold_orders_channels_then_offsets_and_keeps_the_batch():
    x = t((2, 3, 2, 2))
    whole = F.unfold(x, 2)  # one window holding each whole image: channel by channel, row by row
    np.testing.assert_array_equal(whole.detach().numpy(), x.detach().numpy().reshape(2, 12, 1))
    pixels = F.unfold(x, 1)  # 1x1 windows: every pixel its own column
    np.testing.assert_array_equal(pixels.detach().numpy(), x.detach().numpy().reshape(2, 3, 4))


@pytest.mark.task(id="4.1")
@pytest.mark.parametrize("geometry, in_image", [  # per window (row-major), its entries inside the 5x4 image
    (GEOMETRIES[0], [[12] * 3] * 4),  # no padding: all 3 * 2 * 2
    (GEOMETRIES[1], [[12] * 3, [18] * 3, [12] * 3]),  # the first and last window rows hang over the padding
    (GEOMETRIES[2], [[3, 6, 3]] + [[6, 12, 6]] * 3 + [[3, 6, 3]]),  # dilated rows p-1, p+1; columns 2q-1, 2q
])
def test_unfold_of_ones_counts_each_windows_pixels(geometry, in_image):
    kernel, stride, padding, dilation = geometry
    ones = minitorch.ones(2, 3, 5, 4, dtype=minitorch.float64)
    cols = F.unfold(ones, kernel, dilation=dilation, padding=padding, stride=stride).numpy()
    expected = np.ravel(in_image)
    assert cols.shape == (2, 3 * kernel[0] * kernel[1], expected.size)
    np.testing.assert_array_equal(cols.sum(axis=1), [expected, expected])


# ----------------------------------------------------------------------------- 4.2 col2im

@pytest.mark.task(id="4.2")
@pytest.mark.parametrize("kernel, stride, padding, dilation", GEOMETRIES)
def test_im2col_backward(kernel, stride, padding, dilation):
    pads = ((padding[0], padding[0]), (padding[1], padding[1]))
    assert gradcheck(lambda x: Im2Col.apply(x, kernel, dilation, pads, stride), (t((2, 2, 5, 4)),))


@pytest.mark.task(id="4.2")
def test_im2col_backward_counts_the_windows_covering_each_pixel():
    x = t((1, 1, 3, 3))
    cols = F.unfold(x, 2)  # four 2x2 windows, stride 1: the centre pixel is in all of them
    cols.backward(minitorch.ones(*cols.shape, dtype=minitorch.float64))
    np.testing.assert_allclose(x.grad.numpy()[0, 0], [[1, 2, 1], [2, 4, 2], [1, 2, 1]])


@pytest.mark.task(id="4.2")
@pytest.mark.parametrize("kernel, stride, padding, dilation", GEOMETRIES)
def test_col2im_is_the_adjoint_of_im2col(kernel, stride, padding, dilation):
    x = t((2, 3, 5, 4)).detach()
    cols = F.unfold(x, kernel, dilation=dilation, padding=padding, stride=stride)
    y = t(cols.shape, seed=1).detach()  # <im2col(x), y> = <x, col2im(y)>
    back = F.fold(y, (5, 4), kernel, dilation=dilation, padding=padding, stride=stride)
    assert back.shape == x.shape
    assert np.vdot(cols.numpy(), y.numpy()) == pytest.approx(np.vdot(x.numpy(), back.numpy()), rel=1e-12)


# ----------------------------------------------------------------------------- 4.3 max pooling

@pytest.mark.task(id="4.3")
@pytest.mark.parametrize("kernel, stride, padding", [(2, None, 0), (3, 2, 1), ((2, 3), (1, 2), (1, 0))])
def test_max_pool2d_backward(kernel, stride, padding):
    assert gradcheck(lambda x: F.max_pool2d(x, kernel, stride, padding), (t((2, 2, 5, 6), distinct=True),))


@pytest.mark.task(id="4.3")
def test_max_pool2d_backward_routes_to_the_maximum():
    x = minitorch.tensor([[[[1.0, 5.0], [3.0, 2.0]]]], dtype=minitorch.float64, requires_grad=True)
    F.max_pool2d(x, 2).backward(minitorch.tensor([[[[7.0]]]], dtype=minitorch.float64))
    np.testing.assert_array_equal(x.grad.numpy(), [[[[0.0, 7.0], [0.0, 0.0]]]])


# ----------------------------------------------------------------------------- 4.4 average pooling

@pytest.mark.task(id="4.4")
@pytest.mark.parametrize("options", [
    dict(kernel_size=2),
    dict(kernel_size=3, stride=2, padding=1),
    dict(kernel_size=3, stride=2, padding=1, count_include_pad=False),
    dict(kernel_size=2, stride=2, ceil_mode=True),
])
def test_avg_pool2d_backward(options):
    assert gradcheck(lambda x: F.avg_pool2d(x, **options), (t((2, 2, 5, 5)),))


@pytest.mark.task(id="4.4")
def test_avg_pool2d_backward_spreads_evenly():
    x = t((1, 1, 2, 4))
    F.avg_pool2d(x, 2).backward(minitorch.tensor([[[[4.0, 8.0]]]], dtype=minitorch.float64))
    np.testing.assert_allclose(x.grad.numpy()[0, 0], [[1, 1, 2, 2], [1, 1, 2, 2]])


# ----------------------------------------------------------------------------- 4.5 max pooling forward

@pytest.mark.task(id="4.5")
def test_max_pool2d_takes_each_window_maximum_and_its_index():
    x = minitorch.tensor([[[[1.0, 5.0, 0.0], [3.0, 2.0, 7.0], [4.0, 6.0, 8.0]]]])
    out, indices = F.max_pool2d(x, 2, stride=1, return_indices=True)
    np.testing.assert_array_equal(out.numpy()[0, 0], [[5, 7], [6, 8]])
    np.testing.assert_array_equal(indices.numpy()[0, 0], [[1, 5], [7, 8]])


@pytest.mark.task(id="4.5")
def test_max_pool2d_padding_never_wins_and_ties_keep_the_first():
    out, indices = F.max_pool2d(-minitorch.tensor([[[[1.0, 2.0], [3.0, 4.0]]]]), 2, 2, 1, return_indices=True)
    np.testing.assert_array_equal(out.numpy()[0, 0], [[-1, -2], [-3, -4]])
    np.testing.assert_array_equal(indices.numpy()[0, 0], [[0, 1], [2, 3]])
    _, indices = F.max_pool2d(minitorch.ones(1, 1, 2, 2), 2, return_indices=True)
    assert indices.item() == 0


@pytest.mark.task(id="4.5")
def test_max_pool2d_dilation_ceil_mode_and_nan():
    x = minitorch.arange(16.0).reshape(1, 1, 4, 4)
    np.testing.assert_array_equal(F.max_pool2d(x, 2, stride=1, dilation=2).numpy()[0, 0], [[10, 11], [14, 15]])
    np.testing.assert_array_equal(F.max_pool2d(x, 3, stride=2, ceil_mode=True).numpy()[0, 0], [[10, 11], [14, 15]])
    out = F.max_pool2d(minitorch.tensor([[[[1.0, float("nan")], [3.0, 2.0]]]]), 2)
    assert np.isnan(out.item())


# ----------------------------------------------------------------------------- 4.6 average pooling forward

@pytest.mark.task(id="4.6")
@pytest.mark.parametrize("options, expected", [
    (dict(kernel_size=2), [[2.5, 4.5], [10.5, 12.5]]),
    (dict(kernel_size=3, stride=2, padding=1), [[10 / 9, 24 / 9], [51 / 9, 10]]),
    (dict(kernel_size=3, stride=2, padding=1, count_include_pad=False), [[2.5, 4], [8.5, 10]]),
    (dict(kernel_size=3, stride=2, ceil_mode=True), [[5, 6.5], [11, 12.5]]),
    (dict(kernel_size=2, divisor_override=2), [[5, 9], [21, 25]]),
])
def test_avg_pool2d_values(options, expected):
    x = minitorch.arange(16.0, dtype=minitorch.float64).reshape(1, 1, 4, 4)
    np.testing.assert_allclose(F.avg_pool2d(x, **options).numpy()[0, 0], expected, rtol=1e-12)


# ----------------------------------------------------------------------------- 4.7 conv2d

@pytest.mark.task(id="4.7")
def test_conv2d_of_ones_counts_the_window_plus_bias():
    x, weight = minitorch.ones(2, 3, 3, 4), minitorch.ones(5, 3, 2, 2)
    out = F.conv2d(x, weight, minitorch.arange(5.0))
    assert out.shape == (2, 5, 2, 3) and out.is_contiguous()
    np.testing.assert_array_equal(out.numpy(), 12 + np.arange(5.0).reshape(1, 5, 1, 1) * np.ones((2, 5, 2, 3)))


@pytest.mark.task(id="4.7")
@pytest.mark.parametrize("o, c, i, j", [((c + i + j) % 4, c, i, j) for c in range(3) for i in range(3) for j in range(2)])
def test_conv2d_with_a_one_hot_kernel_picks_one_input_value_per_output(o, c, i, j):
    """weight = 1 at (o, c, i, j), 0 elsewhere: out[n, o, p, q] = x_padded[n, c, 1 p + i, 2 q + j] (stride
    (1, 2), padding 1), every other output channel 0. Together with linearity (below) this fixes conv2d."""
    x = t((2, 3, 5, 6))
    weight = np.zeros((4, 3, 3, 2))
    weight[o, c, i, j] = 1.0
    out = F.conv2d(x, minitorch.tensor(weight), stride=(1, 2), padding=1).detach().numpy()
    assert out.shape == (2, 4, 5, 4)
    x_pad = np.pad(x.detach().numpy(), ((0, 0), (0, 0), (1, 1), (1, 1)))
    np.testing.assert_array_equal(out[:, o], x_pad[:, c, i:i + 5, j:j + 7:2])
    np.testing.assert_array_equal(np.delete(out, o, axis=1), 0.0)


@pytest.mark.task(id="4.7")
def test_conv2d_is_linear_in_the_weight_and_adds_the_bias():
    x, w1, w2, bias = t((2, 3, 5, 6)), t((4, 3, 3, 2), seed=1), t((4, 3, 3, 2), seed=2), t((4,), seed=3)

    def conv(w, b=None):
        w, b = minitorch.tensor(w), None if b is None else minitorch.tensor(b)
        return F.conv2d(x, w, b, stride=(1, 2), padding=1).detach().numpy()

    a, b = w1.detach().numpy(), w2.detach().numpy()
    np.testing.assert_allclose(conv(2 * a - 3 * b), 2 * conv(a) - 3 * conv(b), rtol=1e-12, atol=1e-12)
    with_bias = conv(a, bias.detach().numpy()) - conv(a)
    np.testing.assert_allclose(with_bias, np.broadcast_to(bias.detach().numpy()[None, :, None, None], with_bias.shape),
                               rtol=1e-12, atol=1e-12)


@pytest.mark.task(id="4.7")
@pytest.mark.parametrize("bias", [True, False])
def test_conv2d_backward(bias):
    args = (t((2, 3, 5, 4)), t((2, 3, 3, 2), seed=1)) + ((t((2,), seed=2),) if bias else ())
    assert gradcheck(lambda *a: F.conv2d(*a, stride=(2, 1), padding=1), args)


@pytest.mark.task(id="4.7")
def test_grouped_conv2d_convolves_each_group_of_channels_apart():
    x, weight, bias = t((2, 4, 5, 5)), t((6, 2, 3, 3), seed=1), t((6,), seed=2)
    out = F.conv2d(x, weight, bias, padding=1, dilation=(1, 2), groups=2)
    halves = [F.conv2d(x[:, 2 * g:2 * g + 2], weight[3 * g:3 * g + 3], bias[3 * g:3 * g + 3], padding=1,
                       dilation=(1, 2)) for g in range(2)]
    assert out.shape == (2, 6, 5, 3)
    np.testing.assert_allclose(out.detach().numpy(), minitorch.cat(halves, dim=1).detach().numpy(), rtol=1e-12)


# ----------------------------------------------------------------------------- 4.12 adaptive pooling

def row(values, requires_grad=True):
    """A (1, 1, 1, L) image of one row."""
    return minitorch.tensor(np.array(values, dtype=np.float64).reshape(1, 1, 1, -1), requires_grad=requires_grad)


@pytest.mark.task(id="4.12")
def test_adaptive_avg_pool_windows_overlap_and_share_the_gradient():
    x = row([0.0, 1.0, 2.0, 3.0, 4.0])
    out = F.adaptive_avg_pool2d(x, (1, 2))  # windows [0, 3) and [2, 5): pixel 2 is in both
    np.testing.assert_allclose(out.detach().numpy().reshape(-1), [1.0, 3.0])
    out.sum().backward()
    np.testing.assert_allclose(x.grad.numpy().reshape(-1), [1 / 3, 1 / 3, 2 / 3, 1 / 3, 1 / 3])


@pytest.mark.task(id="4.12")
def test_adaptive_avg_pool_to_one_pixel_is_the_mean_and_to_the_input_size_the_identity():
    x = t((2, 3, 4, 5))
    np.testing.assert_allclose(F.adaptive_avg_pool2d(x, 1).detach().numpy(),
                               x.detach().numpy().mean(axis=(2, 3), keepdims=True), rtol=1e-12)
    np.testing.assert_allclose(F.adaptive_avg_pool2d(x, (4, 5)).detach().numpy(), x.detach().numpy(), rtol=1e-12)


@pytest.mark.task(id="4.12")
def test_adaptive_max_pool_values_indices_and_gradient():
    x = row([0.0, 5.0, 1.0, 4.0, 2.0])
    out, indices = F.adaptive_max_pool2d(x, (1, 2), return_indices=True)
    np.testing.assert_array_equal(out.detach().numpy().reshape(-1), [5.0, 4.0])
    np.testing.assert_array_equal(indices.numpy().reshape(-1), [1, 3])
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy().reshape(-1), [0.0, 1.0, 0.0, 1.0, 0.0])


@pytest.mark.task(id="4.12")
def test_adaptive_max_pool_overlapping_windows_add_their_gradients():
    x = row([0.0, 1.0, 5.0, 1.0, 0.0])
    (F.adaptive_max_pool2d(x, (1, 2)) * row([2.0, 3.0], requires_grad=False)).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy().reshape(-1), [0.0, 0.0, 5.0, 0.0, 0.0])


@pytest.mark.task(id="4.12")
@pytest.mark.parametrize("size", [(3, 2), (5, 6), (2, 4)])
def test_adaptive_pools_gradcheck(size):
    assert gradcheck(lambda x: F.adaptive_avg_pool2d(x, size), (t((2, 2, 5, 4)),))
    assert gradcheck(lambda x: F.adaptive_max_pool2d(x, size), (t((2, 2, 5, 4), distinct=True),))
