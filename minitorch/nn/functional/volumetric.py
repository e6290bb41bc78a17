"""Volumes (N, C, D, H, W): conv3d, conv_transpose3d and the 3-D max/average/adaptive pools.

A 3-D window is a window along depth D of 2-D windows over (H, W), so every op here is the 2-D
op of ``conv.py`` plus one pass along depth, with the same ``Op`` classes (one implementation
for 1, 2 and 3 spatial dims, as a 1-D signal is an image of height 1):

- ``conv3d``: im2col along depth (``Im2Col`` with a (kD, 1) kernel over the (N, C, D, H*W)
  view) stacks the kD slices that output depth d reads as channels, (N*D_out, C*kD, H, W); then
  ONE ``conv2d`` with the weight (C_out, C_in/groups * kD, kH, kW) does the rest, since

      out[n, o, d, p, q] = sum_{c, k} (conv2d of x_pad[n, c, d*sD + k*dD] with W[o, c, k])

- ``conv_transpose3d``, its adjoint, runs the same steps the other way round: one
  ``conv_transpose2d`` per input depth slice (batched), then col2im along depth (``Col2Im``).
- the pools: the 2-D pool over (H, W) of every depth slice, then the 1-D pool along depth of
  every (h, w) position (the depth axis laid out as a signal, an image of height 1). A max over a
  box is the max over depth of the max over (H, W); an average's divisor (count_include_pad,
  ceil_mode) is a product of one count per axis, so averages split the same way.
"""
from ... import functions as ops
from ...device import array_module
from ...functions.conv import out_size as _out_size
from ...functions.pool import adaptive_max as _adaptive_max
from ...functions.pool import max_pool_indices as _max_pool_indices
from ...tensor import Tensor
from .conv import (
    _batch, _check_weight, _conv_padding, _output_size, _pool_args, _sizes, conv2d, conv_transpose2d,
    transposed_size,
)


def _volume_args(op, input, weight, bias, groups, stride, dilation, transposed):
    """The checks and sizes conv3d and conv_transpose3d share: the batched input and how to restore
    an unbatched one, C_out, the kernel size, and stride and dilation as triples."""
    x, restore = _batch(op, input, 3)
    _, c_out = _check_weight(op, 3, input, x, weight, bias, groups, transposed=transposed)
    stride, dilation = _sizes(op, "stride", stride, 3, 1, 1), _sizes(op, "dilation", dilation, 3, 1, 1)
    return x, restore, c_out, tuple(weight.shape[2:]), stride, dilation


def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """3-D convolution (cross-correlation) of volumes (N, C, D, H, W), e.g. video clips or scans:

        out[n, o, d, p, q] = b[o] + sum_{c, k, i, j} W[o, c, k, i, j] x_pad[n, c, d*sD + k*dD, p*sH + i*dH, q*sW + j*dW]

    - input (N, C_in, D, H, W) or (C_in, D, H, W); weight (C_out, C_in / groups, kD, kH, kW); bias (C_out,)
    - ``stride``, ``dilation``: an int or a triple; ``padding``: an int, a triple, "valid" or "same"
    - output (N, C_out, D_out, H_out, W_out), D_out = (D + 2 pD - dD (kD - 1) - 1) // sD + 1 (H, W alike)

    Computed as im2col along depth and one ``conv2d`` (see the module docstring).

    >>> import minitorch
    >>> x = minitorch.ones(1, 2, 3, 4, 4)
    >>> tuple(minitorch.nn.functional.conv3d(x, minitorch.ones(5, 2, 3, 3, 3), padding=1).shape)
    (1, 5, 3, 4, 4)
    """
    op = "conv3d"
    x, restore, c_out, kernel, stride, dilation = _volume_args(op, input, weight, bias, groups, stride,
                                                               dilation, transposed=False)
    pads = _conv_padding(op, padding, kernel, dilation, stride, 3)
    n, c_in, depth, h, w = x.shape
    d_out, _, _ = (_out_size(op, x.shape[2 + a], kernel[a], stride[a], *pads[a], dilation[a]) for a in range(3))
    cols = ops.Im2Col.apply(x.reshape(n, c_in, depth, h * w), (kernel[0], 1), (dilation[0], 1),
                            (pads[0], (0, 0)), (stride[0], 1))  # (C_in*kD, N*D_out*H*W)
    slices = cols.reshape(c_in * kernel[0], n, d_out, h, w).permute(1, 2, 0, 3, 4)
    slices = slices.reshape(n * d_out, c_in * kernel[0], h, w)  # channel c*kD + k: depth d*sD + k*dD of c
    plane_padding = padding if isinstance(padding, str) else (pads[1][0], pads[2][0])  # "same" pads (H, W) alike
    planes = conv2d(slices, weight.reshape(c_out, -1, *kernel[1:]), bias, stride[1:], plane_padding,
                    dilation[1:], groups)  # (N*D_out, C_out, H_out, W_out), the bias added
    out = planes.reshape(n, d_out, c_out, *planes.shape[2:]).permute(0, 2, 1, 3, 4).contiguous()
    return restore(out)


def conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """3-D transposed convolution ("deconvolution"), the adjoint of ``conv3d``: each input voxel
    spreads a copy of the kernel, scaled by it, over the output (it upsamples volumes).

    - input (N, C_in, D, H, W) or (C_in, D, H, W); weight (C_in, C_out / groups, kD, kH, kW); bias (C_out,)
    - ``stride``, ``padding``, ``output_padding``, ``dilation``: an int or a triple (see ``conv_transpose2d``)
    - output (N, C_out, D_out, H_out, W_out), D_out = (D - 1) sD - 2 pD + dD (kD - 1) + output_padding + 1

    Computed as ``conv_transpose2d`` of every depth slice, whose output channels are the
    (C_out, kD) pairs, then col2im along depth (``Col2Im``), the adjoint of ``conv3d``'s steps.

    >>> import minitorch
    >>> x = minitorch.ones(1, 2, 3, 4, 4)
    >>> tuple(minitorch.nn.functional.conv_transpose3d(x, minitorch.ones(2, 5, 2, 2, 2), stride=2).shape)
    (1, 5, 6, 8, 8)
    """
    op = "conv_transpose3d"
    x, restore, c_out, kernel, stride, dilation = _volume_args(op, input, weight, bias, groups, stride,
                                                               dilation, transposed=True)
    padding = _sizes(op, "padding", padding, 3, 0, 0)
    output_padding = _sizes(op, "output_padding", output_padding, 3, 0, 0)
    n, c_in, depth, h, w = x.shape
    d_out, h_out, w_out = (transposed_size(op, x.shape[2 + a], kernel[a], stride[a], padding[a],
                                           output_padding[a], dilation[a]) for a in range(3))
    slices = x.permute(0, 2, 1, 3, 4).reshape(n * depth, c_in, h, w)
    planes = conv_transpose2d(slices, weight.reshape(c_in, -1, *kernel[1:]), None, stride[1:], padding[1:],
                              output_padding[1:], groups, dilation[1:])  # (N*D, C_out*kD, H_out, W_out)
    cols = planes.reshape(n, depth, c_out * kernel[0], h_out * w_out).permute(2, 0, 1, 3)
    cols = cols.reshape(c_out * kernel[0], n * depth * h_out * w_out)  # Im2Col's layout, along depth
    out = ops.Col2Im.apply(cols, (n, c_out, d_out, h_out * w_out), (kernel[0], 1), (dilation[0], 1),
                           ((padding[0], padding[0]), (0, 0)), (stride[0], 1), (depth, h_out * w_out))
    out = out.reshape(n, c_out, d_out, h_out, w_out)
    if bias is not None:
        out = out + bias.reshape(1, -1, 1, 1, 1)
    return restore(out)


