r"""Fused attention, flash style: O = softmax(scale * Q K^T) V without the N x N score matrix.

Shapes: q is (B, H, Nq, d), k and v are (B, H, Nk, d) (or all three 3-D, (B, N, d)); Nq may
differ from Nk; d <= 128. Unfused attention writes the Nq x Nk score matrix S to memory, reads
it back for the softmax, writes P, and reads P again for P @ V: four passes over B*H*Nq*Nk
numbers, and that much memory held for the backward. The fused kernel keeps S and P in
registers and shared memory, one tile at a time, so memory grows as N (not N^2) and global
traffic falls to reading Q once and K, V once per block of BR queries.

Forward tiling. A block owns BR query rows of one (batch, head) and walks over the keys BC at a
time; for each key tile::

        K^T tile (d x BC, shared)              V tile (BC x d, shared, stored as V^T)
            |                                       |
  Q tile    v                                       v
 (BR x d, -> S = scale Q K^T  -> online softmax -> O += P V      O: BR x d, in registers
  shared)     (BR x BC, regs)    (m, l per row)    (P^T via shared)

Thread (tx, ty) owns TR query rows (ty, ty + BR/TR, ...) and, of each key tile, TC key columns
(tx, tx + BC/TC, ...) of S, plus the head-dim columns tx, tx + BC/TC, ... of O. The online
softmax keeps, per row, the running maximum m and the running sum l of exp(s - m). When a new
tile raises the maximum from m to m', everything accumulated so far is rescaled by
alpha = exp(m - m'): l <- alpha * l + rowsum(exp(S - m')), O <- alpha * O + exp(S - m') V.
At the end O is divided by l, and the per-row log-sum-exp L = m + log(l) is stored for the
backward. A row's maximum and sum need the partial values of the BC/TC threads that share the
row; they meet in two small shared arrays (no warp shuffles: the simulator has none).
The K^T and V^T tiles share one shared buffer (V is loaded once every thread is done with K),
and every shared row has one word of padding, so that both the strided staging writes and the
inner-loop reads hit distinct banks. Everything is sized to stay under 48 KiB of static shared
memory: ``forward_tiling`` picks the largest tiling that fits the dtype and head dim.

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
and walks over the queries BT at a time. dQ of a query row receives a contribution from every
key block, i.e. from many blocks: they add it with atomics (cuda.atomic.add into a zeroed dQ),
as FlashAttention-2 does. That is the simplest correct choice, one kernel; its price is
run-to-run rounding differences in dQ's last bits. The atomic-free alternative, a second kernel
looping over keys for each query block, would recompute S and dP: seven tile products instead
of five.
"""
import math
from collections import namedtuple
from functools import lru_cache

import numpy as np

from kernels._numba import (MAX_GRID_YZ, MAX_SHARED_BYTES, SIMULATOR, array_module, cdiv,
                            check_arrays, cuda, float_dtype, jit_device, jit_kernel, launch,
                            numba_type)

MAX_HEAD_DIM = 128

#: Forward: BR query rows a block, BC keys a step, TR x TC scores a thread.
ForwardTiling = namedtuple("ForwardTiling", "br bc tr tc")
#: Backward: BT keys a block and queries a step (square), T x T scores a thread.
BackwardTiling = namedtuple("BackwardTiling", "bt t")

FORWARD_TILINGS = (ForwardTiling(64, 64, 4, 4), ForwardTiling(64, 32, 4, 4),
                   ForwardTiling(32, 32, 4, 4), ForwardTiling(16, 16, 2, 2))
BACKWARD_TILINGS = (BackwardTiling(32, 4), BackwardTiling(16, 2), BackwardTiling(8, 1))


def _padded_dim(head_dim, nthreads_x):
    """The head dim rounded up to a whole number of thread columns (columns past d hold zeros)."""
    return cdiv(head_dim, nthreads_x) * nthreads_x


def forward_shared_bytes(tiling, head_dim, itemsize):
    """Shared memory of the forward kernel: Q^T, K^T/V^T, P^T, and the row max/sum partials."""
    br, bc, tr, tc = tiling
    ntx = bc // tc
    words = (head_dim * (br + 1) + _padded_dim(head_dim, ntx) * (bc + 1) + bc * (br + 1)
             + 2 * br * ntx)
    return words * itemsize


