r"""The fused attention backward kernel (kernels/attention.py has the method and the host side).

A block owns BT keys of one (batch, head): their K and V stay in shared memory, their dK and dV
accumulate in registers, and the block walks over the queries BQ at a time. Per query step,
three products, each with its own thread layout so that every shared read is a contiguous run
(``LDS.128``: four float32 for one issue slot, as in the forward)::

  1. S^T, dP^T (BT x BQ)   thread: TK keys x 1 query    reads K^T, V^T (swizzled), Q, dO rows
     P = exp2(S - L), dS = P (dP - D)  ->  P, dS rows (BQ x BT) in shared memory
  2. dV += P^T dO, dK += dS^T Q        thread: TK keys x DJ dims     reads P, dS, dO, Q rows
  3. dQ = dS K (to global, atomics)    thread: 1 query x DQ dims     reads dS rows, K^T

Shared memory (48 KiB at d=64, 88 KiB at d=128, BT=64, BQ=16, float32): K^T and V^T (DP x BT,
transposed and swizzled as the forward's K^T), Q and dO (BQ x DP rows), P and dS (BQ x BT
rows), views at fixed offsets of one *dynamic* shared buffer (``shared_view``). A block's
static shared memory stops at 48 KiB; dynamic shared memory goes further once the kernel opts
in, which ``launch`` does (kernels/_numba.py). So d=128 keeps d=64's 64-key tiles and 256
threads, each thread's dK and dV (4 x 8 each) in registers; within 48 KiB it had 32 keys and
128 threads, at an estimated 0.8x the composite's speed (now 1.1x). 64-row key tiles also make
each dQ element receive Nk/64 atomic adds instead of Nk/32.

*Register staging*: the next query step's Q, dO, L and D are loaded into registers before the
current step's arithmetic and stored to shared memory after it, so that all of a thread's loads
are in flight together while the FFMAs run.

*exp2*: Q is staged scaled by scale * log2(e), so that S comes out in base 2 and P = exp2(S - L
log2 e) is one ``MUFU.EX2``. dK = scale dS^T Q is then the accumulated dS^T (scale log2(e) Q)
times ln 2; dQ = scale dS K.
"""
import math
from collections import namedtuple
from functools import lru_cache

from numba import uint32

from kernels._numba import (SHARED_ALIGNMENT, cdiv, cuda, jit_device, jit_kernel, numba_type,
                            shared_view)
from kernels.attention_forward import (LOG2E, VEC, fetch_rows, stash_rows, stash_transposed,
                                       swizzle, visible)

#: BT keys a block, BQ queries a step, TK keys a thread (BT / TK a power of 2, >= 4; BQ even:
#: the loops take several steps a trip, four VEC groups of d in the S loop, which
#: ``backward_head_dim`` makes whole); the block has (BT / TK) * BQ threads.
BackwardTiling = namedtuple("BackwardTiling", "bt bq tk")

#: Largest first: 256 threads up to d=128 in float32 (88 KiB of shared memory at d=128) and up
#: to d=64 in float64 (96 KiB); 128 threads where a GPU allows only 48 KiB; 64, a key a thread,
#: for float64 past d=64.
BACKWARD_TILINGS = (BackwardTiling(64, 16, 4), BackwardTiling(32, 8, 2), BackwardTiling(8, 8, 1))
#: Most (32-bit) registers a thread may spend on its dK and dV accumulators (4 x 16 each, with
#: 64 threads at d=128, spilled).
MAX_ACCUMULATORS = 64
#: The tiling of the simulator (a Python thread per CUDA thread): 16 threads.
SIMULATED_BACKWARD_TILING = BackwardTiling(8, 4, 2)


def backward_threads(tiling):
    """Threads of a block of the backward kernel."""
    bt, bq, tk = tiling
    return bt // tk * bq


