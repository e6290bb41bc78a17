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
from ..creation import zeros_like
from ..errors import ShapeError
from ..ops import stack
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


def mse_loss(input, target, reduction="mean"):
    """Mean squared error: l_i = (x_i - y_i)^2, then reduced; "mean" gives (1/n) sum_i l_i.

    Unlike PyTorch, input and target must have the same shape (no silent broadcasting).
    """
    _check_reduction("mse_loss", reduction)
    _check_tensors("mse_loss", input=input, target=target)
    _check_same_shape("mse_loss", input, target)
    return _reduce((input - target) ** 2, reduction)


def l1_loss(input, target, reduction="mean"):
    """Mean absolute error: l_i = |x_i - y_i|, then reduced; "mean" gives (1/n) sum_i l_i."""
    _check_reduction("l1_loss", reduction)
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
        w = np.ones(num_classes, dtype)
    else:
        w = np.asarray(weight._array if isinstance(weight, Tensor) else weight, dtype)
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
    grid = np.indices(safe_target.shape, sparse=True)
    index = (*grid[:class_dim], safe_target, *grid[class_dim:])
    w_target = w[safe_target]
    loss = -log_probs[index].masked_fill(~keep, 0.0) * w_target
    if label_smoothing:
        num_classes = log_probs.shape[class_dim]
        w_along = w.reshape([num_classes if d == class_dim else 1 for d in range(log_probs.ndim)])
        spread = -(log_probs * w_along).sum(class_dim).masked_fill(~keep, 0.0)
        loss = (1 - label_smoothing) * loss + (label_smoothing / num_classes) * spread
    return _reduce(loss, reduction, float((w_target * keep).sum()))


def cross_entropy(input, target, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
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
    _check_reduction("cross_entropy", reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"cross_entropy: label_smoothing must be between 0 and 1, got {label_smoothing}.")
    class_dim, safe_target, keep, w = _class_targets("cross_entropy", input, target, weight, ignore_index)
    log_probs = input.log_softmax(class_dim)
    return _class_index_loss(log_probs, class_dim, safe_target, keep, w, reduction, label_smoothing)


def nll_loss(input, target, weight=None, ignore_index=-100, reduction="mean"):
    """Negative log-likelihood of class-index targets, given log-probabilities ``input``.

    l_i = -w_{t_i} input[i, t_i], with the shapes, ``weight``, ``ignore_index`` and
    "mean" rule of ``cross_entropy``; indeed cross_entropy(x, t) = nll_loss(log_softmax(x, 1), t).
    """
    _check_reduction("nll_loss", reduction)
    class_dim, safe_target, keep, w = _class_targets("nll_loss", input, target, weight, ignore_index)
    return _class_index_loss(input, class_dim, safe_target, keep, w, reduction, 0.0)


def binary_cross_entropy(input, target, weight=None, reduction="mean"):
    """Binary cross-entropy on probabilities: l_i = -w_i (t_i log x_i + (1 - t_i) log(1 - x_i)).

    ``input`` holds probabilities in [0, 1] (e.g. sigmoid outputs), ``target`` the same
    shape with values in [0, 1]; ``weight`` broadcasts to the input's shape. Each log is
    clamped to >= -100, as in PyTorch, so saturated inputs give a finite loss.
    On raw scores prefer ``binary_cross_entropy_with_logits``: it stays exact where
    sigmoid rounds to 0 or 1.
    """
    op = "binary_cross_entropy"
    _check_reduction(op, reduction)
    _check_tensors(op, input=input, target=target)
    _check_same_shape(op, input, target)
    _check_probabilities(op, "input", input)
    _check_probabilities(op, "target", target)
    loss = ops.BinaryCrossEntropy.apply(input, target.to(input.dtype))
    if weight is not None:
        _check_broadcasts_to(op, "weight", weight, input.shape)
        loss = loss * weight
    return _reduce(loss, reduction)


def binary_cross_entropy_with_logits(input, target, weight=None, reduction="mean", pos_weight=None):
    """Binary cross-entropy on raw scores (logits) x, with p = sigmoid(x) and pos_weight r:

        l_i = -w_i (r t_i log p_i + (1 - t_i) log(1 - p_i))
            = w_i ((1 - t_i) x_i + (1 + (r - 1) t_i) softplus(-x_i))

    using log p = -softplus(-x) and log(1 - p) = -x - softplus(-x), where
    softplus(z) = log(1 + e^z) is computed without overflow. Without pos_weight,
    dl_i/dx_i = w_i (p_i - t_i). ``weight`` broadcasts to the input's shape;
    ``pos_weight`` (e.g. one value per class, shape (C,)) weighs the positive targets.
    """
    op = "binary_cross_entropy_with_logits"
    _check_reduction(op, reduction)
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
