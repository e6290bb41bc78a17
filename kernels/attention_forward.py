r"""The fused attention forward kernel (kernels/attention.py has the method, the backward and the host side).

A block owns BR query rows of one (batch, head) and walks over the keys BC at a time. Thread
(tx, ty) of the NTX x NTY threads owns the TR x TC scores of rows ty*TR.. and keys tx*TC..,
and the TR x DJ part of O of rows ty*TR.. and head-dim columns tx*DJ..: *contiguous* runs, so
that its shared-memory reads are 128-bit (``LDS.128``: four float32 for one issue slot).

Shared memory, two arrays (48 KiB at d=64 and at d=128, BR=BC=64, float32)::

    skp: K^T of the key tile  (DC x BC)  transposed, swizzled   read: S loop
         (scale log2 e) Q^T   (DC x BR)  transposed, swizzled   read: S loop  (from row QROW)
         then P^T             (BC x BR)  swizzled               read: P V loop
    sv : V of the key tile    (BC x DP)                         read: P V loop
         (before V is stored: the row maxima the threads of a row exchange)

*Chunks of the head dimension*: S = Q K^T is a sum over d, accumulated DC columns of Q and K
at a time. When Q^T and K^T fit whole beside P^T and V (DC = DP, d=64 in float32), Q^T is
stored once, in rows of skp that P^T never reaches, and each key tile takes one chunk. At
d=128 they do not (Q^T alone would take 32 KiB): the S loop runs over chunks of DC=16 columns
(the smallest the 256 threads load in whole slots; 32 spilled registers), the chunk of K^T and
of Q^T in the rows P^T takes afterwards, and Q's chunks are reloaded for every key tile (a
block's 32 KiB of Q stay in L1). The O accumulator is split across threads by d as at d=64
(DJ=8 columns a thread): only S is chunked, so the P V loop stays one loop. Each chunk costs
two barriers: eight chunks at d=128 are 19 barriers a key tile instead of 3.

*Swizzled*: the column group g (TC columns of K^T, TR of Q^T) of row d is stored at group
``g ^ (d // VEC mod groups)``. A warp reading row d of K^T then touches every bank group once,
and so does a warp storing a transposed tile (32 consecutive d of one group), where the plain
layout would put all 32 stores in one bank; without padding, so that the three tiles fit in 48
KiB and rows stay 16-byte aligned.

*Register staging*: the next chunk's K (and Q, when chunked) is loaded from global memory into
registers before the current chunk's arithmetic and stored to shared memory after it, so that
all of a thread's loads are in flight together while the FFMAs run. The tile's V is loaded
before its S loop when there is one chunk (d=64), after it when chunked (d=128: held through
the S loop, its 32 registers spilled on sm_80), and stored after the softmax.

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
#: Most (32-bit) registers a thread may spend on staged K, Q and V: at d=128, chunks of 32 (48
#: staged: 8 K, 8 Q, 32 V) spilled on sm_90, also with V loaded after S; chunks of 16 (40) do not.
MAX_STAGED = 40

#: BR query rows a block, BC keys a step (a multiple of VEC), TR x TC scores a thread (BR/TR and
#: BC/TC powers of 2).
ForwardTiling = namedtuple("ForwardTiling", "br bc tr tc")

#: Largest first, all 256 threads: 64 x 64 tiles up to d=128 in float32 (S in chunks of d past
#: 64), 32 x 32 for float64 up to d=128, 16 x 16 with a score a thread where those do not fit.
FORWARD_TILINGS = (ForwardTiling(64, 64, 4, 4), ForwardTiling(32, 32, 2, 2),
                   ForwardTiling(16, 16, 1, 1))
#: The tiling of the simulator (a Python thread per CUDA thread): 16 threads.
SIMULATED_TILING = ForwardTiling(8, 8, 2, 2)


def padded_head_dim(head_dim, tiling):
    """d rounded up to whole VEC groups and whole thread columns and rows (zeros past d)."""
    br, bc, tr, tc = tiling
    unit = max(VEC, bc // tc, br // tr)
    return cdiv(head_dim, unit) * unit


def q_row(tiling, head_dim, chunk):
    """The first row of skp that holds Q^T: past K^T and P^T when Q^T is stored once (one chunk),
    right after the K^T chunk when it is reloaded with every chunk (module doc)."""
    br, bc, tr, tc = tiling
    dp = padded_head_dim(head_dim, tiling)
    return max(dp, bc) if chunk == dp else chunk


def shared_words(tiling, head_dim, chunk):
    """{"skp": shape, "sv": shape} of the forward kernel's shared arrays for S chunks of ``chunk``
    columns of the padded head dim (module doc)."""
    br, bc, tr, tc = tiling
    dp = padded_head_dim(head_dim, tiling)
    return {"skp": (max(q_row(tiling, head_dim, chunk) + chunk, bc), max(bc, br)),
            "sv": (max(bc, cdiv(br * (bc // tc), dp)), dp)}


def staged_values(tiling, head_dim, chunk):
    """{"k", "q", "v"}: values a thread holds for the next K chunk, Q chunk (0 when Q^T is stored
    once) and V tile."""
    br, bc, tr, tc = tiling
    threads = (bc // tc) * (br // tr)
    dp = padded_head_dim(head_dim, tiling)
    return {"k": chunk * bc // threads, "q": 0 if chunk == dp else chunk * br // threads,
            "v": bc * dp // threads}


def chunk_fits(tiling, head_dim, chunk):
    """Whether S can be accumulated in chunks of ``chunk`` columns: whole VEC groups, a divisor of
    the padded d, and K and Q chunks that the block's threads load in whole slots."""
    br, bc, tr, tc = tiling
    threads = (bc // tc) * (br // tr)
    dp = padded_head_dim(head_dim, tiling)
    return (chunk > 0 and chunk % VEC == 0 and dp % chunk == 0
            and (chunk * bc) % (threads * tc) == 0 and (chunk * br) % (threads * tr) == 0)


def _bytes(tiling, head_dim, chunk, itemsize):
    return sum(math.prod(shape) for shape in shared_words(tiling, head_dim, chunk).values()) \
        * itemsize


def staged_registers(tiling, head_dim, chunk, itemsize):
    """32-bit registers a thread holds its staged K, Q and V in (``staged_values``)."""
    return sum(staged_values(tiling, head_dim, chunk).values()) * itemsize // 4


def score_chunk(tiling, head_dim, itemsize):
    """The S loop's chunk of d: the whole padded d when Q^T, K^T, P^T and V fit in 48 KiB, else
    the largest valid chunk (``chunk_fits``) that fits, both with the staged values in
    MAX_STAGED registers; None when none does."""
    dp = padded_head_dim(head_dim, tiling)
    return next((chunk for chunk in range(dp, 0, -VEC) if chunk_fits(tiling, head_dim, chunk)
                 and _bytes(tiling, head_dim, chunk, itemsize) <= MAX_SHARED_BYTES
                 and staged_registers(tiling, head_dim, chunk, itemsize) <= MAX_STAGED), None)


def forward_shared_bytes(tiling, head_dim, itemsize):
    """Shared memory of the forward kernel: K^T/Q^T/P^T and V/the row maxima (module doc), with
    ``score_chunk``'s chunk (the whole d, too big, when none fits)."""
    chunk = score_chunk(tiling, head_dim, itemsize) or padded_head_dim(head_dim, tiling)
    return _bytes(tiling, head_dim, chunk, itemsize)


def forward_tiling(dtype, head_dim, simulated=SIMULATOR):
    """The largest tiling with a chunk of d (``score_chunk``): shared memory in 48 KiB, staged K,
    Q and V in MAX_STAGED registers.

    Under the simulator SIMULATED_TILING instead, so that whole-model tests stay fast;
    tests/kernels runs the others explicitly.
    """
    if simulated:
        return SIMULATED_TILING
    itemsize = np.dtype(dtype).itemsize
    return next(t for t in FORWARD_TILINGS if score_chunk(t, head_dim, itemsize))


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
def fetch_rows(src, b, h, row0, col0, regs, tid, nthreads, depth, width, scale, zero):
    """regs <- this thread's share of scale * src[b, h, row0:, col0:col0 + depth], zero past
    src's edges.

    src must have at least one row (the host does not launch for zero keys).

    Item ``slot`` (see ``item``) is head-dim column col0 + d of the ``width`` rows from
    row0 + g * width: consecutive threads read consecutive columns (one stretch of memory a
    warp). Every load is issued before any result is used: all are in flight together.
    """
    rows, cols = src.shape[2], src.shape[3]
    for slot in range(regs.shape[0] // width):
        d, g = item(tid, slot, nthreads, depth)
        for u in range(width):
            i, j = row0 + g * width + u, col0 + d
            # unsigned indices skip numba's negative-index fix-ups; the clamp (rows >= 1) lets
            # every load issue unconditionally, and keeps its address a function of the tile
            value = src[uint32(b), uint32(h), uint32(min(i, rows - 1)), uint32(min(j, cols - 1))]
            regs[slot * width + u] = value * scale if i < rows and j < cols else zero


@jit_device
def stash_transposed(regs, tile, row0, tid, nthreads, depth, width, groups):
    """Store ``fetch_rows``' registers transposed and swizzled from row ``row0`` of the tile:
    row r, column d -> tile[row0 + d, ...]."""
    for slot in range(regs.shape[0] // width):
        d, g = item(tid, slot, nthreads, depth)
        column = swizzle(g, d, groups) * width
        for u in range(width):
            tile[row0 + d, column + u] = regs[slot * width + u]


@jit_device
def stash_rows(regs, tile, tid, nthreads, depth, width):
    """Store ``fetch_rows``' registers as they are: row r, column d -> tile[r, d]."""
    for slot in range(regs.shape[0] // width):
        d, g = item(tid, slot, nthreads, depth)
        for u in range(width):
            tile[g * width + u, d] = regs[slot * width + u]


# ----------------------------------------------------------------------------- the kernel

@lru_cache(maxsize=None)
def forward_kernel(dtype, head_dim, causal, masked, tiling, chunk=None):
    """The forward kernel for a dtype, head dim, mask kind and ForwardTiling (module doc), with S
    accumulated over ``chunk`` columns of d at a time (default: ``score_chunk``'s, else all)."""
    BR, BC, TR, TC = tiling
    NTX, NTY = BC // TC, BR // TR          # threads along the keys and along the query rows
    NT = NTX * NTY
    SHIFT = NTX.bit_length() - 1
    D = head_dim
    DP = padded_head_dim(D, tiling)
    DC = chunk or score_chunk(tiling, D, np.dtype(dtype).itemsize) or DP
    if not chunk_fits(tiling, D, DC):
        raise ValueError(f"attention forward: a chunk of {DC} columns does not divide d={D} "
                         f"(padded to {DP}) into whole VEC groups and load slots of {tiling}")
    NCHUNK = DP // DC
    QROW = q_row(tiling, D, DC)            # skp: K^T chunk, P^T from row 0, Q^T from QROW
    DJ = DP // NTX                         # O columns a thread owns
    shapes, staged = shared_words(tiling, D, DC), staged_values(tiling, D, DC)
    SKP, SV = shapes["skp"], shapes["sv"]  # sv: V's rows, or enough for the row maxima
    NQ, NK, NV = DC * BR // NT, staged["k"], staged["v"]     # a chunk of Q, of K; V
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
    def score_step(skp, s, rq, rk, tx, ty, g):
        """s += Q^T[d, my rows]^T K^T[d, my keys] for the VEC rows d of group g of the chunk."""
        cq, ck = swizzle(ty, g * VEC, NTY) * TR, swizzle(tx, g * VEC, NTX) * TC
        for u in range(VEC):
            for i in range(TR):          # unsigned: no negative-index fix-ups on the row
                rq[i] = skp[uint32(QROW + g * VEC + u), cq + i]
            for j in range(TC):
                rk[j] = skp[uint32(g * VEC + u), ck + j]
            for i in range(TR):
                for j in range(TC):
                    s[i, j] += rq[i] * rk[j]

    @jit_device
    def weigh_key(skp, sv, acc, rp, rv, tx, cp, key):
        """acc += P[my rows, key] V[key, my columns]."""
        for i in range(TR):
            rp[i] = skp[key, cp + i]
        for j in range(DJ):
            rv[j] = sv[key, tx * DJ + j]
        for i in range(TR):
            for j in range(DJ):
                acc[i, j] += rp[i] * rv[j]

    @jit_device
    def weigh_step(skp, sv, acc, rp, rv, tx, ty, g):
        """acc += P[my rows, keys] V[keys, my columns] for the VEC (= 4) keys of group g: a call a
        key, so that NVVM unrolls all four also at d=128 (a loop over them it left rolled)."""
        cp = swizzle(ty, g * VEC, NTY) * TR
        weigh_key(skp, sv, acc, rp, rv, tx, cp, uint32(g * VEC))
        weigh_key(skp, sv, acc, rp, rv, tx, cp, uint32(g * VEC + 1))
        weigh_key(skp, sv, acc, rp, rv, tx, cp, uint32(g * VEC + 2))
        weigh_key(skp, sv, acc, rp, rv, tx, cp, uint32(g * VEC + 3))

    @jit_kernel(NT)
    def attention_forward(q, k, v, mask, scale, o, lse):
        skp = cuda.shared.array(SKP, ntype)
        sv = cuda.shared.array(SV, ntype)
        qreg = cuda.local.array(NQ, ntype)                # the next chunk of Q, staged
        kreg = cuda.local.array(NK, ntype)                # ... of K
        vreg = cuda.local.array(NV, ntype)                # the key tile's V
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

        q_scale = scale * ntype(LOG2E)
        fetch_rows(q, b, h, q0, 0, qreg, tid, NT, DC, TR, q_scale, zero)
        if NCHUNK == 1:                        # Q^T whole, stored once: before K is staged
            stash_transposed(qreg, skp, QROW, tid, NT, DC, TR, NTY)
        fetch_rows(k, b, h, 0, 0, kreg, tid, NT, DC, TC, one, zero)
        for i in range(TR):
            m[i] = neg_inf
            l[i] = zero
            for j in range(DJ):
                acc[i, j] = zero
        for k0 in range(0, min(nk, q0 + BR) if causal else nk, BC):
            # S = (scale log2(e) Q) K^T: outer products over d, VEC rows of Q^T, K^T at a time,
            # DC rows (a chunk) in shared memory at a time
            for i in range(TR):
                for j in range(TC):
                    s[i, j] = zero
            for c in range(NCHUNK):
                cuda.syncthreads()             # the last tile's P and V, or the last chunk, read
                stash_transposed(kreg, skp, 0, tid, NT, DC, TC, NTX)
                if NCHUNK > 1:
                    stash_transposed(qreg, skp, QROW, tid, NT, DC, TR, NTY)
                cuda.syncthreads()
                last = c == NCHUNK - 1         # then the next tile's first chunk
                column = 0 if last else (c + 1) * DC
                fetch_rows(k, b, h, k0 + BC if last else k0, column, kreg, tid, NT, DC, TC, one,
                           zero)
                if NCHUNK > 1:
                    fetch_rows(q, b, h, q0, column, qreg, tid, NT, DC, TR, q_scale, zero)
                else:                          # this tile's V, stored after the softmax
                    fetch_rows(v, b, h, k0, 0, vreg, tid, NT, DP, TC, one, zero)
                for g in range(DC // VEC):
                    score_step(skp, s, rq, rk, tx, ty, g)
            if NCHUNK > 1:                     # V after S: 32 more registers in the S loop spill
                fetch_rows(v, b, h, k0, 0, vreg, tid, NT, DP, TC, one, zero)
            # mask; each row's maximum over the thread's keys, to the row's other threads
            ### BEGIN SOLUTION 6.9: the online softmax of this key tile: mask S, each row's new maximum (the row's threads exchange theirs through sv), P = exp2(S - m) with fully masked rows giving 0, l and the accumulator rescaled by exp2(m_old - m_new)
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
            ### END SOLUTION
            cuda.syncthreads()                 # K^T and the maxima are read
            for j in range(TC):                # P^T, swizzled as K^T is
                key = tx * TC + j
                for i in range(TR):
                    skp[key, swizzle(ty, key, NTY) * TR + i] = s[i, j]
            stash_rows(vreg, sv, tid, NT, DP, TC)
            cuda.syncthreads()
            # O += P V: outer products over the tile's keys, VEC at a time
            for g in range(BC // VEC):
                weigh_step(skp, sv, acc, rp, rv, tx, ty, g)

        ### BEGIN SOLUTION 6.9: the end: each row's sum l from its threads (through sv), o = acc / l for the rows and columns in range (0 for a fully masked row), and the row's log-sum-exp in lse (natural log; +inf when fully masked)
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
        ### END SOLUTION

    return attention_forward
