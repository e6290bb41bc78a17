"""Activations, softmax, linear, dropout and the loss functions, as plain functions.

Import it the way PyTorch code does: ``import minitorch.nn.functional as F``.

Each function is a short composition of the engine's ops (Tensor methods and
the ``Function`` classes in ``minitorch/functions``), so its gradient comes
from those ops' hand-written backward passes. Two have an op of their own:
``linear`` (``functions/linalg.py``: one graph node, and the weight's gradient in
the weight's layout) and ``binary_cross_entropy`` (``functions/loss.py``: inputs
of exactly 0 or 1 keep finite gradients).

Every loss takes ``reduction``: ``"mean"`` (the default) averages the
per-element losses, ``"sum"`` adds them up, ``"none"`` returns them unreduced.
"""
import numpy as np

from .. import functions as ops
from ..creation import tensor, zeros_like
from ..device import array_module
from ..errors import ShapeError
from ..namespace import stack
from ..random import rng
from ..tensor import Tensor

# ---------------------------------------------------------------- activations


def relu(input):
    """relu(x) = max(x, 0)."""
    return input.relu()


def sigmoid(input):
    """sigmoid(x) = 1 / (1 + e^-x)."""
    return input.sigmoid()


def tanh(input):
    """tanh(x) = (e^x - e^-x) / (e^x + e^-x)."""
    return input.tanh()


def gelu(input, approximate="none"):
    """gelu(x) = x Phi(x), where Phi is the standard normal CDF.

    ``approximate="tanh"`` uses Phi(x) ~ (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) / 2.
    """
    return ops.GELU.apply(input, approximate)


def softmax(input, dim):
    """softmax(x)_i = e^(x_i) / sum_j e^(x_j) along ``dim`` (the max is subtracted first: no overflow)."""
    return input.softmax(dim)


def log_softmax(input, dim):
    """log_softmax(x)_i = x_i - log sum_j e^(x_j) along ``dim``; finite where log(softmax(x)) is -inf."""
    return input.log_softmax(dim)


# ------------------------------------------------------------ linear, dropout


def linear(input, weight, bias=None):
    """y = x W^T + b for x of shape (..., in_features), W (out_features, in_features), b (out_features,)."""
    if weight.ndim != 2 or input.ndim == 0 or input.shape[-1] != weight.shape[1]:
        raise ShapeError(
            f"linear: input of shape {tuple(input.shape)} does not fit weight of shape "
            f"{tuple(weight.shape)}: the weight must be (out_features, in_features) and the input's "
            f"last dimension must be in_features."
        )
    if bias is not None and tuple(bias.shape) != (weight.shape[0],):
        raise ShapeError(
            f"linear: bias of shape {tuple(bias.shape)} does not fit weight of shape "
            f"{tuple(weight.shape)}: the bias must have shape ({weight.shape[0]},)."
        )
    return ops.Linear.apply(input, weight, bias)


