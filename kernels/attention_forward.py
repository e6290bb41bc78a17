r"""The fused attention forward kernel (kernels/attention.py has the method, the backward and the host side).

A block owns BR query rows of one (batch, head) and walks over the keys BC at a time. Thread
(tx, ty) of the NTX x NTY threads owns the TR x TC scores of rows ty*TR.. and keys tx*TC..,
and the TR x DJ part of O of rows ty*TR.. and head-dim columns tx*DJ..: *contiguous* runs, so
that its shared-memory reads are 128-bit (``LDS.128``: four float32 for one issue slot).

Shared memory, three tiles (48 KiB at d=64, BR=BC=64, float32)::

    sq : (scale log2 e) Q^T   (DP x BR)  transposed, swizzled   read: S loop
    skp: K^T of the key tile  (DP x BC)  transposed, swizzled   read: S loop
         then P^T             (BC x BR)  swizzled               read: P V loop
    sv : V of the key tile    (BC x DP)                         read: P V loop
         (before V is stored: the row maxima the threads of a row exchange)

*Swizzled*: the column group g (TC columns of K^T, TR of Q^T) of row d is stored at group
``g ^ (d // VEC mod groups)``. A warp reading row d of K^T then touches every bank group once,
and so does a warp storing a transposed tile (32 consecutive d of one group), where the plain
layout would put all 32 stores in one bank; without padding, so that the three tiles fit in 48
KiB and rows stay 16-byte aligned.

*Register staging*: the next tile's K (and V) is loaded from global memory into registers
before the current tile's arithmetic, and stored to shared memory after it, so that all of a
thread's loads are in flight together while the FFMAs run.

*exp2*: Q is scaled by scale * log2(e) when it is staged, so that the scores come out in base
2 and the softmax takes ``exp2`` (one ``MUFU.EX2``) instead of ``exp``; the log-sum-exp is
converted back to base e at the end: L = m ln 2 + ln l.

Each row's running sum l is kept *per thread* (the sum over its own keys, rescaled with the
row's common maximum); the NTX partial sums of a row meet once, at the end. Only the row
maximum must agree among a row's threads at every tile: they exchange it through ``sv``.
"""
import math
from collections import namedtuple
from functools import lru_cache

import numpy as np
from numba import uint32

from kernels._numba import MAX_SHARED_BYTES, SIMULATOR, cdiv, cuda, jit_device, jit_kernel, numba_type

#: Elements one 128-bit shared access moves (float32); the S loop steps over d, and the P V loop
#: over keys, VEC at a time.
VEC = 4
VEC_SHIFT = VEC.bit_length() - 1
LOG2E = 1 / math.log(2)
#: Most (32-bit) registers a thread may spend on staged K and V (more would spill at d=128).
MAX_STAGED = 64

#: BR query rows a block, BC keys a step (a multiple of VEC), TR x TC scores a thread (BR/TR and
#: BC/TC powers of 2).
ForwardTiling = namedtuple("ForwardTiling", "br bc tr tc")

#: Largest first, all 256 threads: 64 x 64 tiles up to d=64 in float32, 32 x 32 up to d=128 (and
#: float64 d=64), 16 x 16 with a score a thread for float64 at d=128.
FORWARD_TILINGS = (ForwardTiling(64, 64, 4, 4), ForwardTiling(32, 32, 2, 2),
                   ForwardTiling(16, 16, 1, 1))
#: The tiling of the simulator (a Python thread per CUDA thread): 16 threads.
SIMULATED_TILING = ForwardTiling(8, 8, 2, 2)


