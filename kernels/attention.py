r"""Fused attention, flash style: O = softmax(scale * Q K^T) V without the N x N score matrix.

Shapes: q is (B, H, Nq, d), k and v are (B, H, Nk, d) (or all three 3-D, (B, N, d)); Nq may
differ from Nk; d <= 128. Unfused attention writes the Nq x Nk score matrix S to memory, reads
it back for the softmax, writes P, and reads P again for P @ V: four passes over B*H*Nq*Nk
numbers, and that much memory held for the backward. The fused kernel keeps S and P in
registers and shared memory, one tile at a time, so memory grows as N (not N^2) and global
traffic falls to reading Q once and K, V once per block of BR queries.

Forward (kernels/attention_forward.py). A block owns BR query rows of one (batch, head) and
walks over the keys BC at a time; for each key tile::

        K^T tile (d x BC, shared)              V tile (BC x d, shared)
            |                                       |
  Q tile    v                                       v
 (BR x d, -> S = scale Q K^T  -> online softmax -> O += P V      O: BR x d, in registers
  shared)     (BR x BC, regs)    (m, l per row)    (P^T via shared)

The online softmax keeps, per row, the running maximum m and the running sum l of exp(s - m).
When a new tile raises the maximum from m to m', everything accumulated so far is rescaled by
alpha = exp(m - m'): l <- alpha * l + rowsum(exp(S - m')), O <- alpha * O + exp(S - m') V.
At the end O is divided by l, and the per-row log-sum-exp L = m + log(l) is stored for the
backward. How the threads share the work, the shared-memory layouts (swizzled, for 128-bit
reads), the register staging of the next tile and exp2 are in that module's docstring.

Masks, PyTorch's scaled_dot_product_attention semantics:
  * ``causal=True`` (is_causal): query i attends keys j <= i, aligned at the top left (row 0
    sees key 0 only), also when Nq != Nk. Key tiles entirely right of a query block's last
    row are skipped.
  * ``mask``: a *boolean* attn_mask broadcastable to (B, H, Nq, Nk) (or (B, Nq, Nk) for 3-D
    inputs); True means "takes part in attention", False masks the pair out. A key-padding
    mask ``keep`` of shape (B, Nk) is passed as ``keep[:, None, None, :]``. It is read through
    zero strides, never expanded in memory. Additive float masks are not supported.
  * A row whose keys are all masked out gets O = 0 (PyTorch's math path gives nan) and
    L = +inf, so that exp(s - L) = 0 in the backward (FlashAttention's convention).

Backward: with P = exp(scale Q K^T - L) recomputed tile by tile from the stored L, and
D = rowsum(dO * O) (one elementwise pass on the host array module):
  dV = P^T dO,   dP = dO V^T,   dS = P * (dP - D),   dQ = scale dS K,   dK = scale dS^T Q.
A block owns BT keys (K and V tiles stay in shared memory; dK and dV accumulate in registers)
and walks over the queries BQ at a time (kernels/attention_backward.py: thread layouts,
staging, exp2). dQ of a query row receives a contribution from every key block, i.e. from
many blocks: they add it with atomics (cuda.atomic.add into a zeroed dQ), as FlashAttention-2
does; 64-key blocks (float32, d <= 128) make that Nk / 64 adds per element. That is the
simplest correct choice, one kernel; its price is run-to-run rounding differences in dQ's last
bits. The atomic-free alternative, a second kernel looping over keys for each query block,
would recompute S and dP: seven tile products instead of five.
"""
import math

import numpy as np

from kernels._numba import (MAX_GRID_YZ, OPT_IN_SHARED_BYTES, SIMULATOR, array_module, cdiv,
                            check_arrays, float_dtype, launch, shared_limit)
from kernels.attention_backward import (BACKWARD_TILINGS, MAX_ACCUMULATORS,
                                        SIMULATED_BACKWARD_TILING, BackwardTiling,
                                        backward_accumulators, backward_kernel,
                                        backward_shared_bytes, backward_threads)
from kernels.attention_forward import (FORWARD_TILINGS, ForwardTiling,  # noqa: F401 (API)
                                       forward_kernel, forward_shared_bytes,  # noqa: F401
                                       forward_tiling)

MAX_HEAD_DIM = 128


def backward_tiling(dtype, head_dim, simulated=SIMULATOR, limit=OPT_IN_SHARED_BYTES):
    """The largest backward tiling whose shared memory fits in ``limit`` bytes (dynamic shared
    memory: the launch opts in past 48 KiB) and dK, dV accumulators in MAX_ACCUMULATORS
    registers (the last one always does, up to d=128, in 48 KiB).

    Under the simulator SIMULATED_BACKWARD_TILING instead (as ``forward_tiling``).
    """
    if simulated:
        return SIMULATED_BACKWARD_TILING
    itemsize = np.dtype(dtype).itemsize
    return next(t for t in BACKWARD_TILINGS
                if backward_shared_bytes(t, head_dim, itemsize) <= limit
                and backward_accumulators(t, head_dim, itemsize) <= MAX_ACCUMULATORS)


# ----------------------------------------------------------------------------- host side