def _planes_then_depth(x, plane_pool, depth_pool):
    """``plane_pool`` over (H, W) of every depth slice of x (N, C, D, H, W), then ``depth_pool``
    along depth of every (h, w) position, the depth axis laid out as signals (an image of height
    1): both take and give (N, C', H', W') tensors. Returns the (N, C, D_out, H_out, W_out)
    result and the signals (N, C*H_out*W_out, 1, D) the depth pass read."""
    n, c, depth, h, w = x.shape
    planes = plane_pool(x.reshape(n, c * depth, h, w))  # (N, C*D, H_out, W_out)
    h_out, w_out = planes.shape[2:]
    signals = planes.reshape(n, c, depth, h_out * w_out).permute(0, 1, 3, 2).reshape(n, c * h_out * w_out, 1, depth)
    out = depth_pool(signals)  # (N, C*H_out*W_out, 1, D_out)
    return out.reshape(n, c, h_out, w_out, -1).permute(0, 1, 4, 2, 3).contiguous(), signals


def _indices(x, plane_winners, depth_winners, out_shape):
    """The flat index d*H*W + h*W + w in its input volume of each maximum, from the two passes'
    winners: ``plane_winners`` (N, C*D, H_out, W_out), the h*W + w of each slice's maxima, and
    ``depth_winners`` (N, C*H_out*W_out, 1, D_out), the depth d that won along each signal."""
    n, c, depth, h, w = x.shape
    xp = array_module(plane_winners)
    d = depth_winners.reshape(n, c, *out_shape[1:], out_shape[0]).transpose(0, 1, 4, 2, 3)
    hw = xp.take_along_axis(plane_winners.reshape(n, c, depth, *out_shape[1:]), d, axis=2)
    return Tensor._make(d * (h * w) + hw, False, None, x.device)


def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """The maximum over each kD x kH x kW window of volumes (N, C, D, H, W) or (C, D, H, W):

        y[n, c, d, p, q] = max_{k, i, j} x_pad[n, c, d*sD + k*dD, p*sH + i*dH, q*sW + j*dW]

    Options as ``max_pool2d`` (an int or a triple each; integer input too, with no gradient);
    ``return_indices=True`` also returns the flat index d*H*W + h*W + w of each maximum in its
    input volume. The max over (H, W) of every depth slice, then over depth (module docstring).

    >>> import minitorch
    >>> x = minitorch.arange(8.0).reshape(1, 1, 2, 2, 2)
    >>> y, i = minitorch.nn.functional.max_pool3d(x, 2, return_indices=True)
    >>> y.flatten().tolist(), i.flatten().tolist()
    ([7.0], [7])
    """
    op = "max_pool3d"
    x, restore = _batch(op, input, 3, integers=True)
    kernel, stride, padding, dilation = _pool_args(op, 3, kernel_size, stride, padding, dilation)
    ceil_mode = bool(ceil_mode)
    out_shape = [_out_size(op, x.shape[2 + a], kernel[a], stride[a], padding[a], padding[a], dilation[a], ceil_mode)
                 for a in range(3)]
    plane = (kernel[1:], stride[1:], padding[1:], dilation[1:], ceil_mode)
    depth = ((1, kernel[0]), (1, stride[0]), (0, padding[0]), (1, dilation[0]), ceil_mode)
    out, signals = _planes_then_depth(x, lambda p: ops.MaxPool2d.apply(p, *plane),
                                      lambda s: ops.MaxPool2d.apply(s, *depth))
    if not return_indices:
        return restore(out)
    n, c, d, h, w = x.shape
    plane_winners = _max_pool_indices(x._array.reshape(n, c * d, h, w), *plane)
    depth_winners = _max_pool_indices(signals._array, *depth)
    return restore(out), restore(_indices(x, plane_winners, depth_winners, out_shape))


def avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    """The mean over each kD x kH x kW window of volumes (N, C, D, H, W) or (C, D, H, W):
    y[n, c, d, p, q] = sum_{k, i, j} x_pad[n, c, d*sD + k, p*sH + i, q*sW + j] / D.

    Options as ``avg_pool2d`` (an int or a triple each). The mean over (H, W) of every depth
    slice, then over depth; with ``divisor_override`` the first pass divides by it and the second
    only sums.

    >>> import minitorch
    >>> x = minitorch.arange(8.0).reshape(1, 1, 2, 2, 2)
    >>> minitorch.nn.functional.avg_pool3d(x, 2).flatten().tolist()
    [3.5]
    """
    op = "avg_pool3d"
    x, restore = _batch(op, input, 3)
    kernel, stride, padding, _ = _pool_args(op, 3, kernel_size, stride, padding, 1)
    if divisor_override is not None and (isinstance(divisor_override, bool) or divisor_override == 0):
        raise ValueError(f"{op}: divisor_override must be a non-zero number, got {divisor_override!r}.")
    for a in range(3):  # a clear error if a window does not fit
        _out_size(op, x.shape[2 + a], kernel[a], stride[a], padding[a], padding[a], 1, ceil_mode)
    flags = (bool(ceil_mode), bool(count_include_pad))
    plane = (kernel[1:], stride[1:], padding[1:], *flags, divisor_override)
    depth = ((1, kernel[0]), (1, stride[0]), (0, padding[0]), *flags, None if divisor_override is None else 1)
    out, _ = _planes_then_depth(x, lambda p: ops.AvgPool2d.apply(p, *plane), lambda s: ops.AvgPool2d.apply(s, *depth))
    return restore(out)


def adaptive_avg_pool3d(input, output_size):
    """Average pooling of volumes (N, C, D, H, W) or (C, D, H, W) to a fixed (D_out, H_out, W_out),
    whatever the input's size: the windows of ``adaptive_avg_pool2d`` along each axis.
    ``output_size``: an int, or a triple in which None keeps that dimension's input size.

    >>> import minitorch
    >>> x = minitorch.arange(8.0).reshape(1, 1, 2, 2, 2)
    >>> minitorch.nn.functional.adaptive_avg_pool3d(x, (1, 2, 1)).flatten().tolist()
    [2.5, 4.5]
    """
    op = "adaptive_avg_pool3d"
    x, restore = _batch(op, input, 3)
    size = _output_size(op, 3, x, output_size)
    out, _ = _planes_then_depth(x, lambda p: ops.AdaptiveAvgPool2d.apply(p, size[1:]),
                                lambda s: ops.AdaptiveAvgPool2d.apply(s, (1, size[0])))
    return restore(out)


def adaptive_max_pool3d(input, output_size, return_indices=False):
    """Max pooling of volumes (N, C, D, H, W) or (C, D, H, W) to a fixed (D_out, H_out, W_out): the
    maximum of each of ``adaptive_avg_pool3d``'s windows. ``return_indices=True`` also returns
    the flat index d*H*W + h*W + w of each maximum in its input volume.

    >>> import minitorch
    >>> x = minitorch.arange(8.0).reshape(1, 1, 2, 2, 2)
    >>> minitorch.nn.functional.adaptive_max_pool3d(x, (1, 2, 1)).flatten().tolist()
    [5.0, 7.0]
    """
    op = "adaptive_max_pool3d"
    x, restore = _batch(op, input, 3)
    size = _output_size(op, 3, x, output_size)
    out, signals = _planes_then_depth(x, lambda p: ops.AdaptiveMaxPool2d.apply(p, size[1:]),
                                      lambda s: ops.AdaptiveMaxPool2d.apply(s, (1, size[0])))
    if not return_indices:
        return restore(out)
    n, c, d, h, w = x.shape
    plane_winners = _adaptive_max(x._array.reshape(n, c * d, h, w), size[1:])[1]
    depth_winners = _adaptive_max(signals._array, (1, size[0]))[1]
    return restore(out), restore(_indices(x, plane_winners, depth_winners, size))
