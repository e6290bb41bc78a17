"""Convolution as one matrix product: ``Im2Col`` (windows -> columns), ``ToNCHW`` (back to images), ``Col2Im``.

A 2-D convolution multiplies each kH x kW window of the (padded) input by the
kernel. Im2col copies the windows into the columns of a matrix, so that the
whole convolution becomes ONE matrix product::

    cols[(c, i, j), (n, p, q)] = x_pad[n, c, p*sH + i*dH, q*sW + j*dW]
    out[o, (n, p, q)]          = sum_{(c, i, j)} W[o, (c, i, j)] cols[(c, i, j), (n, p, q)]

for image n, output pixel (p, q), kernel offset (i, j), stride (sH, sW) and
dilation (dH, dW). Shapes: x (N, C, H, W) -> cols (C*kH*kW, N*H_out*W_out), and
W reshaped to (C_out, C*kH*kW) times cols gives (C_out, N*H_out*W_out): one large
matrix product for the whole batch (and in backward one for dL/dW, one for dL/dcols).
``F.conv2d`` is Im2Col, the engine's matmul (so a faster matmul, e.g. the CUDA kernel,
speeds up convolutions too) and ``ToNCHW``, which lays the product out as NCHW images.

Backward (col2im): each element of x_pad was copied into every window that
covers it, so its gradient is the sum of the gradients of all those copies.
For one kernel offset (i, j) the copies form a strided slice of x_pad, so the
sum is kH*kW vectorised slice additions, one per offset, then the padding is cut off.

``Col2Im`` runs the same two passes the other way round (col2im forward, im2col backward):
it is ``F.fold``, and with a matmul before it ``F.conv_transpose2d``.

The geometry helpers here are shared by ``F.conv2d``, ``F.unfold`` and the pooling ops:
    H_out = floor((H + pad_top + pad_bottom - dH*(kH - 1) - 1) / sH) + 1
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..autograd.function import Op
from ..errors import ShapeError


def out_size(op, size, kernel, stride, pad_before, pad_after, dilation, ceil_mode=False, shape=None):
    """Output length along one axis; a ShapeError if the (dilated) kernel is larger than the padded input.

    With ``ceil_mode`` the last, partial window counts as long as it starts inside the input or
    the padding before it (PyTorch's rule). ``shape``: the whole input's, for the message.
    """
    span = dilation * (kernel - 1) + 1
    room = size + pad_before + pad_after - span
    if room < 0:
        of = "" if shape is None else f" of the input of shape {tuple(shape)}"
        raise ShapeError(
            f"{op}: the kernel spans {span} pixels (kernel size {kernel}, dilation {dilation}) but the "
            f"padded input is only {size + pad_before + pad_after} wide (size {size}{of}, padding "
            f"{pad_before}+{pad_after}). Use a smaller kernel, more padding or a larger input."
        )
    if not ceil_mode:
        return room // stride + 1
    out = -(-room // stride) + 1
    if (out - 1) * stride >= size + pad_before:
        out -= 1
    return out


def windows(x_pad, kernel, stride, dilation, out_hw):
    """A read-only view of shape (N, C, H_out, W_out, kH, kW): every window of a padded batch."""
    ### BEGIN SOLUTION 4.1: return the (N, C, H_out, W_out, kH, kW) view of every window (no copy)
    (kh, kw), (sh, sw), (dh, dw), (oh, ow) = kernel, stride, dilation, out_hw
    view = sliding_window_view(x_pad, (dh * (kh - 1) + 1, dw * (kw - 1) + 1), axis=(2, 3))
    return view[:, :, : (oh - 1) * sh + 1 : sh, : (ow - 1) * sw + 1 : sw, ::dh, ::dw]
    ### END SOLUTION


def offset_slices(i, j, stride, dilation, out_hw):
    """Index of the strided slice of x_pad that kernel offset (i, j) reads, one element per output pixel."""
    (sh, sw), (dh, dw), (oh, ow) = stride, dilation, out_hw
    return (
        Ellipsis,
        slice(i * dh, i * dh + (oh - 1) * sh + 1, sh),
        slice(j * dw, j * dw + (ow - 1) * sw + 1, sw),
    )


def col2im(grad, padded_shape, kernel, stride, dilation, out_hw, grad_at):
    """The backward of reading windows: a zero array of ``padded_shape`` (of ``grad``'s dtype and
    array type) to which ``grad_at(i, j)`` (shape (..., H_out, W_out), the gradient of what kernel
    offset (i, j) read) is added at the pixels that offset read. One vectorised slice addition per
    kernel offset, none per pixel."""
    ### BEGIN SOLUTION 4.2: return the padded-shape array with each grad_at(i, j) added where offset (i, j) read
    out = np.zeros_like(grad, shape=padded_shape)
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            out[offset_slices(i, j, stride, dilation, out_hw)] += grad_at(i, j)
    return out
    ### END SOLUTION


def crop(x_pad, padding):
    """Cut ((top, bottom), (left, right)) padding off the last two axes."""
    (top, bottom), (left, right) = padding
    return x_pad[..., top : x_pad.shape[-2] - bottom, left : x_pad.shape[-1] - right]


class Im2Col(Op):
    """cols = im2col(x): (N, C, H, W) -> (C*kH*kW, N*H_out*W_out); see the module docstring.

    ``padding`` is ((top, bottom), (left, right)) of zeros; ``kernel``, ``dilation`` and
    ``stride`` are pairs; the caller has checked them (``F.unfold``, ``F.conv2d``).
    """

    @staticmethod
    def forward(ctx, x, kernel, dilation, padding, stride):
        ### BEGIN SOLUTION 4.1: pad x, save ctx.geometry for backward, return every window as a column: (C*kH*kW, N*oh*ow)
        n, c, h, w = x.shape
        oh = out_size("im2col", h, kernel[0], stride[0], *padding[0], dilation[0])
        ow = out_size("im2col", w, kernel[1], stride[1], *padding[1], dilation[1])
        x_pad = np.pad(x, ((0, 0), (0, 0), *padding)) if any(map(any, padding)) else x
        ctx.geometry = (x_pad.shape, kernel, (oh, ow), padding, stride, dilation)
        view = windows(x_pad, kernel, stride, dilation, (oh, ow))  # (N, C, oh, ow, kH, kW)
        cols = view.transpose(1, 4, 5, 0, 2, 3).copy()  # the one copy: (C, kH, kW, N, oh, ow)
        return cols.reshape(c * kernel[0] * kernel[1], n * oh * ow)
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 4.2: return dL/dx (NCHW) from ctx.geometry: each column entry added back to its pixel, the padding cropped, then 4 Nones
        (n, c, hp, wp), kernel, out_hw, padding, stride, dilation = ctx.geometry
        grad_cols = grad.reshape(c, *kernel, n, *out_hw)  # (C, kH, kW, N, oh, ow)
        # Summed in (C, N, H, W) order, the order grad_cols has its pixels in, then copied to NCHW
        # so that the ops before see their own layout (mixed layouts make numpy several times slower).
        grad_pad = col2im(grad, (c, n, hp, wp), kernel, stride, dilation, out_hw,
                          lambda i, j: grad_cols[:, i, j])
        return crop(grad_pad, padding).transpose(1, 0, 2, 3).copy(), None, None, None, None
        ### END SOLUTION


class Col2Im(Op):
    """x = col2im(cols): (C*kH*kW, N*L) -> (N, C, H, W), each column entry added to the pixel it
    came from;  dL/dcols = im2col(dL/dx). The adjoint of ``Im2Col``, so its forward IS Im2Col's
    backward and its backward IS Im2Col's forward (the code is shared, not copied).

    ``F.fold`` is this op, and ``F.conv_transpose2d`` is a matmul followed by it: a transposed
    convolution is the gradient of a convolution with respect to its input. ``shape`` is the
    (N, C, H, W) output, ``padding`` ((top, bottom), (left, right)) is cut off it, and ``blocks``
    (H_blocks, W_blocks) is the number of windows along each axis (L = H_blocks * W_blocks).
    """

    @staticmethod
    def forward(ctx, cols, shape, kernel, dilation, padding, stride, blocks):
        n, c, h, w = shape
        (top, bottom), (left, right) = padding
        ctx.layout = (kernel, dilation, padding, stride, blocks)
        ctx.geometry = ((n, c, h + top + bottom, w + left + right), kernel, blocks, padding, stride, dilation)
        return Im2Col.backward(ctx, cols)[0]

    @staticmethod
    def backward(ctx, grad):
        kernel, dilation, padding, stride, blocks = ctx.layout
        # The padded gradient, cut to the part the windows reach (with a stride, or an output_padding,
        # the last rows/columns may lie beyond every window: no column entry came from them).
        reach = [(b - 1) * s + d * (k - 1) + 1 for b, s, d, k in zip(blocks, stride, dilation, kernel)]
        canvas = np.pad(grad, ((0, 0), (0, 0), *padding))[..., : reach[0], : reach[1]]
        grad_cols = Im2Col.forward(ctx, canvas, kernel, dilation, ((0, 0), (0, 0)), stride)
        return grad_cols, None, None, None, None, None, None


class ToNCHW(Op):
    """y[n, o, p, q] = m[o, (n, p, q)] + b[o]: the (C_out, N*H_out*W_out) result of the im2col
    matmul laid out as a batch of images, plus the per-channel bias (``bias`` may be None).

    One contiguous NCHW copy, so the ops after the convolution (relu, pooling) and their
    backward passes all see one memory layout. dL/dm is dL/dy laid back out as (C_out, N*L);
    dL/db[o] = sum of dL/dy over n, p and q.
    """

    op_name = "conv2d"  # for error messages

    @staticmethod
    def forward(ctx, m, bias, images_shape):
        ### BEGIN SOLUTION 4.7: return y (N, C_out, H_out, W_out), a contiguous copy, plus the bias if there is one
        n, oh, ow = images_shape
        # .copy() is C-ordered; np.ascontiguousarray would not work on cupy (it makes host arrays)
        y = m.reshape(-1, n, oh, ow).transpose(1, 0, 2, 3).copy()
        if bias is not None:
            y += bias.reshape(1, -1, 1, 1)
        return y
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad):
        ### BEGIN SOLUTION 4.7: return dL/dm (C_out, N*L), dL/dbias (None unless needed), None
        grad_m = grad.transpose(1, 0, 2, 3).reshape(grad.shape[1], -1)
        grad_bias = grad.sum(axis=(0, 2, 3)) if ctx.needs_input_grad[1] else None
        return grad_m, grad_bias, None
        ### END SOLUTION