def _prepare(q, k, v, mask, scale, extra=()):
    """Check shapes and dtypes; return 4-D (q, k, v, *extra), the uint8 mask view, the scale."""
    check_arrays(q, k, v, *extra, *(() if mask is None else (mask,)))
    xp = array_module(q)
    if not (q.ndim == k.ndim == v.ndim and q.ndim in (3, 4)):
        raise ValueError(f"attention: q, k, v must all be (B, H, N, d) or (B, N, d); got "
                         f"{q.shape}, {k.shape}, {v.shape}")
    if k.shape != v.shape or k.shape[:-2] != q.shape[:-2] or k.shape[-1] != q.shape[-1]:
        raise ValueError(f"attention: k and v must be (..., Nk, d) with q's batch axes and d; "
                         f"got q {q.shape}, k {k.shape}, v {v.shape}")
    if any(x.shape != q.shape for x in extra):
        raise ValueError(f"attention: o and do must have q's shape {q.shape}; got "
                         f"{[x.shape for x in extra]}")
    if not 1 <= q.shape[-1] <= MAX_HEAD_DIM:
        raise ValueError(f"attention: head dim {q.shape[-1]} is not in 1..{MAX_HEAD_DIM}")
    dtype = float_dtype(q, k, v, *extra)
    arrays = [x.astype(dtype, copy=False) for x in (q, k, v, *extra)]
    if mask is None:
        mask4 = xp.ones((1, 1, 1, 1), dtype=xp.uint8)
    else:
        if mask.dtype != np.bool_:
            raise TypeError(f"attention: mask must be boolean (True = attend), not {mask.dtype}")
        mask4 = xp.broadcast_to(mask, q.shape[:-1] + k.shape[-2:-1]).view(xp.uint8)
    if q.ndim == 3:
        arrays = [x[:, None] for x in arrays]
        mask4 = mask4 if mask is None else mask4[:, None]
    batch, heads = arrays[0].shape[:2]
    if max(batch, heads) > MAX_GRID_YZ:
        raise ValueError(f"attention: batch and heads must be <= {MAX_GRID_YZ}")
    scale = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    return arrays, mask4, dtype.type(scale)


def attention_forward(q, k, v, mask=None, causal=False, scale=None, tiling=None):
    """Fused attention: returns (o, lse), o = softmax(scale q k^T, masked) v, lse its log-sum-exp.

    ``mask``: boolean, broadcastable to (B, H, Nq, Nk), True = attend (see the module doc).
    ``scale`` defaults to 1/sqrt(d). ``tiling``: a ForwardTiling (default: ``forward_tiling``).
    o has q's shape; lse is (B, H, Nq) ((B, Nq) for 3-D inputs).
    """
    (q4, k4, v4), mask4, scale = _prepare(q, k, v, mask, scale)
    xp = array_module(q4)
    batch, heads, nq, d = q4.shape
    o = xp.empty(q4.shape, dtype=q4.dtype)
    lse = xp.empty(q4.shape[:-1], dtype=q4.dtype)
    tiling = ForwardTiling(*tiling) if tiling else forward_tiling(q4.dtype, d)
    kernel = forward_kernel(q4.dtype, d, bool(causal), mask is not None, tiling)
    if o.size and not k4.shape[2]:              # no keys: every row is fully masked
        o[...], lse[...] = 0, math.inf
    elif o.size:
        launch(kernel, (cdiv(nq, tiling.br), heads, batch),
               (tiling.bc // tiling.tc) * (tiling.br // tiling.tr),
               q4, k4, v4, mask4, scale, o, lse)
    return (o, lse) if q.ndim == 4 else (o[:, 0], lse[:, 0])


def attention_backward(q, k, v, o, lse, do, mask=None, causal=False, scale=None, tiling=None):
    """Gradients (dq, dk, dv) of fused attention from its inputs, outputs (o, lse), do = dL/do.

    ``mask``, ``causal`` and ``scale`` must be those of the forward call. ``tiling``: a
    BackwardTiling (default: ``backward_tiling``).
    """
    check_arrays(lse)
    (q4, k4, v4, o4, do4), mask4, scale = _prepare(q, k, v, mask, scale, (o, do))
    xp = array_module(q4)
    batch, heads, nq, d = q4.shape
    lse4 = lse.astype(q4.dtype, copy=False).reshape(batch, heads, nq)
    delta = (do4 * o4).sum(axis=-1)                 # D = rowsum(dO * O)
    dq = xp.zeros(q4.shape, dtype=q4.dtype)         # accumulated by atomics
    dk = xp.empty(k4.shape, dtype=q4.dtype)
    dv = xp.empty(v4.shape, dtype=q4.dtype)
    tiling = BackwardTiling(*tiling) if tiling else backward_tiling(q4.dtype, d,
                                                                    limit=shared_limit())
    kernel = backward_kernel(q4.dtype, d, bool(causal), mask is not None, tiling)
    if dk.size and not nq:                      # no queries: no gradient reaches k, v
        dk[...], dv[...] = 0, 0
    elif dk.size:
        launch(kernel, (cdiv(k4.shape[2], tiling.bt), heads, batch), backward_threads(tiling),
               q4, k4, v4, mask4, do4, lse4, delta, scale, dq, dk, dv,
               shared_bytes=backward_shared_bytes(tiling, d, q4.dtype.itemsize))
    return (dq, dk, dv) if q.ndim == 4 else (dq[:, 0], dk[:, 0], dv[:, 0])