def backward_shared_bytes(tiling, head_dim, itemsize):
    """Shared memory of the backward kernel: K^T, V^T, Q^T, dO^T, P^T, dS^T, L and D."""
    bt, t = tiling
    words = 4 * _padded_dim(head_dim, bt // t) * (bt + 1) + 2 * bt * (bt + 1) + 2 * bt
    return words * itemsize


def forward_tiling(dtype, head_dim, simulated=SIMULATOR):
    """The largest forward tiling whose shared memory fits in 48 KiB.

    Under the simulator (a Python thread per CUDA thread) the smallest one instead, 16 threads
    a block, so that whole-model tests stay fast; tests/kernels runs the others explicitly.
    """
    itemsize = np.dtype(dtype).itemsize
    fits = [t for t in FORWARD_TILINGS
            if forward_shared_bytes(t, head_dim, itemsize) <= MAX_SHARED_BYTES]
    return fits[-1] if simulated else fits[0]


def backward_tiling(dtype, head_dim, simulated=SIMULATOR):
    """The largest backward tiling whose shared memory fits in 48 KiB (the smallest, simulated)."""
    itemsize = np.dtype(dtype).itemsize
    fits = [t for t in BACKWARD_TILINGS
            if backward_shared_bytes(t, head_dim, itemsize) <= MAX_SHARED_BYTES]
    return fits[-1] if simulated else fits[0]


# ----------------------------------------------------------------------------- device functions

@jit_device
def load_transposed(src, b, h, row0, rows, dst, tid, nthreads, scale, zero):
    """dst[j, r] = scale * src[b, h, row0 + r, j] for r < rows, j < dst.shape[0]; zero past src.

    Consecutive threads take consecutive j, src's contiguous axis in the usual layout.
    """
    depth = dst.shape[0]
    for e in range(tid, rows * depth, nthreads):
        r, j = e // depth, e % depth
        i = row0 + r
        dst[j, r] = src[b, h, i, j] * scale if i < src.shape[2] and j < src.shape[3] else zero


@jit_device
def visible(mask, b, h, row, col, nq, nk, causal, masked):
    """Whether query ``row`` attends key ``col`` (False past the last key)."""
    if col >= nk or (causal and col > row):
        return False
    return not (masked and row < nq and mask[b, h, row, col] == 0)


# ----------------------------------------------------------------------------- kernels

@lru_cache(maxsize=None)
def forward_kernel(dtype, head_dim, causal, masked, tiling):
    """The forward kernel for a dtype, head dim, mask kind and ForwardTiling (module doc)."""
    BR, BC, TR, TC = tiling
    D = head_dim
    NTX, NTY = BC // TC, BR // TR          # threads along the keys and along the query rows
    NT = NTX * NTY
    DJ = cdiv(D, NTX)                      # O columns a thread owns
    DP = DJ * NTX
    # shared shapes (numba needs them as constants); one word of padding per row
    SQ, SKV, SP = (D, BR + 1), (DP, BC + 1), (BC, BR + 1)
    ntype = numba_type(dtype)
    zero, one, neg_inf, pos_inf = ntype(0), ntype(1), ntype(-math.inf), ntype(math.inf)

    @jit_kernel(NT)
    def attention_forward(q, k, v, mask, scale, o, lse):
        sq = cuda.shared.array(SQ, ntype)                 # scale * Q^T
        skv = cuda.shared.array(SKV, ntype)               # K^T, then V^T, of the key tile
        sp = cuda.shared.array(SP, ntype)                 # P^T
        smax = cuda.shared.array((BR, NTX), ntype)        # the threads' partial row maxima
        ssum = cuda.shared.array((BR, NTX), ntype)        # ... and partial row sums
        s = cuda.local.array((TR, TC), ntype)             # the thread's scores, then P
        acc = cuda.local.array((TR, DJ), ntype)           # its part of O, unnormalised
        m = cuda.local.array(TR, ntype)                   # running max of each row it owns
        l = cuda.local.array(TR, ntype)                   # running sum of exp(s - m)
        rq = cuda.local.array(TR, ntype)
        rk = cuda.local.array(TC, ntype)
        rv = cuda.local.array(DJ, ntype)
        tid = cuda.threadIdx.x
        tx, ty = tid % NTX, tid // NTX
        q0, h, b = cuda.blockIdx.x * BR, cuda.blockIdx.y, cuda.blockIdx.z
        nq, nk = q.shape[2], k.shape[2]

        load_transposed(q, b, h, q0, BR, sq, tid, NT, scale, zero)
        for i in range(TR):
            m[i] = neg_inf
            l[i] = zero
            for j in range(DJ):
                acc[i, j] = zero
        for k0 in range(0, min(nk, q0 + BR) if causal else nk, BC):
            cuda.syncthreads()                 # the last tile's P^T and V^T are read
            load_transposed(k, b, h, k0, BC, skv, tid, NT, one, zero)
            cuda.syncthreads()
            # S = (scale Q) K^T for the thread's TR x TC scores: outer products over d
            for i in range(TR):
                for j in range(TC):
                    s[i, j] = zero
            for d in range(D):
                for i in range(TR):
                    rq[i] = sq[d, ty + i * NTY]
                for j in range(TC):
                    rk[j] = skv[d, tx + j * NTX]
                for i in range(TR):
                    for j in range(TC):
                        s[i, j] += rq[i] * rk[j]
            # mask, and each row's maximum over the thread's columns
            for i in range(TR):
                row_max = neg_inf
                for j in range(TC):
                    if not visible(mask, b, h, q0 + ty + i * NTY, k0 + tx + j * NTX, nq, nk,
                                   causal, masked):
                        s[i, j] = neg_inf
                    row_max = max(row_max, s[i, j])
                smax[ty + i * NTY, tx] = row_max
            cuda.syncthreads()                 # K^T is read: its buffer may take V^T
            load_transposed(v, b, h, k0, BC, skv, tid, NT, one, zero)
            # online softmax: the new row maximum, P = exp(S - m_new), rescale O and l
            for i in range(TR):
                r = ty + i * NTY
                m_new = m[i]
                for x in range(NTX):
                    m_new = max(m_new, smax[r, x])
                m_ref = m_new if m_new != neg_inf else zero   # all masked so far: P = 0
                alpha = math.exp(m[i] - m_ref)
                m[i] = m_new
                row_sum = zero
                for j in range(TC):
                    p = math.exp(s[i, j] - m_ref)
                    sp[tx + j * NTX, r] = p
                    row_sum += p
                ssum[r, tx] = row_sum
                l[i] *= alpha
                for j in range(DJ):
                    acc[i, j] *= alpha
            cuda.syncthreads()
            for i in range(TR):
                for x in range(NTX):
                    l[i] += ssum[ty + i * NTY, x]
            # O += P V: outer products over the tile's keys
            for c in range(BC):
                for i in range(TR):
                    rq[i] = sp[c, ty + i * NTY]
                for j in range(DJ):
                    rv[j] = skv[tx + j * NTX, c]
                for i in range(TR):
                    for j in range(DJ):
                        acc[i, j] += rq[i] * rv[j]

        for i in range(TR):
            row = q0 + ty + i * NTY
            if row < nq:
                inv = one / l[i] if l[i] > zero else zero
                for j in range(DJ):
                    if tx + j * NTX < D:
                        o[b, h, row, tx + j * NTX] = acc[i, j] * inv
                if tx == 0:
                    lse[b, h, row] = m[i] + math.log(l[i]) if l[i] > zero else pos_inf

    return attention_forward


@lru_cache(maxsize=None)
def backward_kernel(dtype, head_dim, causal, masked, tiling):
    """The backward kernel for a dtype, head dim, mask kind and BackwardTiling (module doc)."""
    BT, T = tiling
    D = head_dim
    N1 = BT // T                            # threads along each side of the BT x BT tile
    NT = N1 * N1
    DJ = cdiv(D, N1)                        # head-dim columns a thread owns
    DP = DJ * N1
    SD, SS = (DP, BT + 1), (BT, BT + 1)     # shared shapes, one word of padding per row
    ntype = numba_type(dtype)
    zero, one, pos_inf = ntype(0), ntype(1), ntype(math.inf)

    @jit_kernel(NT)
    def attention_backward(q, k, v, mask, do, lse, delta, scale, dq, dk, dv):
        sk = cuda.shared.array(SD, ntype)                 # K^T of the block's keys
        sv = cuda.shared.array(SD, ntype)                 # V^T
        sq = cuda.shared.array(SD, ntype)                 # scale * Q^T of the query tile
        sdo = cuda.shared.array(SD, ntype)                # dO^T
        sp = cuda.shared.array(SS, ntype)                 # P^T   [key, query]
        sds = cuda.shared.array(SS, ntype)                # dS^T  [key, query]
        sl = cuda.shared.array(BT, ntype)                 # L of the tile's queries
        sdelta = cuda.shared.array(BT, ntype)             # D = rowsum(dO * O)
        s = cuda.local.array((T, T), ntype)               # S^T for (key i, query j)
        dp = cuda.local.array((T, T), ntype)              # dP^T
        dk_acc = cuda.local.array((T, DJ), ntype)
        dv_acc = cuda.local.array((T, DJ), ntype)
        dq_acc = cuda.local.array((T, DJ), ntype)
        ra = cuda.local.array(T, ntype)
        rb = cuda.local.array(T, ntype)
        rc = cuda.local.array(T, ntype)
        rd = cuda.local.array(T, ntype)
        re = cuda.local.array(DJ, ntype)
        rf = cuda.local.array(DJ, ntype)
        tid = cuda.threadIdx.x
        tx, ty = tid % N1, tid // N1
        c0, h, b = cuda.blockIdx.x * BT, cuda.blockIdx.y, cuda.blockIdx.z
        nq, nk = q.shape[2], k.shape[2]

        load_transposed(k, b, h, c0, BT, sk, tid, NT, one, zero)
        load_transposed(v, b, h, c0, BT, sv, tid, NT, one, zero)
        for i in range(T):
            for j in range(DJ):
                dk_acc[i, j] = zero
                dv_acc[i, j] = zero
        # causal: queries before c0 see none of these keys
        for r0 in range(c0 if causal else 0, nq, BT):
            cuda.syncthreads()                 # the last query tile is read
            load_transposed(q, b, h, r0, BT, sq, tid, NT, scale, zero)
            load_transposed(do, b, h, r0, BT, sdo, tid, NT, one, zero)
            for e in range(tid, BT, NT):
                inside = r0 + e < nq
                sl[e] = lse[b, h, r0 + e] if inside else pos_inf
                sdelta[e] = delta[b, h, r0 + e] if inside else zero
            cuda.syncthreads()
            # S^T = K (scale Q)^T and dP^T = V dO^T: keys ty + i*N1, queries tx + j*N1
            for i in range(T):
                for j in range(T):
                    s[i, j] = zero
                    dp[i, j] = zero
            for d in range(D):
                for i in range(T):
                    ra[i] = sk[d, ty + i * N1]
                    rb[i] = sv[d, ty + i * N1]
                    rc[i] = sq[d, tx + i * N1]
                    rd[i] = sdo[d, tx + i * N1]
                for i in range(T):
                    for j in range(T):
                        s[i, j] += ra[i] * rc[j]
                        dp[i, j] += rb[i] * rd[j]
            # P = exp(S - L) (0 where masked), dS = P * (dP - D); both to shared
            for i in range(T):
                key = ty + i * N1
                for j in range(T):
                    query = tx + j * N1
                    p = zero
                    if visible(mask, b, h, r0 + query, c0 + key, nq, nk, causal, masked):
                        p = math.exp(s[i, j] - sl[query])
                    sp[key, query] = p
                    sds[key, query] = p * (dp[i, j] - sdelta[query])
            cuda.syncthreads()
            # dV += P^T dO and dK += dS^T (scale Q): keys ty + i*N1, head dims tx + j*N1
            for r in range(BT):
                for i in range(T):
                    ra[i] = sp[ty + i * N1, r]
                    rb[i] = sds[ty + i * N1, r]
                for j in range(DJ):
                    re[j] = sdo[tx + j * N1, r]
                    rf[j] = sq[tx + j * N1, r]
                for i in range(T):
                    for j in range(DJ):
                        dv_acc[i, j] += ra[i] * re[j]
                        dk_acc[i, j] += rb[i] * rf[j]
            # dQ += scale dS K for queries ty + i*N1, head dims tx + j*N1: atomics (module doc)
            for i in range(T):
                for j in range(DJ):
                    dq_acc[i, j] = zero
            for c in range(BT):
                for i in range(T):
                    ra[i] = sds[c, ty + i * N1]
                for j in range(DJ):
                    re[j] = sk[tx + j * N1, c]
                for i in range(T):
                    for j in range(DJ):
                        dq_acc[i, j] += ra[i] * re[j]
            for i in range(T):
                row = r0 + ty + i * N1
                for j in range(DJ):
                    if row < nq and tx + j * N1 < D:
                        cuda.atomic.add(dq, (b, h, row, tx + j * N1), dq_acc[i, j] * scale)

        for i in range(T):
            key = c0 + ty + i * N1
            for j in range(DJ):
                if key < nk and tx + j * N1 < D:
                    dk[b, h, key, tx + j * N1] = dk_acc[i, j]
                    dv[b, h, key, tx + j * N1] = dv_acc[i, j]

    return attention_backward


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
    if o.size:
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
    tiling = BackwardTiling(*tiling) if tiling else backward_tiling(q4.dtype, d)
    kernel = backward_kernel(q4.dtype, d, bool(causal), mask is not None, tiling)
    if dk.size:
        launch(kernel, (cdiv(k4.shape[2], tiling.bt), heads, batch), (tiling.bt // tiling.t) ** 2,
               q4, k4, v4, mask4, do4, lse4, delta, scale, dq, dk, dv)
    return (dq, dk, dv) if q.ndim == 4 else (dq[:, 0], dk[:, 0], dv[:, 0])