def backward_head_dim(head_dim, tiling):
    """d rounded up so that every thread layout of the module doc divides it (zeros past d)."""
    bt, bq, tk = tiling
    unit = max(VEC * (bt // tk), bq * tk)      # dQ: whole swizzle groups a thread
    return cdiv(head_dim, unit) * unit


def backward_accumulators(tiling, head_dim, itemsize):
    """32-bit registers a thread holds its dK and dV in."""
    bt, bq, tk = tiling
    return 2 * tk * backward_head_dim(head_dim, tiling) // bq * itemsize // 4


def backward_shared_arrays(tiling, head_dim):
    """{name: shape} of the backward kernel's shared arrays, in the order they lie in its
    dynamic shared memory (module doc); every one a whole number of 16-byte rows."""
    bt, bq, tk = tiling
    dp = backward_head_dim(head_dim, tiling)
    return {"sp": (bq, bt), "sds": (bq, bt), "sk": (dp, bt), "sv": (dp, bt), "sq": (bq, dp),
            "sdo": (bq, dp)}


def backward_shared_bytes(tiling, head_dim, itemsize):
    """Shared memory of the backward kernel: K^T, V^T, Q, dO, P and dS."""
    return sum(math.prod(shape) for shape in backward_shared_arrays(tiling, head_dim).values()) \
        * itemsize


@lru_cache(maxsize=None)
def backward_kernel(dtype, head_dim, causal, masked, tiling):
    """The backward kernel for a dtype, head dim, mask kind and BackwardTiling (module doc)."""
    BT, BQ, TK = tiling
    NKG = BT // TK                          # key groups: threads along the keys
    if BT % TK or NKG < 4 or NKG & (NKG - 1) or BQ % 2:
        raise ValueError(f"attention backward: tiling {tiling} needs BT / TK a power of 2 >= 4 "
                         f"and BQ even")
    NT = NKG * BQ
    SHIFT = NKG.bit_length() - 1
    D = head_dim
    DP = backward_head_dim(D, tiling)
    DJ = DP // BQ                           # dK, dV columns a thread owns
    DQ = DP // NKG                          # dQ columns a thread owns
    NSTAGE = BQ * DP // NT                  # Q (and dO) values a thread stages
    NKV = BT * DP // NT                     # K (and V) values a thread loads, once
    ntype = numba_type(dtype)
    zero, one, ln2 = ntype(0), ntype(1), ntype(math.log(2))
    views, offset = {}, 0
    for name, shape in backward_shared_arrays(tiling, D).items():
        views[name], offset = shared_view(ntype, offset, shape), offset + math.prod(shape)
    P_VIEW, DS_VIEW, K_VIEW, V_VIEW = views["sp"], views["sds"], views["sk"], views["sv"]
    Q_VIEW, DO_VIEW = views["sq"], views["sdo"]
    log2e, pos_inf = ntype(LOG2E), ntype(math.inf)

    @jit_device
    def score_step(sk, sv, sq, sdo, s, dp, ra, rb, rc, rd, kg, tq, g):
        """s += K^T[d, my keys] Q[tq, d], dp += V^T[d, my keys] dO[tq, d]: the VEC d of group g."""
        for u in range(VEC):
            rc[u] = sq[tq, uint32(g * VEC + u)]
            rd[u] = sdo[tq, uint32(g * VEC + u)]
        column = swizzle(kg, g * VEC, NKG) * TK          # the same for the VEC rows
        for u in range(VEC):
            for i in range(TK):
                ra[i] = sk[uint32(g * VEC + u), uint32(column + i)]
                rb[i] = sv[uint32(g * VEC + u), uint32(column + i)]
            for i in range(TK):
                s[i] += ra[i] * rc[u]
                dp[i] += rb[i] * rd[u]

    @jit_device
    def weigh_step(sp, sds, sq, sdo, dk_acc, dv_acc, ra, rb, re, rf, kg, tq, r):
        """dv_acc += P[r, my keys]^T dO[r, my dims], dk_acc += dS[r, my keys]^T Q[r, my dims]."""
        for i in range(TK):
            ra[i] = sp[r, uint32(kg * TK) + uint32(i)]
            rb[i] = sds[r, uint32(kg * TK) + uint32(i)]
        for j in range(DJ):
            re[j] = sdo[r, uint32(tq * DJ) + uint32(j)]
            rf[j] = sq[r, uint32(tq * DJ) + uint32(j)]
        for i in range(TK):
            for j in range(DJ):
                dv_acc[i, j] += ra[i] * re[j]
                dk_acc[i, j] += rb[i] * rf[j]

    @jit_device
    def query_step(sds, sk, dq_acc, ra, rb, kg, tq, g):
        """dq_acc += dS[tq, keys of group g] K[those keys, my dims]."""
        for u in range(TK):
            ra[u] = sds[tq, uint32(g * TK + u)]
        for j in range(DQ):
            column = uint32(swizzle(g, kg * DQ + j // VEC * VEC, NKG) * TK)   # one per VEC dims
            for u in range(TK):
                rb[u] = sk[uint32(kg * DQ + j), column | uint32(u)]
            for u in range(TK):
                dq_acc[j] += ra[u] * rb[u]

    @jit_kernel(NT)
    def attention_backward(q, k, v, mask, do, lse, delta, scale, dq, dk, dv):
        smem = cuda.shared.array(0, ntype, alignment=SHARED_ALIGNMENT)
        sp = P_VIEW(smem)                                 # P   [query, key]
        sds = DS_VIEW(smem)                               # dS  [query, key]
        sk = K_VIEW(smem)                                 # K^T, swizzled
        sv = V_VIEW(smem)                                 # V^T, swizzled
        sq = Q_VIEW(smem)                                 # scale log2(e) Q of the query step
        sdo = DO_VIEW(smem)                               # dO
        kvreg = cuda.local.array(NKV, ntype)
        qreg = cuda.local.array(NSTAGE, ntype)            # the next step's Q, staged
        doreg = cuda.local.array(NSTAGE, ntype)           # ... and its dO
        s = cuda.local.array(TK, ntype)                   # S^T of (my keys, my query), then P
        dp = cuda.local.array(TK, ntype)                  # dP^T
        dk_acc = cuda.local.array((TK, DJ), ntype)
        dv_acc = cuda.local.array((TK, DJ), ntype)
        dq_acc = cuda.local.array(DQ, ntype)
        ra = cuda.local.array(TK, ntype)
        rb = cuda.local.array(TK, ntype)
        rc = cuda.local.array(VEC, ntype)
        rd = cuda.local.array(VEC, ntype)
        re = cuda.local.array(DJ, ntype)
        rf = cuda.local.array(DJ, ntype)
        tid = cuda.threadIdx.x
        kg, tq = uint32(tid & (NKG - 1)), uint32(tid >> SHIFT)    # key group; query or dims
        c0, h, b = cuda.blockIdx.x * BT, uint32(cuda.blockIdx.y), uint32(cuda.blockIdx.z)
        nq, nk = q.shape[2], k.shape[2]

        fetch_rows(k, b, h, c0, 0, kvreg, tid, NT, DP, TK, one, zero)
        stash_transposed(kvreg, sk, 0, tid, NT, DP, TK, NKG)
        fetch_rows(v, b, h, c0, 0, kvreg, tid, NT, DP, TK, one, zero)
        stash_transposed(kvreg, sv, 0, tid, NT, DP, TK, NKG)
        for i in range(TK):
            for j in range(DJ):
                dk_acc[i, j] = zero
                dv_acc[i, j] = zero
        first = c0 - c0 % BQ if causal else 0              # earlier queries see none of the keys
        fetch_rows(q, b, h, first, 0, qreg, tid, NT, DP, 1, scale * log2e, zero)
        fetch_rows(do, b, h, first, 0, doreg, tid, NT, DP, 1, one, zero)
        row = min(first + tq, nq - 1)
        l_next, d_next = lse[b, h, uint32(row)], delta[b, h, uint32(row)]
        for r0 in range(first, nq, BQ):
            cuda.syncthreads()                 # the last step's Q, dO, P and dS are read
            stash_rows(qreg, sq, tid, NT, DP, 1)
            stash_rows(doreg, sdo, tid, NT, DP, 1)
            l_row = l_next * log2e if r0 + tq < nq else pos_inf      # P = 0 past the last query
            d_row = d_next
            cuda.syncthreads()
            fetch_rows(q, b, h, r0 + BQ, 0, qreg, tid, NT, DP, 1, scale * log2e, zero)
            fetch_rows(do, b, h, r0 + BQ, 0, doreg, tid, NT, DP, 1, one, zero)
            row = min(r0 + BQ + tq, nq - 1)
            l_next, d_next = lse[b, h, uint32(row)], delta[b, h, uint32(row)]
            # 1. S^T = K (scale log2(e) Q)^T, dP^T = V dO^T for keys kg*TK.., query tq
            for i in range(TK):
                s[i] = zero
                dp[i] = zero
            for g in range(0, DP // VEC, 4):
                score_step(sk, sv, sq, sdo, s, dp, ra, rb, rc, rd, kg, tq, g)
                score_step(sk, sv, sq, sdo, s, dp, ra, rb, rc, rd, kg, tq, g + 1)
                score_step(sk, sv, sq, sdo, s, dp, ra, rb, rc, rd, kg, tq, g + 2)
                score_step(sk, sv, sq, sdo, s, dp, ra, rb, rc, rd, kg, tq, g + 3)
            for i in range(TK):
                p = zero
                if visible(mask, b, h, r0 + tq, c0 + kg * TK + i, nq, nk, causal, masked):
                    p = math.exp2(s[i] - l_row)
                sp[tq, kg * TK + i] = p
                sds[tq, kg * TK + i] = p * (dp[i] - d_row)
            cuda.syncthreads()
            # 2. dV += P^T dO, dK += dS^T (scale log2(e) Q): keys kg*TK.., dims tq*DJ..
            for r in range(0, BQ, 2):
                weigh_step(sp, sds, sq, sdo, dk_acc, dv_acc, ra, rb, re, rf, kg, tq, r)
                weigh_step(sp, sds, sq, sdo, dk_acc, dv_acc, ra, rb, re, rf, kg, tq, r + 1)
            # 3. dQ = scale dS K for query tq, dims kg*DQ..: atomics (kernels/attention.py)
            for j in range(DQ):
                dq_acc[j] = zero
            for g in range(0, NKG, 4):
                query_step(sds, sk, dq_acc, ra, rb, kg, tq, g)
                query_step(sds, sk, dq_acc, ra, rb, kg, tq, g + 1)
                query_step(sds, sk, dq_acc, ra, rb, kg, tq, g + 2)
                query_step(sds, sk, dq_acc, ra, rb, kg, tq, g + 3)
            if r0 + tq < nq:
                for j in range(DQ):
                    if kg * DQ + j < D:
                        cuda.atomic.add(dq, (b, h, r0 + tq, kg * DQ + j), dq_acc[j] * scale)

        for i in range(TK):
            key = c0 + kg * TK + i
            for j in range(DJ):
                if key < nk and tq * DJ + j < D:
                    dk[b, h, key, tq * DJ + j] = dk_acc[i, j] * ln2
                    dv[b, h, key, tq * DJ + j] = dv_acc[i, j]

    return attention_backward
