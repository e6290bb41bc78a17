"""Scaled dot-product attention, the heart of every transformer.

For queries Q (..., L, E), keys K (..., S, E) and values V (..., S, Ev)::

    scores  = scale * Q K^T              (..., L, S)   s_ij = scale * q_i . k_j
    weights = softmax(scores + mask)     (..., L, S)   each row sums to 1 over the keys
    output  = weights V                  (..., L, Ev)  o_i = sum_j w_ij v_j

with scale = 1 / sqrt(E) by default: for unit-variance q and k, q . k has
variance E, so the scaling keeps the scores' spread (and the softmax's
sharpness) independent of the head size.

On the CPU both functions below are compositions of engine ops (matmul,
masked_fill, softmax, dropout), so autograd differentiates them through those
ops' hand-written backward passes. On "cuda", ``scaled_dot_product_attention``
runs the fused flash-style kernel instead (``functions/attention.py``), which
never stores the (L, S) score matrix, whenever it can: the same head size for
values as for queries (at most 128), equal leading (batch, head) shapes, a bool
mask or none, and no dropout. Otherwise the composite runs there too.
"""
import math

import numpy as np

from ... import dtypes
from ...autograd.function import keep_versions
from ...creation import arange
from ...errors import ShapeError
from ...functions._util import broadcasts_to
from ...functions.attention import FusedAttention
from ...tensor import Tensor
from .linear import dropout

_NEG_INF = float("-inf")


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None,
                                 enable_gqa=False):
    """softmax(scale * Q K^T + mask) V, with PyTorch's arguments and semantics.

    - ``query`` (..., L, E), ``key`` (..., S, E), ``value`` (..., S, Ev) -> output (..., L, Ev).
      The leading (batch, head) dimensions broadcast as in matmul.
    - ``attn_mask`` broadcastable to (..., L, S): a bool mask says which keys each query may
      attend to (True = take part); a float mask is added to the scores (use -inf to forbid).
    - ``is_causal=True``: query i sees keys j <= i only (a lower-triangular mask aligned at the
      top-left corner, also when L != S). It cannot be combined with ``attn_mask``.
    - ``dropout_p``: dropout on the attention weights. As in PyTorch it is applied whenever
      dropout_p > 0 (there is no ``training`` flag here): pass ``dropout_p=0.0`` when evaluating.
    - ``scale``: defaults to 1 / sqrt(E).
    - ``enable_gqa=True``: grouped-query attention; key and value (..., Hkv, S, E) may have fewer
      heads than query (..., H, L, E), each of their heads serving H // Hkv query heads in turn.

    A query whose keys are all masked attends to nothing and its output row is 0 (as in
    PyTorch 2.5 and later, rather than the NaN a plain softmax of -inf scores would give).
    """
    if enable_gqa:
        key, value = _grouped_heads(query, key), _grouped_heads(query, value)
    _check_attention_inputs("scaled_dot_product_attention", query, key, value, attn_mask, is_causal)
    if not 0.0 <= dropout_p <= 1.0:
        raise ValueError(f"scaled_dot_product_attention: dropout_p must be in [0, 1], got {dropout_p}.")
    if _fused_kernel_applies(query, key, value, attn_mask, dropout_p):
        mask = None if attn_mask is None else attn_mask._array
        out = FusedAttention.apply(query, key, value, mask, is_causal, scale)
        return out if attn_mask is None else keep_versions(out, attn_mask, what="its attn_mask")
    return composite_attention(query, key, value, attn_mask, dropout_p, is_causal, scale)


