"""Fused softmax-attention on the "cuda" device: one op whose forward and backward are CUDA kernels.

    O = softmax(scale * Q K^T, masked) V        computed tile by tile (kernels/attention.py)

The composite in ``nn/attention.py`` builds the (L, S) score matrix and keeps
it for backward: memory grows as L * S. The fused kernel never materialises
it. Forward keeps only O and, per query row, the log-sum-exp of its scores;
backward recomputes each tile of probabilities from that log-sum-exp:
    D_i = sum_d dO_id O_id,   dV = P^T dO,   dP = dO V^T,
    dS = P * (dP - D),        dQ = scale * dS K,   dK = scale * dS^T Q.
"""
from .. import cuda
from ..autograd.function import Op


class FusedAttention(Op):
    """O = softmax(scale * Q K^T + mask) V for (B, H, N, d) or (B, N, d) tensors on "cuda".

    ``mask``: a bool array broadcastable to (B, H, L, S), True = may attend, or None;
    ``causal``: query i sees keys j <= i. Rows that may attend to nothing give 0.
    """

    op_name = "scaled_dot_product_attention"  # for error messages

    @staticmethod
    def forward(ctx, q, k, v, mask, causal, scale):
        kernels = cuda.kernels().attention
        o, lse = kernels.attention_forward(q, k, v, mask=mask, causal=causal, scale=scale)
        ctx.save_for_backward(q, k, v, o)
        ctx.lse, ctx.mask, ctx.causal, ctx.scale = lse, mask, causal, scale
        return o

    @staticmethod
    def backward(ctx, grad):
        q, k, v, o = ctx.saved_arrays
        kernels = cuda.kernels().attention
        dq, dk, dv = kernels.attention_backward(
            q, k, v, o, ctx.lse, grad, mask=ctx.mask, causal=ctx.causal, scale=ctx.scale
        )
        return dq, dk, dv, None, None, None
