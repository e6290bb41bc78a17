"""The loss functions: regression (mse, l1), class-index (cross_entropy, nll_loss) and binary
(binary_cross_entropy, on probabilities and on logits).

Each takes ``reduction``: ``"mean"`` (the default) averages the per-element losses, ``"sum"``
adds them up, ``"none"`` returns them unreduced; PyTorch's deprecated ``size_average`` and
``reduce``, where given, decide it as in PyTorch. Losses are compositions of engine ops, built
so that they stay finite for logits of any size, except ``binary_cross_entropy``, which has an
op of its own (``functions/loss.py``: inputs of exactly 0 or 1 keep finite gradients).
"""
import numpy as np

from ... import checks, device_checks
from ... import functions as ops
from ...autograd.composite import shown_as
from ...autograd.names import rename
from ...creation import tensor, zeros_like
from ...device import array_module
from ...errors import ShapeError
from ...functions._util import broadcasts_to
from ...namespace import stack
from ...tensor import Tensor
from ._checks import check_tensors, promoted

REDUCTIONS = ("mean", "sum", "none")


def _reduction(op, size_average, reduce, reduction):
    """The reduction to use. PyTorch's deprecated ``size_average``/``reduce`` pair, where given,
    decides it as PyTorch does (reduce=False: "none"; else size_average=False: "sum"; else "mean")."""
    if size_average is not None or reduce is not None:
        if reduce is False:
            return "none"
        return "sum" if size_average is False else "mean"
    return checks.choice(op, "reduction", reduction, REDUCTIONS)


def _reduce(loss, reduction, divisor=None):
    """Per-element losses -> the result: as is, summed, or summed and divided (by numel by default)."""
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.mean() if divisor is None else loss.sum() / divisor


def _weighted(op, loss, weight, reduction):
    """Per-element losses times ``weight`` (of the losses' shape), reduced; "mean" divides by sum(weight)."""
    check_tensors(op, input=loss, weight=weight)
    if weight.shape != loss.shape:
        raise ValueError(f"{op}: weight has shape {tuple(weight.shape)} but input has shape "
                         f"{tuple(loss.shape)}; weights and input must have the same size.")
    return _reduce(loss * weight, reduction, weight.sum())


def _check_same_shape(op, input, target):
    if input.shape != target.shape:
        raise ShapeError(
            f"{op}: input has shape {tuple(input.shape)} but target has shape {tuple(target.shape)}; "
            f"they must be equal. (PyTorch would broadcast them with a warning, and that is almost "
            f"always a bug, e.g. predictions (N, 1) against targets (N,).) Use reshape, squeeze or "
            f"unsqueeze to make them match."
        )


def _check_broadcasts_to(op, name, t, shape):
    if not broadcasts_to(t.shape, shape):
        raise ShapeError(
            f"{op}: {name} of shape {tuple(t.shape)} must broadcast to the input's shape {tuple(shape)}."
        )


def _check_probabilities(op, name, t):
    a = t._array
    device_checks.fail_if(~((a >= 0) & (a <= 1)), RuntimeError, lambda: (
        f"{op}: every element of {name} must be in [0, 1], got values from {a.min()} to {a.max()}. "
        f"Apply sigmoid to raw scores first, or use binary_cross_entropy_with_logits on them."
    ))


def _softplus(z):
    """softplus(z) = log(1 + e^z), computed as logsumexp(0, z) = max(z, 0) + log(1 + e^-|z|).

    Finite for any z, and its gradient sigmoid(z) comes out smooth, also at z = 0 where
    max(z, 0) and |z| both have kinks.
    """
    return stack([zeros_like(z), z], dim=-1).logsumexp(-1)


# ------------------------------------------------------------ regression losses