def padded_head_dim(head_dim, tiling):
    """d rounded up to whole VEC groups and whole thread columns and rows (zeros past d)."""
    br, bc, tr, tc = tiling
    unit = max(VEC, bc // tc, br // tr)
    return cdiv(head_dim, unit) * unit


def forward_shared_bytes(tiling, head_dim, itemsize):
    """Shared memory of the forward kernel: Q^T, K^T/P and V/the row maxima (module doc)."""
    br, bc, tr, tc = tiling
    dp = padded_head_dim(head_dim, tiling)
    return (dp * br + max(dp, bc) * max(bc, br) + max(bc * dp, br * (bc // tc))) * itemsize


def staged_values(tiling, head_dim):
    """Values a thread holds for the next tile's K and V (both the same size)."""
    br, bc, tr, tc = tiling
    return 2 * bc * padded_head_dim(head_dim, tiling) // ((bc // tc) * (br // tr))


def forward_tiling(dtype, head_dim, simulated=SIMULATOR):
    """The largest tiling whose shared memory fits in 48 KiB and staged K, V in MAX_STAGED registers.

    Under the simulator SIMULATED_TILING instead, so that whole-model tests stay fast;
    tests/kernels runs the others explicitly.
    """
    if simulated:
        return SIMULATED_TILING
    itemsize = np.dtype(dtype).itemsize
    return next(t for t in FORWARD_TILINGS
                if forward_shared_bytes(t, head_dim, itemsize) <= MAX_SHARED_BYTES
                and staged_values(t, head_dim) * itemsize // 4 <= MAX_STAGED)


# ----------------------------------------------------------------------------- device functions

@jit_device
def visible(mask, b, h, row, col, nq, nk, causal, masked):
    """Whether query ``row`` attends key ``col`` (False past the last key)."""
    if col >= nk or (causal and col > row):
        return False
    return not (masked and row < nq and mask[b, h, row, col] == 0)


@jit_device
def swizzle(group, d, groups):
    """Where column group ``group`` of row d of a transposed tile is stored (module doc)."""
    return group ^ ((d >> VEC_SHIFT) & (groups - 1))


@jit_device
def item(tid, slot, nthreads, depth):
    """(column d, row group g) of item e = tid + slot * nthreads of a tile ``depth`` columns wide.

    When nthreads is a multiple of depth (the production tilings) every slot of a thread has the
    same column and its row groups are a constant apart: the row offsets of all its loads are
    one register plus constants.
    """
    if nthreads % depth == 0:
        return tid % depth, tid // depth + slot * (nthreads // depth)
    e = tid + slot * nthreads
    return e % depth, e // depth


@jit_device
def fetch_rows(src, b, h, row0, regs, tid, nthreads, depth, width, scale, zero):
    """regs <- this thread's share of scale * src[b, h, row0:, :depth], zero past src's edges.

    src must have at least one row (the host does not launch for zero keys).

    Item ``slot`` (see ``item``) is head-dim column d of the ``width`` rows from row0 + g * width:
    consecutive threads read consecutive columns (one stretch of memory a warp). Every load is
    issued before any result is used: all are in flight together.
    """
    rows, cols = src.shape[2], src.shape[3]
    for slot in range(regs.shape[0] // width):
        d, g = item(tid, slot, nthreads, depth)
        for u in range(width):
            i = row0 + g * width + u
            # unsigned indices skip numba's negative-index fix-ups; the clamp (rows >= 1) lets
            # every load issue unconditionally, and keeps its address a function of the tile
            value = src[uint32(b), uint32(h), uint32(min(i, rows - 1)), uint32(min(d, cols - 1))]
            regs[slot * width + u] = value * scale if i < rows and d < cols else zero


@jit_device
def stash_transposed(regs, tile, tid, nthreads, depth, width, groups):
    """Store ``fetch_rows``' registers transposed and swizzled: row r, column d -> tile[d, ...]."""
    for slot in range(regs.shape[0] // width):
        d, g = item(tid, slot, nthreads, depth)
        column = swizzle(g, d, groups) * width
        for u in range(width):
            tile[d, column + u] = regs[slot * width + u]


@jit_device
def stash_rows(regs, tile, tid, nthreads, depth, width):
    """Store ``fetch_rows``' registers as they are: row r, column d -> tile[r, d]."""
    for slot in range(regs.shape[0] // width):
        d, g = item(tid, slot, nthreads, depth)
        for u in range(width):
            tile[g * width + u, d] = regs[slot * width + u]


# ----------------------------------------------------------------------------- the kernel

@lru_cache(maxsize=None)
def forward_kernel(dtype, head_dim, causal, masked, tiling):
    """The forward kernel for a dtype, head dim, mask kind and ForwardTiling (module doc)."""
    BR, BC, TR, TC = tiling
    NTX, NTY = BC // TC, BR // TR          # threads along the keys and along the query rows
    NT = NTX * NTY
    SHIFT = NTX.bit_length() - 1
    D = head_dim
    DP = padded_head_dim(D, tiling)
    DJ = DP // NTX                         # O columns a thread owns
    SKP = (max(DP, BC), max(BC, BR))       # K^T (DP x BC), or P^T (BC x BR)
    SV = (max(BC, cdiv(BR * NTX, DP)), DP)     # V's rows, or enough for the row maxima
    NQ = TR * DP // NTX                    # Q registers a thread stages (once)
    NSTAGE = staged_values(tiling, D) // 2
    ntype = numba_type(dtype)
    zero, one = ntype(0), ntype(1)
    neg_inf, pos_inf, ln2 = ntype(-math.inf), ntype(math.inf), ntype(math.log(2))

    @jit_device
    def exchange(sv, row, x, value):
        """Put thread column x's partial ``value`` of ``row`` (a maximum or a sum) in sv."""
        f = uint32(row * NTX + x)
        sv[f // DP, f % DP] = value

    @jit_device
    def exchanged(sv, row, x):
        """What ``exchange`` put there."""
        f = uint32(row * NTX + x)
        return sv[f // DP, f % DP]

    @jit_device
    def score_step(sq, skp, s, rq, rk, tx, ty, g):
        """s += Q^T[d, my rows]^T K^T[d, my keys] for the VEC rows d of group g."""
        cq, ck = swizzle(ty, g * VEC, NTY) * TR, swizzle(tx, g * VEC, NTX) * TC
        for u in range(VEC):
            for i in range(TR):
                rq[i] = sq[g * VEC + u, cq + i]
            for j in range(TC):
                rk[j] = skp[g * VEC + u, ck + j]
            for i in range(TR):
                for j in range(TC):
                    s[i, j] += rq[i] * rk[j]

    @jit_device
    def weigh_step(skp, sv, acc, rp, rv, tx, ty, g):
        """acc += P[my rows, keys] V[keys, my columns] for the VEC keys of group g."""
        cp = swizzle(ty, g * VEC, NTY) * TR
        for u in range(VEC):
            for i in range(TR):
                rp[i] = skp[g * VEC + u, cp + i]
            for j in range(DJ):
                rv[j] = sv[g * VEC + u, tx * DJ + j]
            for i in range(TR):
                for j in range(DJ):
                    acc[i, j] += rp[i] * rv[j]

    @jit_kernel(NT)
    def attention_forward(q, k, v, mask, scale, o, lse):
        sq = cuda.shared.array((DP, BR), ntype)
        skp = cuda.shared.array(SKP, ntype)
        sv = cuda.shared.array(SV, ntype)
        qreg = cuda.local.array(NQ, ntype)    # Q, staged once
        kreg = cuda.local.array(NSTAGE, ntype)            # the next key tile's K, staged
        vreg = cuda.local.array(NSTAGE, ntype)            # ... and its V
        s = cuda.local.array((TR, TC), ntype)             # the thread's scores, then P
        acc = cuda.local.array((TR, DJ), ntype)           # its part of O, unnormalised
        m = cuda.local.array(TR, ntype)                   # running max of each row (base 2)
        l = cuda.local.array(TR, ntype)                   # its running sum of exp2(s - m)
        rq = cuda.local.array(TR, ntype)
        rk = cuda.local.array(TC, ntype)
        rp = cuda.local.array(TR, ntype)
        rv = cuda.local.array(DJ, ntype)
        tid = cuda.threadIdx.x
        tx, ty = tid & (NTX - 1), tid >> SHIFT
        q0, h, b = cuda.blockIdx.x * BR, uint32(cuda.blockIdx.y), uint32(cuda.blockIdx.z)
        nq, nk = q.shape[2], k.shape[2]

        fetch_rows(q, b, h, q0, qreg, tid, NT, DP, TR, scale * ntype(LOG2E), zero)
        stash_transposed(qreg, sq, tid, NT, DP, TR, NTY)      # before K, V: fewer live registers
        fetch_rows(k, b, h, 0, kreg, tid, NT, DP, TC, one, zero)
        fetch_rows(v, b, h, 0, vreg, tid, NT, DP, TC, one, zero)
        for i in range(TR):
            m[i] = neg_inf
            l[i] = zero
            for j in range(DJ):
                acc[i, j] = zero
        for k0 in range(0, min(nk, q0 + BR) if causal else nk, BC):
            cuda.syncthreads()                 # the last tile's P and V are read
            stash_transposed(kreg, skp, tid, NT, DP, TC, NTX)
            cuda.syncthreads()
            fetch_rows(k, b, h, k0 + BC, kreg, tid, NT, DP, TC, one, zero)
            # S = (scale log2(e) Q) K^T: outer products over d, VEC rows of Q^T, K^T at a time
            for i in range(TR):
                for j in range(TC):
                    s[i, j] = zero
            for g in range(DP // VEC):
                score_step(sq, skp, s, rq, rk, tx, ty, g)
            # mask; each row's maximum over the thread's keys, to the row's other threads
            for i in range(TR):
                row_max = neg_inf
                for j in range(TC):
                    if not visible(mask, b, h, q0 + ty * TR + i, k0 + tx * TC + j, nq, nk,
                                   causal, masked):
                        s[i, j] = neg_inf
                    row_max = max(row_max, s[i, j])
                exchange(sv, ty * TR + i, tx, row_max)
            cuda.syncthreads()
            # online softmax: the row's new maximum, P = exp2(S - m_new), rescale O and l
            for i in range(TR):
                m_new = m[i]
                for x in range(NTX):
                    m_new = max(m_new, exchanged(sv, ty * TR + i, x))
                m_ref = m_new if m_new != neg_inf else zero   # all masked so far: P = 0
                alpha = math.exp2(m[i] - m_ref)
                m[i] = m_new
                row_sum = zero
                for j in range(TC):
                    s[i, j] = math.exp2(s[i, j] - m_ref)
                    row_sum += s[i, j]
                l[i] = l[i] * alpha + row_sum
                for j in range(DJ):
                    acc[i, j] *= alpha
            cuda.syncthreads()                 # K^T and the maxima are read
            for j in range(TC):                # P^T, swizzled as K^T is
                key = tx * TC + j
                for i in range(TR):
                    skp[key, swizzle(ty, key, NTY) * TR + i] = s[i, j]
            stash_rows(vreg, sv, tid, NT, DP, TC)
            fetch_rows(v, b, h, k0 + BC, vreg, tid, NT, DP, TC, one, zero)
            cuda.syncthreads()
            # O += P V: outer products over the tile's keys, VEC at a time
            for g in range(BC // VEC):
                weigh_step(skp, sv, acc, rp, rv, tx, ty, g)

        cuda.syncthreads()                     # the row sums meet once, at the end
        for i in range(TR):
            exchange(sv, ty * TR + i, tx, l[i])
        cuda.syncthreads()
        for i in range(TR):
            row = q0 + ty * TR + i
            total = zero
            for x in range(NTX):
                total += exchanged(sv, ty * TR + i, x)
            if row < nq:
                inv = one / total if total > zero else zero
                for j in range(DJ):
                    if tx * DJ + j < D:
                        o[b, h, row, tx * DJ + j] = acc[i, j] * inv
                if tx == 0:
                    lse[b, h, row] = m[i] * ln2 + math.log(total) if total > zero else pos_inf

    return attention_forward
