"""Convolution and pooling of NCL signals and NCHW images: conv1d/conv2d and their transposes,
unfold/fold, max/average/adaptive pooling.

Every op here works on image batches (N, C, H, W). A 1-D signal (N, C, L) is an image of
height 1, (N, C, 1, L), and its kernel size, stride and dilation get a height of 1 and its
padding a height of 0; so ``conv1d`` IS ``conv2d``, ``max_pool1d`` IS ``max_pool2d``, and so
on: one implementation, one set of ``Op`` classes. An unbatched input ((C, H, W), or (C, L))
is a batch of one. ``conv2d`` is im2col (``functions/conv.py``) and one engine matmul, so on
"cuda" it runs the matmul kernel; ``conv_transpose2d``, the adjoint of ``conv2d`` (its
gradient with respect to the input), is a matmul and col2im. Output sizes follow

    convolution, pooling:  H_out = floor((H + pad_top + pad_bottom - dilation (kH - 1) - 1) / stride) + 1
    transposed:            H_out = (H - 1) stride - 2 padding + dilation (kH - 1) + output_padding + 1
"""
import numpy as np

from ... import checks
from ... import functions as ops
from ...autograd.composite import shown_as
from ...autograd.names import rename
from ...errors import DTypeError, ShapeError
from ...functions.conv import out_size as _out_size
from ...functions.pool import adaptive_max as _adaptive_max
from ...functions.pool import max_pool_indices as _max_pool_indices
from ...tensor import Tensor
from ._checks import check_param, check_tensors

_LAYOUTS = {1: ("(N, C, L)", "(C, L)", "signal", "(N, L) one-channel signals", "one-channel signals as (N, 1, L)"),
            2: ("(N, C, H, W)", "(C, H, W)", "image", "(N, H, W) grey images", "grey images as (N, 1, H, W)"),
            3: ("(N, C, D, H, W)", "(C, D, H, W)", "volume", "(N, D, H, W) one-channel volumes",
                "one-channel volumes as (N, 1, D, H, W)")}


def _batch(op, input, dims, integers=False):
    """``input`` as a 4-D (N, C, H, W) batch (5-D (N, C, D, H, W) for volumes, ``dims`` 3), and the
    function that lays a result out as ``input`` was: without the batch dim for an unbatched input,
    without H for a 1-D signal (``dims`` 1).
    ``integers``: integer dtypes are accepted too (max pooling), else only floating ones."""
    check_tensors(op, input=input)
    batched_layout, single_layout, thing, hint, _ = _LAYOUTS[dims]
    if input.ndim not in (dims + 1, dims + 2):
        raise ShapeError(
            f"{op}: expected a {dims + 2}-D input {batched_layout}, or {dims + 1}-D {single_layout} for "
            f"one {thing}, got shape {tuple(input.shape)}. Add the missing dims with unsqueeze (e.g. "
            f"x.unsqueeze(1) for {hint})."
        )
    if not (input.is_floating_point() or (integers and input.dtype.name != "bool")):
        kinds = "a floating-point or integer" if integers else "a floating-point"
        raise DTypeError(f"{op}: input must be {kinds} tensor, got {input.dtype!r}. Use .float().")
    batched = input.ndim == dims + 2
    x = input if batched else input.unsqueeze(0)
    x = x if dims > 1 else x.unsqueeze(2)

    def restore(out):
        if dims == 1:  # a signal's H dropped: PyTorch's squeeze
            shape = (*out.shape[:2], *out.shape[3:])
            return rename(out.reshape(shape if batched else shape[1:]), "SqueezeBackward1")
        return out.reshape(out.shape if batched else out.shape[1:])

    return x, restore


def _sizes(op, name, value, dims, minimum, height, error=ValueError):
    """An int, or a sequence of ``dims`` ints (each at least ``minimum``), as the (H, W) pair the
    image ops take (a (D, H, W) triple for volumes); a 1-D op's value is W and ``height`` (1 for
    sizes, 0 for padding) is H. ``error``: PyTorch's class for a bad one (RuntimeError for a pool's stride)."""
    if dims == 2:
        return checks.pair(op, name, value, minimum, error=error)
    if dims == 3:
        values = tuple(value) if isinstance(value, (tuple, list)) else (value,) * 3
        if len(values) != 3 or any(isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer))
                                   or v < minimum for v in values):
            raise error(f"{op}: {name} must be an int or a 3-tuple of ints, each at least {minimum}, "
                             f"got {value!r}.")
        return tuple(int(v) for v in values)
    single = value[0] if isinstance(value, (tuple, list)) and len(value) == 1 else value
    if isinstance(single, (bool, np.bool_)) or not isinstance(single, (int, np.integer)) or single < minimum:
        raise error(f"{op}: {name} must be an int or a 1-tuple of ints, at least {minimum}, got {value!r}.")
    return height, int(single)


