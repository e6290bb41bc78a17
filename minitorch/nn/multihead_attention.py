"""``MultiheadAttention``: several attention heads side by side, as in "Attention Is All You Need".

With H heads of size D = E / H, input sequences of E features are projected,
split into heads, attended per head, and joined again::

    Q = query W_q^T + b_q,  K = key W_k^T + b_k,  V = value W_v^T + b_v      (..., E)
    head_h = softmax(Q_h K_h^T / sqrt(D) + mask) V_h    Q_h: features h*D .. (h+1)*D of Q
    output = concat(head_1, ..., head_H) W_o^T + b_o                         (..., E)

Each head compares queries and keys in its own D-dimensional subspace, so
different heads can look at different positions. All the attention math goes
through ``nn.functional.scaled_dot_product_attention`` (or, when the weights are
asked for, its ``attention_weights`` half), so it runs the fused kernel where
one exists.
"""

from .. import checks
from .. import dtypes
from ..creation import empty, zeros
from ..errors import ShapeError
from ..namespace import cat
from . import functional as F
from . import init
from .linear import Linear
from .module import Module
from .parameter import Parameter


class MultiheadAttention(Module):
    """Multi-head attention with PyTorch's arguments, parameter names and return values.

    Arguments: ``embed_dim`` E, ``num_heads`` H (E must be divisible by H), ``dropout`` on the
    attention weights (training mode only), ``bias`` for the input and output projections,
    ``add_bias_kv`` (append a learned key and value, ``bias_k``, ``bias_v``), ``add_zero_attn``
    (append an all-zero key and value), ``kdim``/``vdim`` (features of key/value, default E),
    ``batch_first`` (inputs (N, L, E) instead of (L, N, E)).

    Parameters: ``in_proj_weight`` (3E, E) stacking W_q, W_k, W_v, and ``in_proj_bias`` (3E,);
    when kdim or vdim differ from E, separate ``q_proj_weight`` (E, E), ``k_proj_weight``
    (E, kdim), ``v_proj_weight`` (E, vdim) instead. ``out_proj`` is a Linear(E, E).

    ``forward(query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None,
    average_attn_weights=True, is_causal=False)`` returns ``(output, weights)``:

    - query (L, N, E), key (S, N, kdim), value (S, N, vdim); (N, L, E) ... with batch_first;
      (L, E) ... for one unbatched sequence. The output has the query's shape.
    - ``key_padding_mask`` (N, S): keys to ignore (padding). ``attn_mask`` (L, S), or
      (N*H, L, S) per batch element and head. A **bool** mask is True where attention is
      **not allowed** (the opposite of ``scaled_dot_product_attention``'s bool mask, as in
      PyTorch); a float mask is added to the scores.
    - ``is_causal=True`` is a hint that ``attn_mask`` is the causal mask (PyTorch's rule: the
      mask must still be given; ``Transformer.generate_square_subsequent_mask`` makes it).
    - ``weights``: the attention weights (N, L, S), averaged over heads (or (N, H, L, S) with
      ``average_attn_weights=False``), or None with ``need_weights=False`` (faster).

    One deviation from PyTorch: a query whose keys are all masked gets weights 0 (and an
    output equal to ``out_proj.bias``) where PyTorch's ``need_weights=True`` path gives NaN.
    """

    def __init__(self, embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False, add_zero_attn=False,
                 kdim=None, vdim=None, batch_first=False, device=None, dtype=None):
        super().__init__()
        for name, n in (("embed_dim", embed_dim), ("num_heads", num_heads)):
            checks.integer("MultiheadAttention", name, n, minimum=1)
        if embed_dim % num_heads:
            raise ValueError(
                f"MultiheadAttention: embed_dim ({embed_dim}) must be divisible by num_heads "
                f"({num_heads}): each head gets embed_dim // num_heads features."
            )
        checks.real("MultiheadAttention", "dropout (a probability)", dropout, minimum=0, maximum=1)
        self.embed_dim = embed_dim
        self.kdim = embed_dim if kdim is None else kdim
        self.vdim = embed_dim if vdim is None else vdim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.dropout = dropout
        self.batch_first = batch_first
        self.add_zero_attn = add_zero_attn
        dtype = dtypes.to_dtype(dtype) or dtypes.get_default_dtype()
        E, factory = embed_dim, {"dtype": dtype, "device": device}
        if self._qkv_same_embed_dim:
            self.in_proj_weight = Parameter(empty(3 * E, E, **factory))
            for name in ("q_proj_weight", "k_proj_weight", "v_proj_weight"):
                self.register_parameter(name, None)
        else:
            self.q_proj_weight = Parameter(empty(E, E, **factory))
            self.k_proj_weight = Parameter(empty(E, self.kdim, **factory))
            self.v_proj_weight = Parameter(empty(E, self.vdim, **factory))
            self.register_parameter("in_proj_weight", None)
        if bias:
            self.in_proj_bias = Parameter(empty(3 * E, **factory))
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = Linear(E, E, bias=bias, **factory)
        if add_bias_kv:
            self.bias_k = Parameter(empty(1, 1, E, **factory))
            self.bias_v = Parameter(empty(1, 1, E, **factory))
        else:
            self.bias_k = self.bias_v = None
        self._reset_parameters()

    def _reset_parameters(self):
        """PyTorch's initialisation: Xavier-uniform projections, zero biases, Xavier-normal bias_k/v."""
        for name in ("in_proj_weight", "q_proj_weight", "k_proj_weight", "v_proj_weight"):
            if getattr(self, name) is not None:
                init.xavier_uniform_(getattr(self, name))
        if self.in_proj_bias is not None:
            init.zeros_(self.in_proj_bias)
            init.zeros_(self.out_proj.bias)
        if self.bias_k is not None:
            init.xavier_normal_(self.bias_k)
            init.xavier_normal_(self.bias_v)

    def forward(self, query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None,
                average_attn_weights=True, is_causal=False):
        batched = self._check_inputs(query, key, value, key_padding_mask, attn_mask)
        if is_causal and attn_mask is None:
            raise ValueError(
                "MultiheadAttention: is_causal=True is a hint that attn_mask is the causal mask, so "
                "attn_mask must be given too (as in PyTorch): pass "
                "attn_mask=nn.Transformer.generate_square_subsequent_mask(L)."
            )
        ### BEGIN SOLUTION 5.3: the docstring's (output, weights) in the input's layout: projections, appended bias_k/zero keys, heads, one merged mask, attention (dropout while training), out_proj
        # Work in the (N, L, E) layout: add the batch dimension, or move it first.
        if not batched:
            query, key, value = query.unsqueeze(0), key.unsqueeze(0), value.unsqueeze(0)
            key_padding_mask = None if key_padding_mask is None else key_padding_mask.unsqueeze(0)
        elif not self.batch_first:
            query, key, value = query.transpose(0, 1), key.transpose(0, 1), value.transpose(0, 1)
        N, L, E = query.shape
        q, k, v = self._in_projection(query, key, value)  # (N, L, E), (N, S, E), (N, S, E)
        if self.bias_k is not None:  # one more key and value, learned
            k = cat([k, self.bias_k.expand(N, 1, E)], dim=1)
            v = cat([v, self.bias_v.expand(N, 1, E)], dim=1)
        q, k, v = self._split_heads(q), self._split_heads(k), self._split_heads(v)  # (N, H, L, D)
        if self.add_zero_attn:  # one more key and value, all zeros
            zero = zeros(N, self.num_heads, 1, self.head_dim, dtype=k.dtype, device=k.device)
            k, v = cat([k, zero], dim=2), cat([v, zero], dim=2)
        mask = self._merged_mask(attn_mask, key_padding_mask, N, L, k.shape[2], q.dtype)
        dropout_p = self.dropout if self.training else 0.0
        if need_weights:
            weights = F.dropout(F.attention_weights(q, k, mask), dropout_p)  # (N, H, L, S)
            out = weights @ v
        else:
            # PyTorch's rule: the is_causal hint replaces the mask when nothing else is merged in.
            causal = is_causal and key_padding_mask is None
            out = F.scaled_dot_product_attention(q, k, v, None if causal else mask, dropout_p, causal)
            weights = None
        out = self.out_proj(out.transpose(1, 2).reshape(N, L, E))  # concat heads, project
        if weights is not None and average_attn_weights:
            weights = weights.mean(dim=1)
        if not batched:
            return out.squeeze(0), None if weights is None else weights.squeeze(0)
        return (out if self.batch_first else out.transpose(0, 1)), weights
        ### END SOLUTION

    def _in_projection(self, query, key, value):
        """Q, K, V = query W_q^T + b_q, key W_k^T + b_k, value W_v^T + b_v."""
        ### BEGIN SOLUTION 5.3: return the three projections of query, key and value (packed in_proj_weight, or q/k/v_proj_weight; biases optional)
        E = self.embed_dim
        if self._qkv_same_embed_dim:
            w = self.in_proj_weight
            w_q, w_k, w_v = w[:E], w[E : 2 * E], w[2 * E :]
        else:
            w_q, w_k, w_v = self.q_proj_weight, self.k_proj_weight, self.v_proj_weight
        b = self.in_proj_bias
        b_q, b_k, b_v = (None, None, None) if b is None else (b[:E], b[E : 2 * E], b[2 * E :])
        return F.linear(query, w_q, b_q), F.linear(key, w_k, b_k), F.linear(value, w_v, b_v)
        ### END SOLUTION

    def _split_heads(self, x):
        """(N, T, E) -> (N, H, T, D): head h gets features h*D .. (h+1)*D."""
        ### BEGIN SOLUTION 5.3: return x (N, T, E) as (N, H, T, D): head h gets features h*D .. (h+1)*D
        N, T, _ = x.shape
        return x.reshape(N, T, self.num_heads, self.head_dim).transpose(1, 2)
        ### END SOLUTION

    def _merged_mask(self, attn_mask, key_padding_mask, N, L, S, dtype):
        """attn_mask and key_padding_mask as one additive float mask broadcastable to (N, H, L, S).

        Keys appended by add_bias_kv / add_zero_attn (beyond the masks' last column) are allowed.
        """
        ### BEGIN SOLUTION 5.3: return None or one additive mask broadcastable to (N, H, L, S) from attn_mask ((L, S) or (N*H, L, S)) and key_padding_mask (N, S); appended keys allowed
        mask = None
        if attn_mask is not None:
            mask = _additive(attn_mask, dtype)  # (L, S0) or (N*H, L, S0)
            if mask.ndim == 3:
                mask = mask.reshape(N, self.num_heads, L, mask.shape[-1])
        if key_padding_mask is not None:
            padding = _additive(key_padding_mask, dtype).reshape(N, 1, 1, key_padding_mask.shape[-1])
            mask = padding if mask is None else mask + padding
        if mask is not None and mask.shape[-1] < S:
            allowed = zeros(*mask.shape[:-1], S - mask.shape[-1], dtype=dtype, device=mask.device)
            mask = cat([mask, allowed], dim=-1)
        return mask
        ### END SOLUTION

    def _check_inputs(self, query, key, value, key_padding_mask, attn_mask):
        """Check shapes and return whether the input is batched (query 3-D) or one sequence (2-D)."""
        layout = "(N, L, E)" if self.batch_first else "(L, N, E)"
        shapes = f"query {tuple(query.shape)}, key {tuple(key.shape)}, value {tuple(value.shape)}"
        if query.ndim not in (2, 3) or key.ndim != query.ndim or value.ndim != query.ndim:
            raise ShapeError(
                f"MultiheadAttention: query, key and value must all be 3-D {layout} "
                f"(batch_first={self.batch_first}) or all 2-D (L, E) for one sequence; got {shapes}."
            )
        batched = query.ndim == 3
        for name, t, features in (("query", query, self.embed_dim), ("key", key, self.kdim),
                                  ("value", value, self.vdim)):
            if t.shape[-1] != features:
                raise ShapeError(
                    f"MultiheadAttention: {name} must have {features} features in its last dimension "
                    f"(embed_dim={self.embed_dim}, kdim={self.kdim}, vdim={self.vdim}); got {shapes}."
                )
        seq_dim = 1 if batched and self.batch_first else 0
        batch_dim = 1 - seq_dim if batched else None
        if key.shape[:-1] != value.shape[:-1]:
            raise ShapeError(
                f"MultiheadAttention: key and value must have the same sequence and batch sizes; got {shapes}."
            )
        if batched and query.shape[batch_dim] != key.shape[batch_dim]:
            raise ShapeError(
                f"MultiheadAttention: query and key have different batch sizes in {layout} "
                f"(batch_first={self.batch_first}); got {shapes}."
            )
        L, S = query.shape[seq_dim], key.shape[seq_dim]
        N = query.shape[batch_dim] if batched else None
        if key_padding_mask is not None:
            expected = (N, S) if batched else (S,)
            if tuple(key_padding_mask.shape) != expected:
                raise ShapeError(
                    f"MultiheadAttention: key_padding_mask must have shape {expected} (batch, source "
                    f"length S), got {tuple(key_padding_mask.shape)} for {shapes}."
                )
        if attn_mask is not None:
            per_head = (N * self.num_heads if batched else self.num_heads, L, S)
            if tuple(attn_mask.shape) not in ((L, S), per_head):
                raise ShapeError(
                    f"MultiheadAttention: attn_mask must have shape (L, S) = {(L, S)} or "
                    f"(N*num_heads, L, S) = {per_head}, got {tuple(attn_mask.shape)} for {shapes}."
                )
        return batched

    def extra_repr(self):
        return f"embed_dim={self.embed_dim}, num_heads={self.num_heads}, dropout={self.dropout}"


def _additive(mask, dtype):
    """A MultiheadAttention mask as scores to add: bool True (not allowed) -> -inf, False -> 0."""
    if mask.dtype is dtypes.bool_:
        return zeros(*mask.shape, dtype=dtype, device=mask.device).masked_fill(mask, float("-inf"))
    if not mask.is_floating_point():
        raise TypeError(
            f"MultiheadAttention: masks must be bool (True = not allowed) or floating point (added "
            f"to the scores), got {mask.dtype!r}."
        )
    return mask.to(dtype)
