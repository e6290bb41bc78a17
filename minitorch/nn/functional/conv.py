"""Convolution and pooling on NCHW image batches: conv2d, unfold, max/avg/adaptive-avg pooling.

``conv2d`` is im2col (``functions/conv.py``) and one engine matmul, so on "cuda" it runs the
matmul kernel; an unbatched (C, H, W) input is treated as a batch of one. Output sizes follow

    H_out = floor((H + pad_top + pad_bottom - dilation (kH - 1) - 1) / stride) + 1
"""

from ... import checks
from ... import functions as ops
from ...errors import ShapeError
from ...functions.conv import out_size as _out_size
from ...functions.pool import max_pool_indices as _max_pool_indices
from ...tensor import Tensor
from ._checks import check_param, check_tensors


def _image_batch(op, input):
    """``input`` as a 4-D (N, C, H, W) tensor, and whether it was batched (3-D (C, H, W) allowed)."""
    check_tensors(op, input=input)
    if input.ndim not in (3, 4):
        raise ShapeError(
            f"{op}: expected a 4-D input (N, C, H, W), or 3-D (C, H, W) for one image, got shape "
            f"{tuple(input.shape)}. Add the missing dims with unsqueeze (e.g. x.unsqueeze(1) for "
            f"(N, H, W) grey images)."
        )
    if not input.is_floating_point():
        raise TypeError(f"{op}: input must be a floating-point tensor, got {input.dtype!r}. Use .float().")
    return (input, True) if input.ndim == 4 else (input.unsqueeze(0), False)


def _unbatch(out, batched):
    return out if batched else out.reshape(out.shape[1:])


