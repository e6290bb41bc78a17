"""Connectionist temporal classification: the negative log-likelihood of a label sequence
under per-frame log-probabilities, summed over every alignment, as one op.

A target l of length S becomes l' = (blank, l_1, blank, l_2, ..., l_S, blank), of length
L = 2S + 1. An alignment walks l' one frame at a time: it stays, steps one place, or skips
a blank between two different labels. In log space, with y_t(c) = log_probs[t, c]:

    alpha_0(0) = y_0(blank),  alpha_0(1) = y_0(l'_1)
    alpha_t(s) = y_t(l'_s) + logsumexp(alpha_{t-1}(s), alpha_{t-1}(s-1), [alpha_{t-1}(s-2)])
    loss = -logsumexp(alpha_{T-1}(L-1), alpha_{T-1}(L-2))

where the bracketed skip is allowed when l'_s is not blank and differs from l'_{s-2}. The
backward (beta) recursion runs the same way from the end; together they give the gradient

    dloss/dy_t(c) = -sum_{s: l'_s = c} exp(alpha_t(s) + beta_t(s) - y_t(c) + loss)

(alpha and beta both count y_t(l'_s), hence the one subtraction). PyTorch's backward returns
this plus exp(y), the gradient through a log_softmax folded in; after a log_softmax (how
log_probs are made) both give the same gradients of the logits. Both recursions run over
the frames in Python and over the batch and the positions with array operations.
"""
import numpy as np

from ..autograd.function import Op
from ..device import array_module


def _extended(targets, target_lengths, blank):
    """l' for every sample (N, 2 S_max + 1), padded with blank, and where the skip is allowed."""
    xp = array_module(targets)
    n, s_max = targets.shape
    ext = xp.full((n, 2 * s_max + 1), blank, dtype=np.int64)
    ext[:, 1::2] = targets
    ext[:, 1::2][xp.arange(s_max)[None, :] >= xp.asarray(target_lengths)[:, None]] = blank
    skip = xp.zeros(ext.shape, dtype=bool)
    skip[:, 2:] = (ext[:, 2:] != blank) & (ext[:, 2:] != ext[:, :-2])
    return ext, skip


def _shifted(a, by, fill=-np.inf):
    """``a`` moved ``by`` places along the last axis (right for by > 0, left for by < 0), ``fill`` entering."""
    out = array_module(a).full_like(a, fill)
    if by > 0:
        out[..., by:] = a[..., :-by]
    else:
        out[..., :by] = a[..., -by:]
    return out


def _step(prev, skip, direction):
    """logsumexp over the stay, the one-place step and, where ``skip`` allows it, the two-place skip."""
    xp = array_module(prev)
    step = xp.logaddexp(prev, _shifted(prev, direction))
    return xp.where(skip, xp.logaddexp(step, _shifted(prev, 2 * direction)), step)


def _alpha(y, skip):
    """The forward variables (T, N, L) from y_t(l'_s) (T, N, L): paths from the start to (t, s)."""
    xp = array_module(y)
    alpha = xp.empty_like(y)
    prev = xp.full_like(y[0], -np.inf)
    prev[:, :2] = 0  # before frame 0, the step from "nowhere" reaches s = 0 and s = 1 for free
    alpha[0] = prev = y[0] + prev
    for t in range(1, len(y)):
        alpha[t] = prev = y[t] + _step(prev, skip, 1)
    return alpha


def _beta(y, skip, input_lengths, last):
    """The backward variables (T, N, L): paths from (t, s) to the end, frame T_n - 1 of each sample."""
    xp = array_module(y)
    beta = xp.empty_like(y)
    positions = xp.arange(y.shape[2])[None, :]
    final = xp.where((positions == last[:, None]) | (positions == last[:, None] - 1), 0.0, -np.inf)
    skip_left = _shifted(skip, -2, False)  # l'_{s+2} may be reached from s
    nxt = xp.full_like(y[0], -np.inf)
    for t in range(len(y) - 1, -1, -1):
        step = _step(nxt, skip_left, -1)
        step = xp.where((input_lengths == t + 1)[:, None], final, step)
        beta[t] = nxt = xp.where((input_lengths > t)[:, None], y[t] + step, -np.inf)
    return beta


class CTCLoss(Op):
    """loss_n = -log sum_{alignments a of l_n} prod_t y_t(a_t);  dloss/dy_t(c) = -sum_{l'_s=c} e^(alpha+beta-y+loss).

    Inputs: log_probs (T, N, C); targets (N, S_max), padded; input_lengths and target_lengths
    (N,) integer arrays; blank; zero_infinity (an impossible alignment gives 0 and a zero
    gradient instead of inf). Output: the per-sample losses (N,).
    """

    op_name = "ctc_loss"  # for error messages

    @staticmethod
    def forward(ctx, log_probs, targets, input_lengths, target_lengths, blank, zero_infinity):
        xp = array_module(log_probs)
        n = log_probs.shape[1]
        ext, skip = _extended(targets, target_lengths, blank)
        index = (xp.arange(log_probs.shape[0])[:, None, None], xp.arange(n)[None, :, None], ext[None])
        y = log_probs[index]
        last = 2 * target_lengths  # the position of the final blank
        with np.errstate(invalid="ignore"):
            alpha = _alpha(y, skip)
            end = alpha[input_lengths - 1, xp.arange(n)]
            before = xp.where(last > 0, end[xp.arange(n), last - 1], -np.inf)
            log_p = xp.logaddexp(end[xp.arange(n), last], before)
        ctx.save_for_backward(y, alpha, log_p)
        ctx.index, ctx.skip, ctx.input_lengths, ctx.last = index, skip, input_lengths, last
        ctx.shape, ctx.zero_infinity = log_probs.shape, zero_infinity
        loss = -log_p
        if zero_infinity:
            loss = xp.where(xp.isinf(loss), 0, loss)
        return loss.astype(log_probs.dtype)

    @staticmethod
    def backward(ctx, grad):
        y, alpha, log_p = ctx.saved_arrays
        xp = array_module(y)
        with np.errstate(invalid="ignore", over="ignore"):
            beta = _beta(y, ctx.skip, ctx.input_lengths, ctx.last)
            weight = xp.exp(alpha + beta - y - log_p[None, :, None])
        frames = xp.arange(len(y))[:, None, None] < ctx.input_lengths[None, :, None]
        weight = xp.where(frames, weight, 0)  # no gradient past a sample's end, even when its loss is inf
        scale = -grad
        if ctx.zero_infinity:
            scale = xp.where(xp.isinf(log_p), 0, scale)
            weight = xp.where(xp.isinf(log_p)[None, :, None], 0, weight)
        out = xp.zeros(ctx.shape, dtype=y.dtype)
        xp.add.at(out, ctx.index, weight * scale[None, :, None])
        return (out,) + (None,) * 5
