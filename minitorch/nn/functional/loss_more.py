"""More loss functions: robust regression (smooth_l1, huber), distributions (kl_div,
poisson_nll, gaussian_nll), margins (margin_ranking, hinge_embedding, soft_margin,
multilabel_soft_margin, multi_margin, cosine_embedding, triplet_margin), and ctc_loss.

Each is a composition of engine ops, so its gradient comes from their hand-written backward
passes, and takes ``reduction`` (and PyTorch's deprecated ``size_average``/``reduce``) as the
losses of ``loss.py`` do; ``ctc_loss`` is one op (``functions/ctc.py``), its alpha-beta
recursions written by hand.
"""
import math

from ... import checks, device_checks
from ... import functions as ops
from ...autograd.composite import shown_as
from ...device import array_module
from ...tensor import Tensor
from ...namespace import where
from .activation import softplus
from .distance import cosine_similarity, pairwise_distance
from .loss import _check_broadcasts_to, _check_same_shape, _reduce, _reduction
from ._checks import check_tensors, promoted


def _pointwise(op, input, target, size_average=None, reduce=None, reduction="mean"):
    """Check a loss of two same-shape tensors; return its reduction."""
    reduction = _reduction(op, size_average, reduce, reduction)
    check_tensors(op, input=input, target=target)
    _check_same_shape(op, input, target)
    return reduction


def _huber(diff, delta):
    """0.5 d^2 for |d| < delta, else delta (|d| - 0.5 delta), for d = input - target."""
    small = diff.abs() < delta
    return where(small, 0.5 * diff * diff, delta * (diff.abs() - 0.5 * delta))


@shown_as("SmoothL1LossBackward0", inputs=2)
def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """l_i = 0.5 d_i^2 / beta for |d_i| < beta, else |d_i| - 0.5 beta (d = input - target); beta = 0 is l1."""
    reduction = _pointwise("smooth_l1_loss", input, target, size_average, reduce, reduction)
    beta = checks.real("smooth_l1_loss", "beta", beta, minimum=0, range_error=RuntimeError)
    input, target = promoted(input, target)
    diff = checks.floating("smooth_l1_loss", input) - target
    return _reduce(diff.abs() if beta == 0 else _huber(diff, beta) / beta, reduction)


@shown_as("HuberLossBackward0", inputs=2)
def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """l_i = w_i * (0.5 d_i^2 for |d_i| < delta, else delta (|d_i| - 0.5 delta)), d = input - target."""
    reduction = _pointwise("huber_loss", input, target, reduction=reduction)
    delta = checks.positive("huber_loss", "delta", delta, range_error=RuntimeError)
    loss = _huber(checks.floating("huber_loss", input) - target.to(input.dtype), delta)  # input's dtype, as PyTorch
    if weight is not None:
        _check_broadcasts_to("huber_loss", "weight", weight, input.shape)
        loss = loss * weight
    return _reduce(loss, reduction)


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """KL divergence of log-probabilities ``input`` from ``target``: l_i = y_i (log y_i - x_i).

    ``target`` holds probabilities y (0 log 0 counts as 0), or log-probabilities with
    ``log_target=True``: l_i = e^(y_i) (y_i - x_i). "batchmean" divides the sum by the batch
    size (the mathematically right KL); "mean" divides by the number of elements, as PyTorch does.
    """
    op = "kl_div"
    if size_average is not None or reduce is not None:
        reduction = _reduction(op, size_average, reduce, reduction)
    checks.choice(op, "reduction", reduction, ("mean", "batchmean", "sum", "none"))
    check_tensors(op, input=input, target=target)
    _check_same_shape(op, input, target)
    checks.floating(op, input)
    checks.floating(op, target, "target")
    if log_target:
        loss = target.exp() * (target - input)
    else:
        loss = target.xlogy(target) - target * input
    if reduction == "batchmean":
        return loss.sum() / (input.shape[0] if input.ndim else 1)
    return _reduce(loss, reduction)


def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-08, reduce=None,
                     reduction="mean"):
    """Poisson negative log-likelihood: l_i = e^(x_i) - y_i x_i (``log_input``), else x_i - y_i log(x_i + eps).

    ``full`` adds Stirling's term y log y - y + log(2 pi y) / 2 where y > 1.
    """
    reduction = _pointwise("poisson_nll_loss", input, target, size_average, reduce, reduction)
    loss = input.exp() - target * input if log_input else input - target * (input + eps).log()
    if full:
        stirling = target.xlogy(target) - target + 0.5 * (2 * math.pi * target).log()
        loss = loss + where(target > 1, stirling, 0.0)
    return _reduce(loss, reduction)