def _conv_padding(op, padding, kernel, dilation, stride):
    """((top, bottom), (left, right)) from an int, a pair, "valid" or "same"."""
    if padding == "valid":
        return (0, 0), (0, 0)
    if padding == "same":
        if stride != (1, 1):
            raise ValueError(
                f"{op}: padding='same' is not supported for strided convolutions (stride={stride}); "
                f"give the padding as numbers instead."
            )
        totals = [d * (k - 1) for k, d in zip(kernel, dilation)]  # an odd total puts the extra on the end
        return tuple((t // 2, t - t // 2) for t in totals)
    if isinstance(padding, str):
        raise ValueError(f"{op}: padding must be 'valid', 'same', an int or a pair of ints, got {padding!r}.")
    p = checks.pair(op, "padding", padding, 0)
    return (p[0], p[0]), (p[1], p[1])


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D convolution (cross-correlation, as in every deep-learning library) of NCHW images:

        out[n, o, p, q] = b[o] + sum_{c, i, j} W[o, c, i, j] x_pad[n, c, p*sH + i*dH, q*sW + j*dW]

    - input (N, C_in, H, W) or (C_in, H, W); weight (C_out, C_in / groups, kH, kW); bias (C_out,)
    - ``stride``, ``dilation``: an int or a pair; ``padding``: an int, a pair, "valid" (none) or
      "same" (output as large as the input; stride 1 only)
    - ``groups``: split the channels into groups convolved separately (C_in and C_out divisible)
    - output (N, C_out, H_out, W_out) with H_out = (H + 2 pH - dH (kH - 1) - 1) // sH + 1

    Computed as im2col (``functions/conv.py``): every window becomes a column of a
    (C_in*kH*kW, N*H_out*W_out) matrix, and ONE matrix product with the weight reshaped to
    (C_out, C_in*kH*kW) does all the arithmetic for the whole batch; ``ToNCHW`` lays the
    (C_out, N*H_out*W_out) product out as images and adds the bias. The gradients come from
    the backward passes of these three ops (matmul's runs the CUDA kernel on "cuda").
    """
    op = "conv2d"
    x, batched = _image_batch(op, input)
    check_tensors(op, weight=weight)
    if weight.ndim != 4:
        raise ShapeError(
            f"{op}: weight must be 4-D (out_channels, in_channels / groups, kH, kW), got shape "
            f"{tuple(weight.shape)}."
        )
    c_out, c_group, kh, kw = weight.shape
    groups = checks.integer(op, "groups", groups, minimum=1)
    if c_out % groups:
        raise ValueError(
            f"{op}: out_channels ({c_out}, from the weight) must be divisible by groups={groups}."
        )
    if x.shape[1] != c_group * groups:
        hint = " A 3-D input is one (C, H, W) image: give a batch of grey images as (N, 1, H, W)." if (
            input.ndim == 3) else ""
        raise ShapeError(
            f"{op}: the input has {x.shape[1]} channels (shape {tuple(input.shape)}) but the weight "
            f"{tuple(weight.shape)} with groups={groups} expects {c_group * groups}: weight.shape[1] * "
            f"groups must equal the input's channel dim (dim {input.ndim - 3}). Check in_channels.{hint}"
        )
    if weight.dtype != x.dtype:
        raise TypeError(
            f"{op}: input is {x.dtype!r} but weight is {weight.dtype!r}; convert one of them with .to(...)."
        )
    check_param(op, "bias", bias, (c_out,), x.dtype)
    stride, dilation = checks.pair(op, "stride", stride, 1), checks.pair(op, "dilation", dilation, 1)
    pads = _conv_padding(op, padding, (kh, kw), dilation, stride)
    n, _, h, w = x.shape
    oh = _out_size(op, h, kh, stride[0], *pads[0], dilation[0])
    ow = _out_size(op, w, kw, stride[1], *pads[1], dilation[1])
    cols = ops.Im2Col.apply(x, (kh, kw), dilation, pads, stride)  # (C_in*kH*kW, N*L)
    if groups == 1:
        out = weight.reshape(c_out, -1) @ cols  # (C_out, K) @ (K, N*L) -> (C_out, N*L)
    else:  # (G, C_out/G, K/G) @ (G, K/G, N*L) -> (G, C_out/G, N*L)
        out = weight.reshape(groups, c_out // groups, -1) @ cols.reshape(groups, -1, n * oh * ow)
        out = out.reshape(c_out, -1)
    return _unbatch(ops.ToNCHW.apply(out, bias, (n, oh, ow)), batched)  # (N, C_out, H_out, W_out) + bias


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """Every sliding kH x kW window of (N, C, H, W) as a column: (N, C*kH*kW, L), PyTorch's layout.

    ``out[n, (c, i, j), (p, q)] = x_pad[n, c, p*sH + i*dH, q*sW + j*dW]``, with the column
    index running over c, then i, then j, and L = H_out * W_out windows per image (see ``conv2d``,
    which uses the same columns with the batch folded in: (C*kH*kW, N*L)).
    """
    op = "unfold"
    x, batched = _image_batch(op, input)
    kernel = checks.pair(op, "kernel_size", kernel_size, 1)
    dilation, stride = checks.pair(op, "dilation", dilation, 1), checks.pair(op, "stride", stride, 1)
    p = checks.pair(op, "padding", padding, 0)
    for axis in range(2):  # a clear error if a window does not fit
        _out_size(op, x.shape[2 + axis], kernel[axis], stride[axis], p[axis], p[axis], dilation[axis])
    cols = ops.Im2Col.apply(x, kernel, dilation, ((p[0], p[0]), (p[1], p[1])), stride)
    n = x.shape[0]
    return _unbatch(cols.reshape(cols.shape[0], n, -1).permute(1, 0, 2).contiguous(), batched)


def _pool_args(op, kernel_size, stride, padding, dilation):
    """Checked (kernel, stride, padding, dilation) pairs; stride defaults to the kernel size.

    Padding may be at most half the (dilated) kernel, so every window holds at least one pixel.
    """
    kernel = checks.pair(op, "kernel_size", kernel_size, 1)
    stride = kernel if stride is None or (isinstance(stride, (list, tuple)) and not stride) else checks.pair(
        op, "stride", stride, 1)
    padding, dilation = checks.pair(op, "padding", padding, 0), checks.pair(op, "dilation", dilation, 1)
    for p, k, d in zip(padding, kernel, dilation):
        if 2 * p > d * (k - 1) + 1:
            raise ValueError(
                f"{op}: padding {padding} must be at most half of the (dilated) kernel size "
                f"{kernel} (dilation {dilation}); a window could otherwise hold padding only."
            )
    return kernel, stride, padding, dilation


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """The maximum over each kH x kW window: y[n, c, p, q] = max_{i, j} x_pad[n, c, p*sH + i*dH, q*sW + j*dW].

    Input (N, C, H, W) or (C, H, W); ``stride`` defaults to ``kernel_size`` (non-overlapping
    windows); padding holds -inf. The gradient goes to each window's maximum (the first one on
    a tie). ``return_indices=True`` also returns, per output, the flat index h*W + w of the
    maximum in its input plane (an int64 tensor).
    """
    op = "max_pool2d"
    x, batched = _image_batch(op, input)
    args = (*_pool_args(op, kernel_size, stride, padding, dilation), bool(ceil_mode))
    out = _unbatch(ops.MaxPool2d.apply(x, *args), batched)
    if not return_indices:
        return out
    indices = Tensor._make(_max_pool_indices(x._array, *args), False, None, x.device)
    return out, _unbatch(indices, batched)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    """The mean over each kH x kW window: y[n, c, p, q] = sum_{i, j} x_pad[n, c, p*sH + i, q*sW + j] / D.

    Input (N, C, H, W) or (C, H, W); ``stride`` defaults to ``kernel_size``; padding holds 0.
    D is kH*kW, counting the zero padding (``count_include_pad=True``, the default), or only
    the input's pixels in the window (False), or ``divisor_override``. Windows that ``ceil_mode``
    adds at the end count only the pixels up to the padding.
    """
    op = "avg_pool2d"
    x, batched = _image_batch(op, input)
    kernel, stride, padding, _ = _pool_args(op, kernel_size, stride, padding, 1)
    if divisor_override is not None and (isinstance(divisor_override, bool) or divisor_override == 0):
        raise ValueError(f"{op}: divisor_override must be a non-zero number, got {divisor_override!r}.")
    out = ops.AvgPool2d.apply(x, kernel, stride, padding, bool(ceil_mode), bool(count_include_pad),
                              divisor_override)
    return _unbatch(out, batched)


def adaptive_avg_pool2d(input, output_size):
    """Average pooling to a fixed output size (H_out, W_out), whatever the input's size.

    Output row k averages input rows floor(k H / H_out) to ceil((k + 1) H / H_out) - 1 (and the
    same for columns), so the windows tile the input, overlapping when H_out does not divide H.
    ``output_size``: an int, or a pair in which None keeps that dimension's input size;
    ``adaptive_avg_pool2d(x, 1)`` is global average pooling.
    """
    op = "adaptive_avg_pool2d"
    x, batched = _image_batch(op, input)
    sizes = (output_size, output_size) if not isinstance(output_size, (tuple, list)) else tuple(output_size)
    if len(sizes) == 2:
        sizes = tuple(x.shape[2 + axis] if s is None else s for axis, s in enumerate(sizes))
    out_hw = checks.pair(op, "output_size", sizes, 1)
    return _unbatch(ops.AdaptiveAvgPool2d.apply(x, out_hw), batched)