def _grouped_heads(query, kv):
    """``kv`` with each head repeated for its group of query heads (grouped-query attention)."""
    if query.ndim < 3 or kv.ndim < 3 or kv.shape[-3] == query.shape[-3]:
        return kv
    heads, kv_heads = query.shape[-3], kv.shape[-3]
    if heads % kv_heads:
        raise RuntimeError(f"scaled_dot_product_attention: enable_gqa needs the query's number of heads "
                           f"({heads}) to be a multiple of the key's and value's ({kv_heads}).")
    return kv.repeat_interleave(heads // kv_heads, dim=-3)


def composite_attention(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None):
    """Attention as a composite of engine ops, the (..., L, S) weights stored for backward.

    What ``scaled_dot_product_attention`` runs on the CPU (and on "cuda" where the fused
    kernel does not apply); benchmarks and lessons call it directly to compare with the kernel.
    Arguments as in ``scaled_dot_product_attention`` (not checked again here).
    """
    weights = _softmax_scores(query, key, attn_mask, is_causal, scale)  # (..., L, S)
    weights = dropout(weights, dropout_p)  # w_ij * m_ij / (1 - p)
    ### BEGIN SOLUTION 5.1: return the outputs o_i = sum_j w_ij v_j, (..., L, Ev)
    return weights @ value  # o_i = sum_j w_ij v_j
    ### END SOLUTION


def _fused_kernel_applies(query, key, value, attn_mask, dropout_p):
    """Whether the fused CUDA kernel can compute this attention (see the module docstring)."""
    return (
        query.device == "cuda"
        and dropout_p == 0.0
        and query.ndim in (3, 4)
        and query.shape[:-2] == key.shape[:-2] == value.shape[:-2]
        and value.shape[-1] == query.shape[-1] <= 128
        and (attn_mask is None or attn_mask.dtype is dtypes.bool_)
    )


def attention_weights(query, key, attn_mask=None, is_causal=False, scale=None):
    """The attention probabilities softmax(scale * Q K^T + mask) of shape (..., L, S).

    minitorch's own helper (PyTorch has none): ``scaled_dot_product_attention`` and
    ``nn.MultiheadAttention(need_weights=True)`` both use it, and lessons plot it as a heatmap.
    Arguments as in ``scaled_dot_product_attention``. Rows whose keys are all masked are 0.
    """
    _check_attention_inputs("attention_weights", query, key, None, attn_mask, is_causal)
    return _softmax_scores(query, key, attn_mask, is_causal, scale)


def _softmax_scores(query, key, attn_mask, is_causal, scale):
    """softmax(scale * Q K^T + mask) on checked inputs, one step per line."""
    L, S, E = query.shape[-2], key.shape[-2], query.shape[-1]
    scale = 1.0 / math.sqrt(E) if scale is None else scale
    ### BEGIN SOLUTION 5.1: the weights softmax(scale * Q K^T + mask) (..., L, S): causal, bool (False = hidden) or additive masks; rows with every key hidden are all 0
    scores = (query @ key.mT) * scale  # s_ij = scale * q_i . k_j
    if is_causal:
        scores = scores.masked_fill(causal_future_mask(L, S, query.device), _NEG_INF)  # hide keys j > i
    elif attn_mask is not None and attn_mask.dtype is dtypes.bool_:
        scores = scores.masked_fill(~attn_mask, _NEG_INF)  # False = may not attend
    elif attn_mask is not None:
        scores = scores + attn_mask.to(scores.dtype)  # an additive bias, -inf forbids
    if attn_mask is None:
        return scores.softmax(-1)  # w_ij = e^s_ij / sum_k e^s_ik
    # A row of only -inf would give 0/0 = NaN: compute it on zeros instead, then zero it.
    empty = scores.detach().amax(-1, keepdim=True) == _NEG_INF
    return scores.masked_fill(empty, 0.0).softmax(-1).masked_fill(empty, 0.0)
    ### END SOLUTION


def causal_future_mask(L, S, device=None):
    """Bool (L, S), True where key j lies in query i's future (j > i): the keys causal attention hides."""
    ### BEGIN SOLUTION 5.2: return a bool (L, S) tensor on device, True where key j > query i
    return arange(L, device=device).reshape(L, 1) < arange(S, device=device)
    ### END SOLUTION


def _shape(t):
    return tuple(t.shape)


def _check_attention_inputs(op, query, key, value, attn_mask, is_causal):
    """Raise a clear error for inputs attention cannot take (names the op and the shapes)."""
    named = {"query": query, "key": key} if value is None else {"query": query, "key": key, "value": value}
    for name, t in named.items():
        if not isinstance(t, Tensor):
            raise TypeError(f"{op}: {name} must be a Tensor, got {type(t).__name__}.")
        if t.ndim < 2 or not t.is_floating_point():
            raise ShapeError(
                f"{op}: {name} must be a floating-point tensor of shape (..., sequence, features), "
                f"got shape {_shape(t)} and dtype {t.dtype!r}."
            )
    if len({t.dtype for t in named.values()}) > 1:
        dtypes_ = ", ".join(f"{name} {t.dtype!r}" for name, t in named.items())
        raise TypeError(f"{op}: query, key and value must have the same dtype, got {dtypes_}.")
    if query.shape[-1] != key.shape[-1]:
        raise ShapeError(
            f"{op}: query {_shape(query)} and key {_shape(key)} must have the same last dimension E "
            f"(the features each query is compared with each key on)."
        )
    if value is not None and key.shape[-2] != value.shape[-2]:
        raise ShapeError(
            f"{op}: key {_shape(key)} and value {_shape(value)} must have the same sequence length S "
            f"(the second-to-last dimension): one value per key."
        )
    try:
        batch = np.broadcast_shapes(*(t.shape[:-2] for t in named.values()))
    except ValueError:
        shapes = ", ".join(f"{name} {_shape(t)}" for name, t in named.items())
        raise ShapeError(f"{op}: the leading (batch, head) dimensions of {shapes} do not broadcast together.")
    scores_shape = (*batch, query.shape[-2], key.shape[-2])
    if attn_mask is None:
        return
    if is_causal:
        raise RuntimeError(  # PyTorch's class
            f"{op}: give either attn_mask or is_causal=True, not both (is_causal already is the mask). "
            f"To combine a causal mask with another, build it yourself: "
            f"~causal_future_mask(L, S) & your_bool_mask."
        )
    if not isinstance(attn_mask, Tensor):
        raise TypeError(f"{op}: attn_mask must be a bool or float Tensor, got {type(attn_mask).__name__}.")
    if attn_mask.dtype is not dtypes.bool_ and not attn_mask.is_floating_point():
        raise TypeError(
            f"{op}: attn_mask must be bool (True = may attend) or floating point (added to the "
            f"scores), got {attn_mask.dtype!r}. Convert it with .bool() or .float()."
        )
    if not broadcasts_to(attn_mask.shape, scores_shape):
        raise ShapeError(
            f"{op}: attn_mask of shape {_shape(attn_mask)} does not broadcast to the attention "
            f"scores' shape (..., L, S) = {scores_shape} for query {_shape(query)} and key {_shape(key)}."
        )