def gaussian_nll_loss(input, target, var, full=False, eps=1e-06, reduction="mean"):
    """Gaussian negative log-likelihood: l_i = (log v_i + (x_i - y_i)^2 / v_i) / 2 (+ log(2 pi) / 2 with ``full``).

    ``var`` has the input's shape, or lacks its last dim or has size 1 there (one variance for
    the whole vector), or is a number; it is clamped to >= eps (no gradient through the clamp).
    """
    op = "gaussian_nll_loss"
    reduction = checks.choice(op, "reduction", reduction, ("mean", "sum", "none"))
    check_tensors(op, input=input, target=target)
    if not isinstance(var, type(input)):
        var = input.new_full(input.shape, checks.positive(op, "var", var))
    elif var.shape != input.shape:
        if var.shape == input.shape[:-1]:
            var = var.unsqueeze(-1)
        elif not (var.shape[:-1] == input.shape[:-1] and var.shape[-1:] == (1,)):
            raise ValueError(f"{op}: var of shape {tuple(var.shape)} does not fit the input's shape {tuple(input.shape)}.")
    device_checks.fail_if(var._array < 0, ValueError, lambda: (
        f"{op}: var has negative entries; variances must be >= 0."))  # deferred on a GPU: eps stands in
    var = where(var.detach() < eps, eps, var)
    loss = 0.5 * (var.log() + (input - target) ** 2 / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)


def _sign_target(op, target):
    """The +-1 targets of a margin loss."""
    device_checks.fail_if((target._array != 1) & (target._array != -1), ValueError, lambda: (
        f"{op}: target must hold 1 or -1, got other values."))


def margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction="mean"):
    """l_i = max(0, -y_i (x1_i - x2_i) + margin), y_i = 1 when x1_i should rank higher, -1 otherwise."""
    op = "margin_ranking_loss"
    reduction = _reduction(op, size_average, reduce, reduction)
    check_tensors(op, input1=input1, input2=input2, target=target)
    _check_same_shape(op, input1, input2)
    _check_same_shape(op, input1, target)
    return _reduce((-target * (input1 - input2) + margin).clamp_min(0), reduction)


def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None, reduction="mean"):
    """l_i = x_i for y_i = 1, max(0, margin - x_i) for y_i = -1 (x: a distance)."""
    reduction = _pointwise("hinge_embedding_loss", input, target, size_average, reduce, reduction)
    _sign_target("hinge_embedding_loss", target)
    hinge = where(target != 1, (margin - input).clamp_min(0), 0.0)  # each term 0 where the other one applies,
    return _reduce(hinge + where(target != -1, input, 0.0), reduction)  # summed: PyTorch's graph


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """l_i = log(1 + e^(-y_i x_i)) for targets y_i = +-1 (a logistic loss), finite for any x."""
    reduction = _pointwise("soft_margin_loss", input, target, size_average, reduce, reduction)
    target = target.to(checks.floating("soft_margin_loss", input).dtype)  # PyTorch computes in the input's dtype
    return _reduce(softplus(-target * input, 1.0, math.inf), reduction)


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """l_n = -(1/C) sum_c w_c (y_nc log sigmoid(x_nc) + (1 - y_nc) log sigmoid(-x_nc)) for 0/1 targets (N, C)."""
    op = "multilabel_soft_margin_loss"
    reduction = _pointwise(op, input, target, size_average, reduce, reduction)
    loss = target * softplus(-input, 1.0, math.inf) + (1 - target) * softplus(input, 1.0, math.inf)
    if weight is not None:
        _check_broadcasts_to(op, "weight", weight, input.shape)
        loss = loss * weight
    return _reduce(loss.sum(-1) / input.shape[-1], reduction)


@shown_as("MultiMarginLossBackward0")
def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None, reduce=None, reduction="mean"):
    """l_n = sum_{c != y_n} w_{y_n} max(0, margin - x_{n,y_n} + x_nc)^p / C, for scores (N, C) or (C,), p in {1, 2}."""
    op = "multi_margin_loss"
    reduction = _reduction(op, size_average, reduce, reduction)
    check_tensors(op, input=input, target=target)
    checks.choice(op, "p", p, (1, 2))
    if input.ndim not in (1, 2) or target.shape != input.shape[:-1]:
        raise ValueError(f"{op}: input (N, C) or (C,) needs target (N,) or (), got {tuple(input.shape)} and "
                         f"{tuple(target.shape)}.")
    target = target.long()
    num_classes = input.shape[-1]
    picked = input.gather(-1, target.unsqueeze(-1))
    hinge = (margin - picked + input).relu() ** p
    if weight is not None:
        hinge = hinge * weight[target].unsqueeze(-1)
    is_target = target.unsqueeze(-1) == input.new_tensor(range(num_classes)).long()
    return _reduce(hinge.masked_fill(is_target, 0.0).sum(-1) / num_classes, reduction)


def cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction="mean"):
    """l_i = 1 - cos(x1_i, x2_i) for y_i = 1, max(0, cos(x1_i, x2_i) - margin) for y_i = -1 (rows of (N, D))."""
    op = "cosine_embedding_loss"
    reduction = _reduction(op, size_average, reduce, reduction)
    check_tensors(op, input1=input1, input2=input2, target=target)
    _check_same_shape(op, input1, input2)
    if target.shape != input1.shape[:-1]:
        raise ValueError(f"{op}: inputs {tuple(input1.shape)} need a target of shape {tuple(input1.shape[:-1])}, "
                         f"got {tuple(target.shape)}.")
    _sign_target(op, target)
    cos = cosine_similarity(input1, input2, dim=-1, eps=1e-12)
    similar = where(target == 1, 1 - cos, 0.0)  # each term 0 where the other one applies, summed: PyTorch's graph
    return _reduce(similar + where(target == -1, (cos - margin).clamp_min(0), 0.0), reduction)


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-06, swap=False, size_average=None,
                        reduce=None, reduction="mean"):
    """l_i = max(d(a_i, p_i) - d(a_i, n_i) + margin, 0), d the p-norm distance (``swap``: the nearer of
    d(a, n) and d(p, n) as the negative distance)."""
    op = "triplet_margin_loss"
    reduction = _reduction(op, size_average, reduce, reduction)
    check_tensors(op, anchor=anchor, positive=positive, negative=negative)
    _check_same_shape(op, anchor, positive)
    _check_same_shape(op, anchor, negative)
    d_pos = pairwise_distance(anchor, positive, p, eps)
    d_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_neg = d_neg.minimum(pairwise_distance(positive, negative, p, eps))
    return _reduce((d_pos - d_neg + margin).clamp_min(0), reduction)


def _lengths(name, lengths, batch, unbatched, xp):
    """``input_lengths``/``target_lengths`` (a Tensor, list or tuple of N integers; one integer
    unbatched) as an int64 array."""
    values = lengths.tolist() if isinstance(lengths, Tensor) else lengths
    if unbatched and not isinstance(values, (list, tuple)):
        values = [values]
    if not isinstance(values, (list, tuple)) or len(values) != batch:
        raise ValueError(f"ctc_loss: {name} must hold one length per sample ({batch}), got {values!r}.")
    for value in values:
        checks.integer("ctc_loss", name, value, minimum=0)
    return xp.asarray(values, dtype="int64")


def _padded_targets(targets, target_lengths, batch):
    """Targets as an (N, S_max) int64 array: padded as given, or split from their concatenation."""
    array = targets._array.astype("int64")
    if targets.ndim == 2 and targets.shape[0] == batch:
        if int(target_lengths.max()) > targets.shape[1]:
            raise RuntimeError(f"ctc_loss: a target length exceeds the padded targets' width {targets.shape[1]}.")
        return array
    if targets.ndim != 1 or targets.shape[0] != int(target_lengths.sum()):
        raise RuntimeError(
            f"ctc_loss: targets of shape {tuple(targets.shape)} are neither padded ({batch}, S) nor the "
            f"concatenation of the target_lengths (sum {int(target_lengths.sum())})."
        )
    xp = array_module(array)
    padded = xp.zeros((batch, int(target_lengths.max())), dtype="int64")
    ends = target_lengths.cumsum()
    for n in range(batch):
        padded[n, : int(target_lengths[n])] = array[int(ends[n] - target_lengths[n]): int(ends[n])]
    return padded


def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="mean", zero_infinity=False):
    """loss_n = -log sum over the alignments of target n of prod_t exp(log_probs[t, n, a_t]) (CTC).

    ``log_probs`` (T, N, C) or (T, C) from ``log_softmax``; ``targets`` padded (N, S) or
    concatenated (sum of target_lengths); "mean" divides each loss by its target length
    (at least 1) before averaging over the batch, as PyTorch does. ``zero_infinity`` turns
    the infinite loss of an impossible alignment (and its gradient) into zeros.
    """
    reduction = _reduction("ctc_loss", None, None, reduction)
    check_tensors("ctc_loss", log_probs=log_probs, targets=targets)
    checks.floating("ctc_loss", log_probs, "log_probs")
    unbatched = log_probs.ndim == 2
    if unbatched:
        log_probs, targets = log_probs.unsqueeze(1), targets.unsqueeze(0)
    if log_probs.ndim != 3:
        raise ValueError(f"ctc_loss: log_probs must be (T, N, C) or (T, C), got shape {tuple(log_probs.shape)}.")
    if targets.dtype.is_floating_point:
        raise TypeError(f"ctc_loss: targets must hold integer class indices, got {targets.dtype!r}.")
    frames, batch, classes = log_probs.shape
    blank = checks.integer("ctc_loss", "blank", blank, minimum=0, maximum=classes - 1, error=IndexError)
    xp = array_module(log_probs._array)
    input_lengths = _lengths("input_lengths", input_lengths, batch, unbatched, xp)
    target_lengths = _lengths("target_lengths", target_lengths, batch, unbatched, xp)
    if int(input_lengths.max()) > frames or int(input_lengths.min()) < 1:
        raise RuntimeError(f"ctc_loss: input_lengths must lie in [1, {frames}] (the frames), got {input_lengths.tolist()}.")
    padded = _padded_targets(targets, target_lengths, batch)
    loss = ops.CTCLoss.apply(log_probs, padded, input_lengths, target_lengths, blank, bool(zero_infinity))
    if unbatched:
        loss = loss.squeeze(0)
    if reduction == "mean":
        divisor = xp.maximum(target_lengths, 1).astype(log_probs._array.dtype).reshape(loss.shape)
        return (loss / Tensor._make(divisor, False, None, log_probs._device)).mean()
    return _reduce(loss, reduction)