def _conv_padding(op, padding, kernel, dilation, stride, dims):
    """((top, bottom), (left, right)) (one (before, after) pair per axis of ``kernel``) from an int,
    a tuple, "valid" or "same"."""
    if padding == "valid":
        return ((0, 0),) * len(kernel)
    if padding == "same":
        if any(s != 1 for s in stride):
            raise ValueError(
                f"{op}: padding='same' is not supported for strided convolutions (stride={stride[-dims:]}); "
                f"give the padding as numbers instead."
            )
        totals = [d * (k - 1) for k, d in zip(kernel, dilation)]  # an odd total puts the extra on the end
        return tuple((t // 2, t - t // 2) for t in totals)
    if isinstance(padding, str):
        raise ValueError(f"{op}: padding must be 'valid', 'same', an int or a tuple of ints, got {padding!r}.")
    return tuple((p, p) for p in _sizes(op, "padding", padding, dims, 0, 0))


def _check_weight(op, dims, input, x, weight, bias, groups, transposed):
    """Check weight, groups and bias against the input; return (groups, output channels).

    A convolution's weight is (C_out, C_in / groups, *kernel), a transposed one's (C_in, C_out / groups, *kernel).
    """
    check_tensors(op, weight=weight)
    checks.same_device(op, input=input, weight=weight, bias=bias)
    first, second = ("in", "out") if transposed else ("out", "in")
    if weight.ndim != dims + 2:
        kernel = ("kL", "kH, kW", "kD, kH, kW")[dims - 1]
        raise ShapeError(
            f"{op}: weight must be {dims + 2}-D ({first}_channels, {second}_channels / groups, {kernel}), got "
            f"shape {tuple(weight.shape)}."
        )
    groups = checks.integer(op, "groups", groups, minimum=1)
    if weight.shape[0] % groups:
        raise ValueError(
            f"{op}: {first}_channels ({weight.shape[0]}, the weight's dim 0) must be divisible by groups={groups}."
        )
    expected, rule = (weight.shape[0], "weight.shape[0]") if transposed else (
        weight.shape[1] * groups, "weight.shape[1] * groups")
    if x.shape[1] != expected:
        _, single_layout, thing, _, batch = _LAYOUTS[dims]
        hint = f" A {dims + 1}-D input is one {single_layout} {thing}: give a batch of {batch}." if (
            input.ndim == dims + 1) else ""
        raise ShapeError(
            f"{op}: the input has {x.shape[1]} channels (shape {tuple(input.shape)}) but the weight "
            f"{tuple(weight.shape)} with groups={groups} expects {expected}: {rule} must equal the input's "
            f"channel dim (dim {input.ndim - dims - 1}). Check in_channels.{hint}"
        )
    if weight.dtype != x.dtype:
        raise TypeError(
            f"{op}: input is {x.dtype!r} but weight is {weight.dtype!r}; convert one of them with .to(...)."
        )
    c_out = weight.shape[1] * groups if transposed else weight.shape[0]
    check_param(op, "bias", bias, (c_out,), x.dtype)
    return groups, c_out


def _conv(op, dims, input, weight, bias, stride, padding, dilation, groups):
    """conv1d and conv2d: im2col, one matmul (one per group), and the product laid out as images."""
    x, restore = _batch(op, input, dims)
    groups, c_out = _check_weight(op, dims, input, x, weight, bias, groups, transposed=False)
    kh, kw = weight.shape[2:] if dims == 2 else (1, weight.shape[2])
    stride, dilation = _sizes(op, "stride", stride, dims, 1, 1), _sizes(op, "dilation", dilation, dims, 1, 1)
    pads = _conv_padding(op, padding, (kh, kw), dilation, stride, dims)
    ### BEGIN SOLUTION 4.7: the output size, im2col, the weight's matmul (one per group) and ToNCHW, laid out as the input was
    n, _, h, w = x.shape
    oh = _out_size(op, h, kh, stride[0], *pads[0], dilation[0], shape=input.shape)
    ow = _out_size(op, w, kw, stride[1], *pads[1], dilation[1], shape=input.shape)
    cols = ops.Im2Col.apply(x, (kh, kw), dilation, pads, stride)  # (C_in*kH*kW, N*L)
    if groups == 1:
        out = weight.reshape(c_out, -1) @ cols  # (C_out, K) @ (K, N*L) -> (C_out, N*L)
    else:  # (G, C_out/G, K/G) @ (G, K/G, N*L) -> (G, C_out/G, N*L)
        out = weight.reshape(groups, c_out // groups, -1) @ cols.reshape(groups, -1, n * oh * ow)
        out = out.reshape(c_out, -1)
    return restore(ops.ToNCHW.apply(out, bias, (n, oh, ow)))  # (N, C_out, H_out, W_out) + bias
    ### END SOLUTION


@shown_as("ConvolutionBackward0", inputs=3)
def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-D convolution (cross-correlation) of NCL signals:

        out[n, o, p] = b[o] + sum_{c, j} W[o, c, j] x_pad[n, c, p*s + j*d]

    - input (N, C_in, L) or (C_in, L); weight (C_out, C_in / groups, kL); bias (C_out,)
    - ``stride``, ``dilation``: an int (or a 1-tuple); ``padding``: an int, "valid" or "same"
    - output (N, C_out, L_out) with L_out = (L + 2 padding - dilation (kL - 1) - 1) // stride + 1

    The signal is an image of height 1 and this is ``conv2d`` on it (see ``conv2d``).
    """
    return _conv("conv1d", 1, input, weight, bias, stride, padding, dilation, groups)


@shown_as("ConvolutionBackward0", inputs=3)
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
    return _conv("conv2d", 2, input, weight, bias, stride, padding, dilation, groups)


def transposed_size(op, size, kernel, stride, padding, output_padding, dilation):
    """The output length of a transposed convolution along one axis, checked to be at least 1:
    (size - 1) stride - 2 padding + dilation (kernel - 1) + output_padding + 1."""
    if output_padding >= stride and output_padding >= dilation:
        raise ValueError(
            f"{op}: output_padding ({output_padding}) must be smaller than either stride ({stride}) or "
            f"dilation ({dilation}): it only chooses among the output sizes that one input size can come from."
        )
    out = (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1
    if out < 1:
        raise ShapeError(
            f"{op}: the output would have size {out} (input size {size}, kernel size {kernel}, stride {stride}, "
            f"padding {padding}, output_padding {output_padding}, dilation {dilation}). Use less padding."
        )
    return out


def _conv_transpose(op, dims, input, weight, bias, stride, padding, output_padding, groups, dilation):
    """conv_transpose1d and conv_transpose2d: one matmul (one per group), then col2im (``Col2Im``)."""
    x, restore = _batch(op, input, dims)
    groups, c_out = _check_weight(op, dims, input, x, weight, bias, groups, transposed=True)
    kernel = tuple(weight.shape[2:]) if dims == 2 else (1, weight.shape[2])
    stride, dilation = _sizes(op, "stride", stride, dims, 1, 1), _sizes(op, "dilation", dilation, dims, 1, 1)
    padding = _sizes(op, "padding", padding, dims, 0, 0)
    output_padding = _sizes(op, "output_padding", output_padding, dims, 0, 0)
    n, c_in, h, w = x.shape
    out_hw = tuple(transposed_size(op, x.shape[2 + a], kernel[a], stride[a], padding[a], output_padding[a],
                                   dilation[a]) for a in range(2))
    # The columns conv2d's backward would hand to col2im: W^T @ x, per group.
    m = x.permute(1, 0, 2, 3).reshape(groups, c_in // groups, n * h * w)  # (G, C_in/G, N*H*W)
    w_t = weight.reshape(groups, c_in // groups, -1).transpose(1, 2)  # (G, C_out/G*kH*kW, C_in/G)
    cols = (w_t @ m).reshape(-1, n * h * w)  # (C_out*kH*kW, N*H*W)
    pads = tuple((p, p) for p in padding)
    out = ops.Col2Im.apply(cols, (n, c_out, *out_hw), kernel, dilation, pads, stride, (h, w))
    if bias is not None:
        out = out + bias.reshape(1, -1, 1, 1)
    return restore(out)


@shown_as("ConvolutionBackward0", inputs=3)
def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """1-D transposed convolution ("deconvolution"): the gradient of ``conv1d`` with respect to its input.

    - input (N, C_in, L) or (C_in, L); weight (C_in, C_out / groups, kL); bias (C_out,)
    - output (N, C_out, L_out), L_out = (L - 1) stride - 2 padding + dilation (kL - 1) + output_padding + 1

    The signal is an image of height 1 and this is ``conv_transpose2d`` on it.
    """
    return _conv_transpose("conv_transpose1d", 1, input, weight, bias, stride, padding, output_padding, groups,
                           dilation)


@shown_as("ConvolutionBackward0", inputs=3)
def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """2-D transposed convolution ("deconvolution"), the adjoint of ``conv2d``:

        out[n, o, p*sH + i*dH - pH, q*sW + j*dW - pW] += sum_c x[n, c, p, q] W[c, o, i, j]   (+ b[o])

    each input pixel spreads a copy of the kernel, scaled by it, over the output. It is the
    gradient of ``conv2d(y, W, stride, padding, dilation, groups)`` with respect to y, which is
    how it upsamples in decoders and GANs.

    - input (N, C_in, H, W) or (C_in, H, W); weight (C_in, C_out / groups, kH, kW); bias (C_out,)
    - ``stride``, ``padding``, ``output_padding``, ``dilation``: an int or a pair; ``padding``
      is cut off the output's borders; ``output_padding`` (smaller than stride or dilation) adds
      rows/columns at the bottom/right, to pick one of the input sizes a strided conv2d maps
      onto the same output size
    - output (N, C_out, H_out, W_out), H_out = (H - 1) sH - 2 pH + dH (kH - 1) + output_padding + 1

    Computed as conv2d's input gradient: one matrix product W^T @ x gives the columns, and
    ``Col2Im`` adds each column back into the pixels its window covers; its backward is im2col.
    """
    return _conv_transpose("conv_transpose2d", 2, input, weight, bias, stride, padding, output_padding, groups,
                           dilation)


@shown_as("Im2ColBackward0")
def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """Every sliding kH x kW window of (N, C, H, W) as a column: (N, C*kH*kW, L), PyTorch's layout.

    ``out[n, (c, i, j), (p, q)] = x_pad[n, c, p*sH + i*dH, q*sW + j*dW]``, with the column
    index running over c, then i, then j, and L = H_out * W_out windows per image (see ``conv2d``,
    which uses the same columns with the batch folded in: (C*kH*kW, N*L)).
    """
    op = "unfold"
    x, restore = _batch(op, input, 2)
    kernel = checks.pair(op, "kernel_size", kernel_size, 1)
    dilation, stride = checks.pair(op, "dilation", dilation, 1), checks.pair(op, "stride", stride, 1)
    p = checks.pair(op, "padding", padding, 0)
    for axis in range(2):  # a clear error if a window does not fit
        _out_size(op, x.shape[2 + axis], kernel[axis], stride[axis], p[axis], p[axis], dilation[axis])
    cols = ops.Im2Col.apply(x, kernel, dilation, ((p[0], p[0]), (p[1], p[1])), stride)
    n = x.shape[0]
    return restore(cols.reshape(cols.shape[0], n, -1).permute(1, 0, 2).contiguous())  # (N, C*kH*kW, L)


@shown_as("Col2ImBackward0")
def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """The adjoint of ``unfold``: columns (N, C*kH*kW, L) added back into (N, C, H, W) images.

    ``out[n, c, p*sH + i*dH - pH, q*sW + j*dW - pW] += input[n, (c, i, j), (p, q)]``: each column
    is one window, and pixels that several windows cover get the sum of their entries (so
    ``fold(unfold(x))`` is x times the number of windows covering each pixel). ``output_size``
    is (H, W); L must be the number of windows unfold would cut from such an image. Input
    (N, C*kH*kW, L) or unbatched (C*kH*kW, L). This is ``Col2Im``, whose backward is im2col.
    """
    op = "fold"
    check_tensors(op, input=input)
    if input.ndim not in (2, 3):
        raise ShapeError(
            f"{op}: expected a 3-D input (N, C*kH*kW, L), or 2-D (C*kH*kW, L) for one image, got shape "
            f"{tuple(input.shape)}."
        )
    if not input.is_floating_point():
        raise TypeError(f"{op}: input must be a floating-point tensor, got {input.dtype!r}. Use .float().")
    out_hw = checks.pair(op, "output_size", output_size, 1)
    kernel = checks.pair(op, "kernel_size", kernel_size, 1)
    dilation, stride = checks.pair(op, "dilation", dilation, 1), checks.pair(op, "stride", stride, 1)
    padding = checks.pair(op, "padding", padding, 0)
    x = input if input.ndim == 3 else input.unsqueeze(0)
    n, rows, length = x.shape
    per_channel = kernel[0] * kernel[1]
    if rows % per_channel:
        raise ShapeError(
            f"{op}: the input's dim {input.ndim - 2} has size {rows}, which must be C * kH * kW: a multiple "
            f"of {per_channel} for kernel_size {kernel}."
        )
    blocks = tuple(_out_size(op, out_hw[a], kernel[a], stride[a], padding[a], padding[a], dilation[a])
                   for a in range(2))
    if blocks[0] * blocks[1] != length:
        raise ShapeError(
            f"{op}: output_size {out_hw} with kernel_size {kernel}, dilation {dilation}, padding {padding} "
            f"and stride {stride} has {blocks[0]} * {blocks[1]} = {blocks[0] * blocks[1]} windows, but the "
            f"input's last dim holds {length} columns (shape {tuple(input.shape)})."
        )
    cols = x.permute(1, 0, 2).reshape(rows, n * length)  # Im2Col's layout: (C*kH*kW, N*L)
    pads = tuple((p, p) for p in padding)
    out = ops.Col2Im.apply(cols, (n, rows // per_channel, *out_hw), kernel, dilation, pads, stride, blocks)
    return out if input.ndim == 3 else out.reshape(out.shape[1:])


def _pool_args(op, dims, kernel_size, stride, padding, dilation):
    """Checked (kernel, stride, padding, dilation) pairs; stride defaults to the kernel size.

    Padding may be at most half the (dilated) kernel, so every window holds at least one pixel.
    """
    kernel = _sizes(op, "kernel_size", kernel_size, dims, 1, 1)
    default = stride is None or (isinstance(stride, (list, tuple)) and not stride)
    stride = kernel if default else _sizes(op, "stride", stride, dims, 1, 1, error=RuntimeError)
    padding, dilation = _sizes(op, "padding", padding, dims, 0, 0), _sizes(op, "dilation", dilation, dims, 1, 1)
    for p, k, d in zip(padding, kernel, dilation):
        if 2 * p > d * (k - 1) + 1:
            raise ShapeError(  # PyTorch's RuntimeError, and a ValueError as before
                f"{op}: padding {p} must be at most half of the (dilated) kernel size {d * (k - 1) + 1} "
                f"(kernel_size {k}, dilation {d}); a window could otherwise hold padding only."
            )
    return kernel, stride, padding, dilation


def _max_pool(op, dims, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices):
    x, restore = _batch(op, input, dims, integers=True)
    args = (*_pool_args(op, dims, kernel_size, stride, padding, dilation), bool(ceil_mode))
    out = restore(ops.MaxPool2d.apply(x, *args))
    if not return_indices:
        return out
    indices = Tensor._make(_max_pool_indices(x._array, *args), False, None, x.device)
    return out, restore(indices)


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """The maximum over each window of a signal: y[n, c, p] = max_j x_pad[n, c, p*s + j*d].

    Input (N, C, L) or (C, L); ``max_pool2d`` on an image of height 1 (see it for the options);
    ``return_indices=True`` also returns the position in L of each maximum.
    """
    return _max_pool("max_pool1d", 1, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """The maximum over each kH x kW window: y[n, c, p, q] = max_{i, j} x_pad[n, c, p*sH + i*dH, q*sW + j*dW].

    Input (N, C, H, W) or (C, H, W), floating-point or integer (integers get no gradient);
    ``stride`` defaults to ``kernel_size`` (non-overlapping windows); padding holds -inf (the
    lowest integer). The gradient goes to each window's maximum (the first one on a tie).
    ``return_indices=True`` also returns, per output, the flat index h*W + w of the maximum in
    its input plane (an int64 tensor).
    """
    return _max_pool("max_pool2d", 2, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def _avg_pool(op, dims, input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override):
    x, restore = _batch(op, input, dims)
    kernel, stride, padding, _ = _pool_args(op, dims, kernel_size, stride, padding, 1)
    if divisor_override is not None and (isinstance(divisor_override, bool) or divisor_override == 0):
        raise ValueError(f"{op}: divisor_override must be a non-zero number, got {divisor_override!r}.")
    out = ops.AvgPool2d.apply(x, kernel, stride, padding, bool(ceil_mode), bool(count_include_pad),
                              divisor_override)
    return restore(out)


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """The mean over each window of a signal: y[n, c, p] = sum_j x_pad[n, c, p*s + j] / D.

    Input (N, C, L) or (C, L); ``avg_pool2d`` on an image of height 1 (see it for the options).
    """
    return _avg_pool("avg_pool1d", 1, input, kernel_size, stride, padding, ceil_mode, count_include_pad, None)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    """The mean over each kH x kW window: y[n, c, p, q] = sum_{i, j} x_pad[n, c, p*sH + i, q*sW + j] / D.

    Input (N, C, H, W) or (C, H, W); ``stride`` defaults to ``kernel_size``; padding holds 0.
    D is kH*kW, counting the zero padding (``count_include_pad=True``, the default), or only
    the input's pixels in the window (False), or ``divisor_override``. Windows that ``ceil_mode``
    adds at the end count only the pixels up to the padding.
    """
    return _avg_pool("avg_pool2d", 2, input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override)


def _output_size(op, dims, x, output_size):
    """An adaptive pool's output size as an (H, W) pair (a (D, H, W) triple for volumes): an int,
    or a tuple of ``dims`` ints in which None keeps that dimension's input size."""
    sizes = list(output_size) if isinstance(output_size, (tuple, list)) else [output_size] * dims
    if len(sizes) == dims:
        sizes = [x.shape[x.ndim - dims + axis] if s is None else s for axis, s in enumerate(sizes)]
    return _sizes(op, "output_size", tuple(sizes), dims, 1, 1)


def adaptive_avg_pool1d(input, output_size):
    """Average pooling of a signal (N, C, L) or (C, L) to ``output_size`` positions, whatever L
    (see ``adaptive_avg_pool2d``, which this is on an image of height 1)."""
    x, restore = _batch("adaptive_avg_pool1d", input, 1)
    return restore(ops.AdaptiveAvgPool2d.apply(x, _output_size("adaptive_avg_pool1d", 1, x, output_size)))


def adaptive_avg_pool2d(input, output_size):
    """Average pooling to a fixed output size (H_out, W_out), whatever the input's size.

    Output row k averages input rows floor(k H / H_out) to ceil((k + 1) H / H_out) - 1 (and the
    same for columns), so the windows tile the input, overlapping when H_out does not divide H.
    ``output_size``: an int, or a pair in which None keeps that dimension's input size;
    ``adaptive_avg_pool2d(x, 1)`` is global average pooling.
    """
    x, restore = _batch("adaptive_avg_pool2d", input, 2)
    size = _output_size("adaptive_avg_pool2d", 2, x, output_size)
    out = restore(ops.AdaptiveAvgPool2d.apply(x, size))
    return rename(out, "MeanBackward1") if size == (1, 1) and input.ndim == 4 else out  # PyTorch's global mean


def _adaptive_max_pool(op, dims, input, output_size, return_indices):
    x, restore = _batch(op, input, dims)
    out_hw = _output_size(op, dims, x, output_size)
    out = restore(ops.AdaptiveMaxPool2d.apply(x, out_hw))
    if not return_indices:
        return out
    indices = Tensor._make(_adaptive_max(x._array, out_hw)[1], False, None, x.device)
    return out, restore(indices)


def adaptive_max_pool1d(input, output_size, return_indices=False):
    """Max pooling of a signal (N, C, L) or (C, L) to ``output_size`` positions, whatever L
    (see ``adaptive_max_pool2d``, which this is on an image of height 1)."""
    return _adaptive_max_pool("adaptive_max_pool1d", 1, input, output_size, return_indices)


def adaptive_max_pool2d(input, output_size, return_indices=False):
    """Max pooling to a fixed output size (H_out, W_out), whatever the input's size: the maximum
    of each of ``adaptive_avg_pool2d``'s windows. The gradient goes to each window's maximum
    (the first on a tie). ``return_indices=True`` also returns the flat index h*W + w of each
    maximum in its input plane (an int64 tensor)."""
    return _adaptive_max_pool("adaptive_max_pool2d", 2, input, output_size, return_indices)