def dropout(input, p=0.5, training=True):
    """Inverted dropout: y = x * m / (1 - p), each m_i ~ Bernoulli(1 - p) drawn afresh per call.

    Every element is zeroed with probability ``p`` and the survivors are scaled by
    1 / (1 - p), so E[y] = x and nothing needs rescaling at evaluation time.
    dL/dx = dL/dy * m / (1 - p). With ``training=False`` (or p = 0) the input is
    returned unchanged. The mask is drawn from ``minitorch.random.rng()``, so
    ``minitorch.manual_seed`` makes it repeat.
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(
            f"dropout: p is the probability of zeroing an element and must be between 0 and 1, got {p}."
        )
    if not training or p == 0:
        return input
    keep = rng().random(input.shape) >= p
    scale = 1.0 / (1.0 - p) if p < 1 else 0.0
    return input * (keep * scale).astype(input._array.dtype)


# --------------------------------------------------------------- loss helpers


def _check_reduction(op, reduction):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{op}: reduction must be 'mean', 'sum' or 'none', got {reduction!r}.")


def _reduction(op, size_average, reduce, reduction):
    """The reduction to use. PyTorch's deprecated ``size_average``/``reduce`` pair, where given,
    decides it as PyTorch does (reduce=False: "none"; else size_average=False: "sum"; else "mean")."""
    if size_average is not None or reduce is not None:
        if reduce is False:
            return "none"
        return "sum" if size_average is False else "mean"
    _check_reduction(op, reduction)
    return reduction


def _reduce(loss, reduction, divisor=None):
    """Per-element losses -> the result: as is, summed, or summed and divided (by numel by default)."""
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.mean() if divisor is None else loss.sum() / divisor


def _check_tensors(op, **tensors):
    for name, t in tensors.items():
        if not isinstance(t, Tensor):
            raise TypeError(
                f"{op}: {name} must be a Tensor, got {type(t).__name__}. Wrap it with minitorch.tensor(...)."
            )


def _check_same_shape(op, input, target):
    if input.shape != target.shape:
        raise ShapeError(
            f"{op}: input has shape {tuple(input.shape)} but target has shape {tuple(target.shape)}; "
            f"they must be equal. (PyTorch would broadcast them with a warning, and that is almost "
            f"always a bug, e.g. predictions (N, 1) against targets (N,).) Use reshape, squeeze or "
            f"unsqueeze to make them match."
        )


def _check_broadcasts_to(op, name, t, shape):
    try:
        fits = np.broadcast_shapes(t.shape, shape) == shape
    except ValueError:
        fits = False
    if not fits:
        raise ShapeError(
            f"{op}: {name} of shape {tuple(t.shape)} must broadcast to the input's shape {tuple(shape)}."
        )


def _check_probabilities(op, name, t):
    a = t._array
    if not ((a >= 0) & (a <= 1)).all():
        raise ValueError(
            f"{op}: every element of {name} must be in [0, 1], got values from {a.min()} to {a.max()}. "
            f"Apply sigmoid to raw scores first, or use binary_cross_entropy_with_logits on them."
        )


def _softplus(z):
    """softplus(z) = log(1 + e^z), computed as logsumexp(0, z) = max(z, 0) + log(1 + e^-|z|).

    Finite for any z, and its gradient sigmoid(z) comes out smooth, also at z = 0 where
    max(z, 0) and |z| both have kinks.
    """
    return stack([zeros_like(z), z], dim=-1).logsumexp(-1)


# ------------------------------------------------------------ regression losses


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """Mean squared error: l_i = (x_i - y_i)^2, then reduced; "mean" gives (1/n) sum_i l_i.

    Unlike PyTorch, input and target must have the same shape (no silent broadcasting).
    """
    reduction = _reduction("mse_loss", size_average, reduce, reduction)
    _check_tensors("mse_loss", input=input, target=target)
    _check_same_shape("mse_loss", input, target)
    ### BEGIN SOLUTION 3.5: return the squared errors (input - target)^2, reduced with _reduce(..., reduction)
    return _reduce((input - target) ** 2, reduction)
    ### END SOLUTION


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """Mean absolute error: l_i = |x_i - y_i|, then reduced; "mean" gives (1/n) sum_i l_i."""
    reduction = _reduction("l1_loss", size_average, reduce, reduction)
    _check_tensors("l1_loss", input=input, target=target)
    _check_same_shape("l1_loss", input, target)
    return _reduce((input - target).abs(), reduction)


# -------------------------------------------------------- classification losses


def _class_targets(op, input, target, weight, ignore_index):
    """Check a class-index loss's arguments; return what the loss needs as arrays.

    Returns (class_dim, safe_target, keep, w): the class dimension of ``input``; the
    targets with ignored ones replaced by class 0 (a valid index); the mask of
    targets not ignored; the class weights (ones by default) in the input's dtype.
    """
    _check_tensors(op, input=input, target=target)
    if not input.is_floating_point():
        raise TypeError(f"{op}: input must be a floating-point tensor of scores, got {input.dtype!r}.")
    if target._array.dtype.kind not in "iu":
        raise TypeError(
            f"{op}: target must hold class indices in an integer tensor (int64), got {target.dtype!r}. "
            f"Convert it with target.long(). (Targets given as class probabilities are not supported.)"
        )
    if input.ndim == 0:
        raise ShapeError(f"{op}: input must have a class dimension: shape (C,), (N, C) or (N, C, d1, ...).")
    class_dim = 0 if input.ndim == 1 else 1
    expected = input.shape[:class_dim] + input.shape[class_dim + 1 :]
    if target.shape != expected:
        raise ShapeError(
            f"{op}: input of shape {tuple(input.shape)} needs a target of shape {tuple(expected)} (the "
            f"input's shape without its class dimension {class_dim}), got {tuple(target.shape)}."
        )
    num_classes = input.shape[class_dim]
    t = target._array
    keep = t != ignore_index
    out_of_range = keep & ((t < 0) | (t >= num_classes))
    if out_of_range.any():
        raise IndexError(
            f"{op}: target value {t[out_of_range].flat[0]} is out of range for {num_classes} classes: "
            f"class indices must be in [0, {num_classes}) or equal ignore_index={ignore_index}."
        )
    dtype = input._array.dtype
    if weight is None:
        w = array_module(input.device).ones(num_classes, dtype)
    else:
        w = tensor(weight, dtype=input.dtype, device=input.device)._array
        if w.shape != (num_classes,):
            raise ShapeError(
                f"{op}: weight of shape {w.shape} must hold one weight per class, shape ({num_classes},)."
            )
    return class_dim, np.where(keep, t, 0), keep, w


def _class_index_loss(log_probs, class_dim, safe_target, keep, w, reduction, label_smoothing):
    """The loss of log-probabilities against checked class targets (see cross_entropy).

    log p_{i,t_i} is picked with one integer index per dimension: the grid of all
    positions for the batch dims, the target for the class dim.
    """
    def constant(array):  # an array of the loss's device as a tensor no gradient flows to
        return Tensor._make(array, False, None, log_probs.device)

    grid = np.indices(safe_target.shape, sparse=True)  # host index arrays: cupy copies them over
    index = (*grid[:class_dim], safe_target, *grid[class_dim:])
    w_target, dropped = constant(w[safe_target]), constant(~keep)
    ### BEGIN SOLUTION 3.6: loss = -log p of each target (log_probs[index]) times w_target, 0 where dropped
    loss = -log_probs[index].masked_fill(dropped, 0.0) * w_target
    ### END SOLUTION
    if label_smoothing:
        num_classes = log_probs.shape[class_dim]
        w_along = w.reshape([num_classes if d == class_dim else 1 for d in range(log_probs.ndim)])
        spread = -(log_probs * constant(w_along)).sum(class_dim).masked_fill(dropped, 0.0)
        loss = (1 - label_smoothing) * loss + (label_smoothing / num_classes) * spread
    return _reduce(loss, reduction, w_target.masked_fill(dropped, 0.0).sum())


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean",
                  label_smoothing=0.0):
    """Cross-entropy between softmax(input) and class-index targets.

    Shapes: input (N, C) logits, target (N,) class indices; or input (N, C, d1, ...)
    with target (N, d1, ...), e.g. per-pixel classes; or input (C,) with a 0-d target.
    With log p = log_softmax(input) over the class dim, w the class weights (all 1 by
    default) and eps = label_smoothing, the target distribution is
    q_ic = (1 - eps) [c = t_i] + eps / C, and

        l_i = -sum_c w_c q_ic log p_ic = -(1 - eps) w_{t_i} log p_{i,t_i} - (eps / C) sum_c w_c log p_ic

    so eps = 0 gives l_i = -w_{t_i} log p_{i,t_i}. Targets equal to ``ignore_index``
    give l_i = 0, and "mean" divides sum_i l_i by the sum of w_{t_i} over the targets
    not ignored (PyTorch's rule; plain 1/N without weights or ignored targets).
    Without weights, dl_i/dx_ic = p_ic - q_ic. Built on log_softmax, the loss and
    its gradient stay finite for logits of any size. ``weight`` is a constant.
    """
    reduction = _reduction("cross_entropy", size_average, reduce, reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"cross_entropy: label_smoothing must be between 0 and 1, got {label_smoothing}.")
    class_dim, safe_target, keep, w = _class_targets("cross_entropy", input, target, weight, ignore_index)
    log_probs = input.log_softmax(class_dim)
    return _class_index_loss(log_probs, class_dim, safe_target, keep, w, reduction, label_smoothing)


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    """Negative log-likelihood of class-index targets, given log-probabilities ``input``.

    l_i = -w_{t_i} input[i, t_i], with the shapes, ``weight``, ``ignore_index`` and
    "mean" rule of ``cross_entropy``; indeed cross_entropy(x, t) = nll_loss(log_softmax(x, 1), t).
    """
    reduction = _reduction("nll_loss", size_average, reduce, reduction)
    class_dim, safe_target, keep, w = _class_targets("nll_loss", input, target, weight, ignore_index)
    return _class_index_loss(input, class_dim, safe_target, keep, w, reduction, 0.0)


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """Binary cross-entropy on probabilities: l_i = -w_i (t_i log x_i + (1 - t_i) log(1 - x_i)).

    ``input`` holds probabilities in [0, 1] (e.g. sigmoid outputs), ``target`` the same
    shape with values in [0, 1]; ``weight`` broadcasts to the input's shape. Each log is
    clamped to >= -100, as in PyTorch, so saturated inputs give a finite loss.
    On raw scores prefer ``binary_cross_entropy_with_logits``: it stays exact where
    sigmoid rounds to 0 or 1.
    """
    op = "binary_cross_entropy"
    reduction = _reduction(op, size_average, reduce, reduction)
    _check_tensors(op, input=input, target=target)
    _check_same_shape(op, input, target)
    _check_probabilities(op, "input", input)
    _check_probabilities(op, "target", target)
    loss = ops.BinaryCrossEntropy.apply(input, target.to(input.dtype))
    if weight is not None:
        _check_broadcasts_to(op, "weight", weight, input.shape)
        loss = loss * weight
    return _reduce(loss, reduction)


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None, reduction="mean",
                                     pos_weight=None):
    """Binary cross-entropy on raw scores (logits) x, with p = sigmoid(x) and pos_weight r:

        l_i = -w_i (r t_i log p_i + (1 - t_i) log(1 - p_i))
            = w_i ((1 - t_i) x_i + (1 + (r - 1) t_i) softplus(-x_i))

    using log p = -softplus(-x) and log(1 - p) = -x - softplus(-x), where
    softplus(z) = log(1 + e^z) is computed without overflow. Without pos_weight,
    dl_i/dx_i = w_i (p_i - t_i). ``weight`` broadcasts to the input's shape;
    ``pos_weight`` (e.g. one value per class, shape (C,)) weighs the positive targets.
    """
    op = "binary_cross_entropy_with_logits"
    reduction = _reduction(op, size_average, reduce, reduction)
    _check_tensors(op, input=input, target=target)
    _check_same_shape(op, input, target)
    target = target.to(input.dtype)
    softplus_neg = _softplus(-input)
    if pos_weight is None:
        loss = (1 - target) * input + softplus_neg
    else:
        _check_broadcasts_to(op, "pos_weight", pos_weight, input.shape)
        loss = (1 - target) * input + (1 + (pos_weight - 1) * target) * softplus_neg
    if weight is not None:
        _check_broadcasts_to(op, "weight", weight, input.shape)
        loss = loss * weight
    return _reduce(loss, reduction)


# ------------------------------------------------------------------ attention
# Defined in nn/attention.py (imported last: it uses dropout from this module).
from .attention import attention_weights, scaled_dot_product_attention  # noqa: E402


# ------------------------------------------ convolution, pooling, normalisation, embedding, padding
# Each op's forward and backward by hand: functions/conv.py, pool.py, normalization.py,
# embedding.py, padding.py. The functions here check the arguments and shapes, then call them.
from ..functions.conv import out_size as _out_size  # noqa: E402
from ..functions.conv import pair as _pair  # noqa: E402
from ..functions.padding import NUMPY_MODES as _COPY_MODES  # noqa: E402
from ..functions.pool import max_pool_indices as _max_pool_indices  # noqa: E402


def _image_batch(op, input):
    """``input`` as a 4-D (N, C, H, W) tensor, and whether it was batched (3-D (C, H, W) allowed)."""
    _check_tensors(op, input=input)
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
    p = _pair(op, "padding", padding, 0)
    return (p[0], p[0]), (p[1], p[1])


def _check_param(op, name, t, shape, dtype=None):
    """``t`` is None or a Tensor of exactly ``shape`` (and of the input's ``dtype``, if given)."""
    if t is None:
        return
    _check_tensors(op, **{name: t})
    if tuple(t.shape) != tuple(shape):
        raise ShapeError(f"{op}: {name} has shape {tuple(t.shape)}, expected {tuple(shape)}.")
    if dtype is not None and t.dtype != dtype:
        raise TypeError(
            f"{op}: {name} is {t.dtype!r} but the input is {dtype!r}; convert one of them with .to(...)."
        )


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
    _check_tensors(op, weight=weight)
    if weight.ndim != 4:
        raise ShapeError(
            f"{op}: weight must be 4-D (out_channels, in_channels / groups, kH, kW), got shape "
            f"{tuple(weight.shape)}."
        )
    c_out, c_group, kh, kw = weight.shape
    if isinstance(groups, bool) or not isinstance(groups, (int, np.integer)) or groups < 1:
        raise ValueError(f"{op}: groups must be a positive integer, got {groups!r}.")
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
    _check_param(op, "bias", bias, (c_out,), x.dtype)
    stride, dilation = _pair(op, "stride", stride, 1), _pair(op, "dilation", dilation, 1)
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
    kernel = _pair(op, "kernel_size", kernel_size, 1)
    dilation, stride = _pair(op, "dilation", dilation, 1), _pair(op, "stride", stride, 1)
    p = _pair(op, "padding", padding, 0)
    for axis in range(2):  # a clear error if a window does not fit
        _out_size(op, x.shape[2 + axis], kernel[axis], stride[axis], p[axis], p[axis], dilation[axis])
    cols = ops.Im2Col.apply(x, kernel, dilation, ((p[0], p[0]), (p[1], p[1])), stride)
    n = x.shape[0]
    return _unbatch(cols.reshape(cols.shape[0], n, -1).permute(1, 0, 2).contiguous(), batched)


def _pool_args(op, kernel_size, stride, padding, dilation):
    """Checked (kernel, stride, padding, dilation) pairs; stride defaults to the kernel size.

    Padding may be at most half the (dilated) kernel, so every window holds at least one pixel.
    """
    kernel = _pair(op, "kernel_size", kernel_size, 1)
    stride = kernel if stride is None or (isinstance(stride, (list, tuple)) and not stride) else _pair(
        op, "stride", stride, 1)
    padding, dilation = _pair(op, "padding", padding, 0), _pair(op, "dilation", dilation, 1)
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
    out_hw = _pair(op, "output_size", sizes, 1)
    return _unbatch(ops.AdaptiveAvgPool2d.apply(x, out_hw), batched)


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1,
               eps=1e-5):
    """Batch normalisation per channel of x (N, C, *): y = gamma (x - mu) / sqrt(var + eps) + beta.

    ``training=True``: mu and var (biased) are the batch's, over every axis but the channel one;
    if ``running_mean``/``running_var`` are given they are updated in place,
    r <- (1 - momentum) r + momentum s, with the unbiased batch variance for ``running_var``.
    ``training=False``: mu and var are ``running_mean`` and ``running_var``.
    ``weight`` (gamma) and ``bias`` (beta) have shape (C,); None means 1 and 0.
    """
    op = "batch_norm"
    _check_tensors(op, input=input)
    if input.ndim < 2:
        raise ShapeError(f"{op}: input must be (N, C) or (N, C, *), got shape {tuple(input.shape)}.")
    if not input.is_floating_point():
        raise TypeError(f"{op}: input must be a floating-point tensor, got {input.dtype!r}. Use .float().")
    channels = input.shape[1]
    for name, t in (("running_mean", running_mean), ("running_var", running_var)):
        _check_param(op, name, t, (channels,))
    for name, t in (("weight", weight), ("bias", bias)):
        _check_param(op, name, t, (channels,), input.dtype)
    if (running_mean is None) != (running_var is None):
        raise ValueError(f"{op}: give both running_mean and running_var, or neither.")
    if not training and running_mean is None:
        raise ValueError(
            f"{op}: training=False normalises with running_mean and running_var, but they are None. "
            f"Pass them, or training=True to use the batch's statistics."
        )
    if training and input.numel() // channels <= 1:
        raise ValueError(
            f"{op}: expected more than 1 value per channel when training, got input of shape "
            f"{tuple(input.shape)}: the variance of one value is 0. Use a larger batch, or eval()."
        )
    if training and running_mean is not None:  # updated in place (this bumps their versions)
        mean, var = running_mean._writable(op), running_var._writable(op)
    else:
        mean, var = (t if t is None else t._array for t in (running_mean, running_var))
    return ops.BatchNorm.apply(input, weight, bias, mean, var, bool(training), float(momentum), float(eps))


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Layer normalisation over the last dims: y = gamma (x - mu) / sqrt(var + eps) + beta,
    with mu and the biased var taken over ``normalized_shape`` (the input's trailing dims),
    separately for every leading index. ``weight`` and ``bias`` have shape ``normalized_shape``."""
    op = "layer_norm"
    _check_tensors(op, input=input)
    integer = isinstance(normalized_shape, (int, np.integer))
    shape = (int(normalized_shape),) if integer else tuple(normalized_shape)
    if not shape or input.shape[input.ndim - len(shape):] != shape or len(shape) > input.ndim:
        raise ShapeError(
            f"{op}: normalized_shape={shape} must equal the input's last {len(shape)} dimension(s), "
            f"but the input has shape {tuple(input.shape)}. Expected an input of shape (*, "
            f"{', '.join(map(str, shape))})."
        )
    if not input.is_floating_point():
        raise TypeError(f"{op}: input must be a floating-point tensor, got {input.dtype!r}. Use .float().")
    for name, t in (("weight", weight), ("bias", bias)):
        _check_param(op, name, t, shape, input.dtype)
    return ops.LayerNorm.apply(input, weight, bias, len(shape), float(eps))


def embedding(input, weight, padding_idx=None):
    """Look up rows: y[..., :] = weight[input[...], :], for integer indices of any shape and a
    weight (num_embeddings, embedding_dim). The ``padding_idx`` row gets no gradient."""
    op = "embedding"
    _check_tensors(op, input=input, weight=weight)
    if input._array.dtype.kind not in "iu":
        raise TypeError(
            f"{op}: input must hold integer indices (an int64 tensor), got {input.dtype!r}. "
            f"Convert it with .long()."
        )
    if weight.ndim != 2:
        raise ShapeError(
            f"{op}: weight must be 2-D (num_embeddings, embedding_dim), got shape {tuple(weight.shape)}."
        )
    num = weight.shape[0]
    index = input._array
    bad = (index < 0) | (index >= num)
    if bad.any():
        raise IndexError(
            f"{op}: index {index[bad].flat[0]} is out of range for {num} embeddings: indices must be in "
            f"[0, {num}). Check the vocabulary size (num_embeddings)."
        )
    if padding_idx is not None:
        if isinstance(padding_idx, bool) or not isinstance(padding_idx, (int, np.integer)) or not (
                -num <= padding_idx < num):
            raise ValueError(f"{op}: padding_idx must be an int in [-{num}, {num}), got {padding_idx!r}.")
        padding_idx = int(padding_idx) % num
    return ops.Embedding.apply(input, weight, padding_idx)


def pad(input, pad, mode="constant", value=None):
    """Pad the last dims of ``input``; ``pad`` lists (before, after) amounts from the LAST dim back:
    (left, right) pads the last dim, (left, right, top, bottom) the last two, and so on.

    - ``"constant"``: fill with ``value`` (default 0); negative amounts crop.
    - ``"reflect"`` (mirror, edge not repeated), ``"replicate"`` (edge repeated), ``"circular"``
      (wrap around): for the last 1 to 3 dims of an input with one or two more dims.
    """
    op = "pad"
    _check_tensors(op, input=input)
    amounts = tuple(pad)
    if len(amounts) % 2 or len(amounts) // 2 > input.ndim or not all(
            isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in amounts):
        raise ValueError(
            f"{op}: pad must be an even-length sequence of ints with at most 2 * ndim = {2 * input.ndim} "
            f"entries ((before, after) for the last dim first), got {pad!r}."
        )
    count = len(amounts) // 2
    pairs = [(0, 0)] * (input.ndim - count) + [(int(amounts[2 * k]), int(amounts[2 * k + 1]))
                                                 for k in reversed(range(count))]
    sizes = input.shape
    if mode == "constant":
        for size, (before, after) in zip(sizes, pairs):
            if size + before + after < 0:
                raise ShapeError(
                    f"{op}: the input of shape {tuple(sizes)} padded by {pad!r} would have a negative size."
                )
        return ops.Pad.apply(input, tuple(pairs), mode, 0 if value is None else value)
    if mode not in _COPY_MODES:
        raise ValueError(
            f"{op}: mode must be 'constant', 'reflect', 'replicate' or 'circular', got {mode!r}."
        )
    if value is not None and value != 0:
        raise ValueError(f"{op}: mode {mode!r} copies pixels and takes no value (got value={value!r}).")
    if not 1 <= count <= 3 or input.ndim not in (count + 1, count + 2):
        raise ShapeError(
            f"{op}: mode {mode!r} pads the last 1 to 3 dims of an input with one or two more dims "
            f"(e.g. (N, C, H, W) with 4 pad values); got {len(amounts)} pad values for shape {tuple(sizes)}."
        )
    for size, (before, after) in zip(sizes, pairs):
        limit = size - 1 if mode == "reflect" else size
        if min(before, after) < 0 or max(before, after) > limit or size == 0:
            raise ValueError(
                f"{op}: mode {mode!r} needs padding amounts between 0 and {limit} for a dim of size "
                f"{size} (input shape {tuple(sizes)}), got {before} and {after}."
            )
    return ops.Pad.apply(input, tuple(pairs), mode, None)
