"""Lab 4: convolution and pooling (``functions/conv.py``, ``functions/pool.py``).

im2col is checked against the definition written as loops over pixels; its backward and the
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


def unfold_loops(x, kernel, stride, padding, dilation):
    """out[n, (c, i, j), (p, q)] = x_pad[n, c, p*sH + i*dH, q*sW + j*dW], one element at a time."""
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = kernel, stride, padding, dilation
    n, c, h, w = x.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    oh = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    ow = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((n, c * kh * kw, oh * ow))
    for b in range(n):
        for ch in range(c):
            for i in range(kh):
                for j in range(kw):
                    for p in range(oh):
                        for q in range(ow):
                            out[b, (ch * kh + i) * kw + j, p * ow + q] = x_pad[b, ch, p * sh + i * dh, q * sw + j * dw]
    return out


# ----------------------------------------------------------------------------- 4.1 im2col

@pytest.mark.task(id="4.1")
@pytest.mark.parametrize("kernel, stride, padding, dilation", GEOMETRIES)
def test_unfold_matches_the_definition(kernel, stride, padding, dilation):
    x = t((2, 3, 5, 4))
    out = F.unfold(x, kernel, dilation=dilation, padding=padding, stride=stride)
    np.testing.assert_allclose(out.detach().numpy(), unfold_loops(x.detach().numpy(), kernel, stride, padding, dilation))


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
def test_conv2d_matches_a_direct_convolution():
    x, weight, bias = t((2, 3, 5, 6)), t((4, 3, 3, 2), seed=1), t((4,), seed=2)
    out = F.conv2d(x, weight, bias, stride=(1, 2), padding=1).detach().numpy()
    x_pad = np.pad(x.detach().numpy(), ((0, 0), (0, 0), (1, 1), (1, 1)))
    expected = np.zeros(out.shape)
    for p in range(out.shape[2]):
        for q in range(out.shape[3]):
            window = x_pad[:, :, p:p + 3, 2 * q:2 * q + 2]  # (N, C, 3, 2)
            expected[:, :, p, q] = np.einsum("ncij,ocij->no", window, weight.detach().numpy()) + bias.detach().numpy()
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)



@pytest.mark.task(id="4.7")
@pytest.mark.parametrize("bias", [True, False])
def test_conv2d_backward(bias):
    args = (t((2, 3, 5, 4)), t((2, 3, 3, 2), seed=1)) + ((t((2,), seed=2),) if bias else ())
    assert gradcheck(lambda *a: F.conv2d(*a, stride=(2, 1), padding=1), args)