@shown_as("MseLossBackward0", inputs=2)
def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean squared error: l_i = (x_i - y_i)^2, then reduced; "mean" gives (1/n) sum_i l_i.

    With ``weight`` (input's shape), l_i = w_i (x_i - y_i)^2 and "mean" gives sum_i l_i / sum_i w_i.
    Unlike PyTorch, input and target must have the same shape (no silent broadcasting).
    """
    reduction = _reduction("mse_loss", size_average, reduce, reduction)
    check_tensors("mse_loss", input=input, target=target)
    _check_same_shape("mse_loss", input, target)
    input, target = promoted(input, target)
    if weight is not None:
        return _weighted("mse_loss", (input - target) ** 2, weight, reduction)
    ### BEGIN SOLUTION 3.5: return the squared errors (input - target)^2, reduced with _reduce(..., reduction)
    return _reduce((input - target) ** 2, reduction)
    ### END SOLUTION


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean absolute error: l_i = |x_i - y_i|, then reduced; "mean" gives (1/n) sum_i l_i
    (with ``weight``: l_i = w_i |x_i - y_i| and "mean" gives sum_i l_i / sum_i w_i)."""
    reduction = _reduction("l1_loss", size_average, reduce, reduction)
    check_tensors("l1_loss", input=input, target=target)
    _check_same_shape("l1_loss", input, target)
    if weight is not None:
        return _weighted("l1_loss", (input - target).abs(), weight, reduction)
    return _reduce((input - target).abs(), reduction)


# -------------------------------------------------------- classification losses


def _class_targets(op, input, target, weight, ignore_index):
    """Check a class-index loss's arguments; return what the loss needs as arrays.

    Returns (class_dim, safe_target, keep, w): the class dimension of ``input``; the
    targets with ignored ones replaced by class 0 (a valid index); the mask of
    targets not ignored; the class weights (ones by default) in the input's dtype.
    """
    check_tensors(op, input=input, target=target)
    checks.integer(op, "ignore_index", ignore_index)
    if not input.is_floating_point():
        raise RuntimeError(f"{op}: input must be a floating-point tensor of scores, got {input.dtype!r}.")
    if target._array.dtype.kind not in "iu":
        raise RuntimeError(
            f"{op}: target must hold class indices in an integer tensor (int64), got {target.dtype!r} "
            f"of shape {tuple(target.shape)}. "
            f"Convert it with target.long(), or give class probabilities as a float tensor of the input's shape."
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
    deferred = device_checks.fail_if(out_of_range, IndexError, lambda: (
        f"{op}: target value {t[out_of_range].flat[0]} is out of range for {num_classes} classes: "
        f"class indices must be in [0, {num_classes}) or equal ignore_index={ignore_index}."
    ))
    dtype = input._array.dtype
    if weight is None:
        w = array_module(input.device).ones(num_classes, dtype)
    else:
        checks.same_device(op, input=input, weight=weight)
        w = tensor(weight, dtype=input.dtype, device=input.device)._array
        if w.shape != (num_classes,):
            raise ShapeError(
                f"{op}: weight of shape {w.shape} must hold one weight per class, shape ({num_classes},)."
            )
    valid = keep & ~out_of_range if deferred else keep  # until the deferred error: class 0 stands in
    return class_dim, np.where(valid, t, 0), keep, w


@shown_as("NllLossBackward0")
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
        raise RuntimeError(f"cross_entropy: label_smoothing must be between 0 and 1, got {label_smoothing}.")
    if isinstance(target, Tensor) and target.is_floating_point() and target.shape == getattr(input, "shape", None):
        return _cross_entropy_probabilities(input, target, weight, reduction, label_smoothing)
    class_dim, safe_target, keep, w = _class_targets("cross_entropy", input, target, weight, ignore_index)
    log_probs = input.log_softmax(class_dim)
    return _class_index_loss(log_probs, class_dim, safe_target, keep, w, reduction, label_smoothing)


def _cross_entropy_probabilities(input, target, weight, reduction, label_smoothing):  # target: input's shape
    """cross_entropy against class probabilities q (same shape as input): l_i = -sum_c w_c q'_ic log p_ic,
    q' = (1 - eps) q + eps / C; "mean" averages over the positions i (not weighted by w)."""
    op = "cross_entropy"
    check_tensors(op, input=input)
    class_dim = 0 if input.ndim == 1 else 1
    num_classes = input.shape[class_dim]
    if label_smoothing:
        target = (1 - label_smoothing) * target + label_smoothing / num_classes
    weighted = input.log_softmax(class_dim) * target
    if weight is not None:
        checks.same_device(op, input=input, weight=weight)
        w = tensor(weight, dtype=input.dtype, device=input.device)
        weighted = weighted * w.reshape([num_classes if d == class_dim else 1 for d in range(input.ndim)])
    loss = -weighted.sum(class_dim)
    return rename(_reduce(loss, reduction), "DivBackward1") if reduction == "mean" else _reduce(loss, reduction)


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    """Negative log-likelihood of class-index targets, given log-probabilities ``input``.

    l_i = -w_{t_i} input[i, t_i], with the shapes, ``weight``, ``ignore_index`` and
    "mean" rule of ``cross_entropy``; indeed cross_entropy(x, t) = nll_loss(log_softmax(x, 1), t).
    """
    reduction = _reduction("nll_loss", size_average, reduce, reduction)
    class_dim, safe_target, keep, w = _class_targets("nll_loss", input, target, weight, ignore_index)
    return _class_index_loss(input, class_dim, safe_target, keep, w, reduction, 0.0)


@shown_as("BinaryCrossEntropyBackward0", inputs=2)
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
    check_tensors(op, input=input, target=target)
    _check_same_shape(op, input, target)
    checks.floating(op, input)
    checks.same_dtype(op, input=input, target=target)  # PyTorch does not promote here
    _check_probabilities(op, "input", input)
    _check_probabilities(op, "target", target)
    loss = ops.BinaryCrossEntropy.apply(input, target)
    if weight is not None:
        _check_broadcasts_to(op, "weight", weight, input.shape)
        loss = loss * weight
    return _reduce(loss, reduction)


@shown_as("BinaryCrossEntropyWithLogitsBackward0", inputs=2)
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
    check_tensors(op, input=input, target=target)
    _check_same_shape(op, input, target)
    checks.floating(op, input)
    input = input.to(checks.floating(op, target, "target").dtype)  # PyTorch computes in the target's dtype
    ### BEGIN SOLUTION 3.12: the elementwise loss from the logits without overflow (e^800), pos_weight weighing the positive targets
    softplus_neg = _softplus(-input)
    if pos_weight is None:
        loss = (1 - target) * input + softplus_neg
    else:
        _check_broadcasts_to(op, "pos_weight", pos_weight, input.shape)
        loss = (1 - target) * input + (1 + (pos_weight - 1) * target) * softplus_neg
    ### END SOLUTION
    if weight is not None:
        _check_broadcasts_to(op, "weight", weight, input.shape)
        loss = loss * weight
    return _reduce(loss, reduction)
