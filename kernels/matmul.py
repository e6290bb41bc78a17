r"""Matrix multiplication C = A @ B on the GPU, three ways, from a lesson's first try to production.

Every kernel multiplies a batch: ``a`` is (Z, M, K), ``b`` is (Z, K, N), ``c`` is (Z, M, N), and
``blockIdx.z`` picks the matrix. Operands are strided views, so a transposed operand (``x.T``)
or one broadcast over the batch (stride 0) costs no copy: the kernel reads through the strides.

1. ``naive``: one thread per output element::

        c[z, i, j] = sum_k a[z, i, k] * b[z, k, j]        (threadIdx.x runs along j)

   Each output reads a whole row of A and column of B from global memory: 2*M*N*K loads for
   M*N*K multiply-adds. Neighbouring threads share the A row, and the caches catch some of
   that reuse, but the kernel is bound by memory traffic, not arithmetic.

2. ``tiled``: a block of T x T threads computes a T x T tile of C. It walks along K in steps
   of T; at each step the block copies one T x T tile of A and one of B into shared memory
   (one element per thread), waits, and every thread adds T products from the tiles::

                  B  ->  [ B tile ]  (T x T, shared)
        A  ->  [ A tile ] [ C tile ]
                (T x T)    each thread: one element, sum over k of A[i, k] * B[k, j]

   Every element fetched from global memory is used T times, so global traffic drops T-fold,
   to 2*M*N*K / T. But each multiply-add still reads two numbers from shared memory, and
   shared memory, not arithmetic, now sets the speed.

3. ``register`` (production): 2-D register blocking. A block of 256 threads owns a
   BM x BN = 128 x 128 tile of C, and each thread owns TM x TN = 8 x 8 outputs of it, kept in
   registers. Per step of BK = 8 along K, the block stages a BM x BK slice of A and a BK x BN
   slice of B in shared memory; then, for each k of the slice, a thread loads TM numbers of A
   and TN of B into registers and does all TM * TN = 64 multiply-adds between them (an outer
   product)::

                              BN = 128
                        +------------------+
               BK = 8   |  B slice (shared)|   a thread reads the TN = 8 columns it owns
                        +------------------+
            +---+       +------------------+
            | A |       | . . . . . . . .  |
         BM | s|  -->   | . t t . . t t .  |   thread t owns rows ty*8 .. ty*8+7 and
        128 | l|        | . t t . . t t .  |   columns tx*4 .. tx*4+3 and 64+tx*4 .. +3:
            | i|        | . . . . . . . .  |   8 x 8 = 64 accumulators in registers
            | c|        |      C block     |
            | e|        +------------------+
            +---+  a thread reads the TM = 8 rows it owns

   Shared-memory reads per multiply-add fall from 2 to (TM + TN) / (TM * TN) = 1/4, and global
   traffic to M*N*K * (1/BM + 1/BN): each element of A is fetched once per 128 columns of C.
   The A slice is stored transposed (k-major) so a thread's TM values of one k lie in one
   shared row. What makes it fast is read off the machine code (``python -m kernels.ptx``,
   ``kernels/sass.py``); each of these changes bought issue slots or hid latency:

   - **Contiguous fragments.** A thread's 8 rows are adjacent, and its columns come in groups
     of 4 adjacent ones, so ptxas reads them with 128-bit shared loads (``LDS.128``: 4 numbers
     an instruction, 4 loads per k instead of 16). A quarter-warp's 8 threads read 128
     adjacent bytes of B: no bank conflicts. Rows of both slices are padded by 4 words, which
     keeps them 16-byte aligned and makes staging hit 32 different banks.
   - **The K slice unrolled.** NVVM does not unroll a loop whose body is 64 FMAs; a chain of
     inlined device functions with a constant k (``k_slice``) does, so every shared address is
     a register plus a constant and the loop counter disappears.
   - **Register-staged prefetch.** Each thread issues its 8 global loads of the *next* slice
     into registers before multiplying the current one, and stores them to shared memory
     after: the loads are in flight together, hidden behind ~500 instructions of arithmetic,
     instead of one at a time.
   - **An interior path.** Tiles wholly inside C, with K a multiple of BK (most of them),
     run a copy of the loop without bounds tests; thread coordinates are bit operations.

   In the K-step loop that leaves 512 FFMA of about 850 instructions (60%; it was 45% of a
   loop that did one k, with the loads serialised). ``tests/kernels/test_machine_code.py``
   holds it there, and that no kernel spills.

   Small problems, whose 128 x 128 tiles would leave most of the GPU idle, get 64 x 64 tiles of
   4 x 4 outputs per thread (also 256 threads): see ``choose_tiling``.

Host functions: ``matmul(a, b)`` has numpy.matmul's semantics (1-D operands, batch broadcasting);
``matmul_backward(a, b, grad)`` returns its gradients with the same kernels.
"""
import math
from collections import namedtuple
from functools import lru_cache

import numpy as np

from kernels._numba import (MAX_GRID_YZ, SIMULATOR, array_module, cdiv, check_arrays, cuda,
                            float_dtype, jit_device, jit_kernel, launch, numba_type)

#: The register kernel's shape: a BM x BN block tile, BK-deep K steps, TM x TN outputs a thread.
Tiling = namedtuple("Tiling", "bm bn bk tm tn")

LARGE = Tiling(128, 128, 8, 8, 8)   # 16 x 16 = 256 threads
SMALL = Tiling(64, 64, 8, 4, 4)     # 16 x 16 = 256 threads
SIMULATED = Tiling(16, 16, 8, 4, 4)  # 4 x 4 = 16 threads: the default under the simulator
TEACHING_TILE = 16                  # the naive and tiled kernels: 16 x 16 threads a block
PAD = 4                             # words of padding per shared row (bank conflicts, above)


def threads(tiling):
    """Threads per block of the register kernel: one per TM x TN micro-tile of the block tile."""
    return (tiling.bm // tiling.tm) * (tiling.bn // tiling.tn)


def choose_tiling(m, n, batch, simulated=SIMULATOR, dtype=np.float32):
    """LARGE tiles when they still make >= 256 blocks (two waves on a 132-SM H100), else SMALL.

    float64 always gets SMALL: LARGE's 64 accumulators would take 128 of the 255 registers a
    thread may have, and with the next slice staged and a K slice's shared reads in flight,
    ptxas spills (sm_90). Under the simulator, which runs a Python thread per CUDA thread,
    SIMULATED (16 threads a block) keeps whole-model tests fast; tests/kernels runs LARGE and
    SMALL explicitly.
    """
    if simulated:
        return SIMULATED
    if np.dtype(dtype).itemsize > 4:
        return SMALL
    return LARGE if cdiv(m, LARGE.bm) * cdiv(n, LARGE.bn) * batch >= 256 else SMALL


# ----------------------------------------------------------------------------- kernels

@lru_cache(maxsize=None)
def naive_kernel(dtype):
    """One thread per output: c[z, i, j] = sum_k a[z, i, k] * b[z, k, j]."""
    zero = numba_type(dtype)(0)

    @jit_kernel()
    def naive(a, b, c):
        j, i = cuda.grid(2)
        z = cuda.blockIdx.z
        if i < c.shape[1] and j < c.shape[2]:
            acc = zero
            for k in range(a.shape[2]):
                acc += a[z, i, k] * b[z, k, j]
            c[z, i, j] = acc

    return naive


@lru_cache(maxsize=None)
def tiled_kernel(dtype, tile=TEACHING_TILE):
    """A tile x tile block: A and B pass through shared memory a tile x tile square at a time."""
    T = tile
    ntype = numba_type(dtype)
    zero = ntype(0)

    @jit_kernel(T * T)
    def tiled(a, b, c):
        ### BEGIN SOLUTION 6.1: the tiled kernel: thread (ty, tx) computes its c[z, i, j], A and B staged in shared memory a T x T tile at a time, any shapes
        sa = cuda.shared.array((T, T), ntype)
        sb = cuda.shared.array((T, T), ntype)
        tx = cuda.threadIdx.x
        ty = cuda.threadIdx.y
        i = cuda.blockIdx.y * T + ty
        j = cuda.blockIdx.x * T + tx
        z = cuda.blockIdx.z
        m, kk, n = a.shape[1], a.shape[2], b.shape[2]
        acc = zero
        for k0 in range(0, kk, T):
            # each thread stages one element of each tile (zero past the edges) ...
            sa[ty, tx] = a[z, i, k0 + tx] if i < m and k0 + tx < kk else zero
            sb[ty, tx] = b[z, k0 + ty, j] if k0 + ty < kk and j < n else zero
            cuda.syncthreads()
            # ... and uses T of them, read by its neighbours too
            for k in range(T):
                acc += sa[ty, k] * sb[k, tx]
            cuda.syncthreads()
        if i < m and j < n:
            c[z, i, j] = acc
        ### END SOLUTION

    return tiled


@jit_device
def fetch(src, z, row0, col0, rows, cols, along_cols, out, tid, nthreads, checked, zero):
    """Load this thread's share of src[z, row0:row0+rows, col0:col0+cols] into registers ``out``.

    Element e of the slice goes to thread e % nthreads; e runs along src's contiguous axis
    (``along_cols``: the columns), so a warp reads one stretch of memory. ``checked`` (a
    constant) reads zero past src's edges; interior slices skip the tests. Every load is issued
    before any result is used: they are all in flight together.
    """
    ### BEGIN SOLUTION 6.5: fetch: this thread's elements of the slice into out[slot], in the order the docstring gives, zero past src's edges when checked
    for slot in range(out.shape[0]):
        e = tid + slot * nthreads
        r, c = (e // cols, e % cols) if along_cols else (e % rows, e // rows)
        i, j = row0 + r, col0 + c
        if checked:
            out[slot] = src[z, i, j] if i < src.shape[1] and j < src.shape[2] else zero
        else:
            out[slot] = src[z, i, j]
    ### END SOLUTION


@jit_device
def stash(values, tile, rows, cols, along_cols, transposed, tid, nthreads):
    """Store what ``fetch`` loaded in shared ``tile``: tile[r, c], or tile[c, r] if transposed."""
    ### BEGIN SOLUTION 6.5: stash: put each value fetch loaded at its place (r, c) of the slice in the shared tile, or at (c, r) when transposed
    for slot in range(values.shape[0]):
        e = tid + slot * nthreads
        r, c = (e // cols, e % cols) if along_cols else (e % rows, e // rows)
        if transposed:
            tile[c, r] = values[slot]
        else:
            tile[r, c] = values[slot]
    ### END SOLUTION


def k_slice(tiling):
    """A device function doing the BK = 8 steps of one K slice, unrolled: a call per constant k.

    NVVM does not unroll a loop whose body is 64 FMAs, and numba has no unroll pragma; eight
    inlined calls of ``k_step``, each with a constant k, put the steps one after the other with
    every shared-memory offset a constant. (A chain of closures would do any BK, but numba
    copies each link's whole IR when it inlines it: minutes of compilation.)
    """
    BM, BN, BK, TM, TN = tiling
    W = min(TN, 4)                      # columns of B one (up to 128-bit) shared load reads
    GAP = BN * W // TN                  # columns between a thread's groups of W

    @jit_device
    def k_step(sa, sb, acc, ra, rb, tx, ty, k):
        """acc += outer(sa[k, rows of ty], sb[k, columns of tx]): TM * TN multiply-adds.

        Thread (ty, tx) owns the rows ty * TM + i (i < TM) of the block tile and the columns
        g * GAP + tx * W + j (g < TN / W, j < W): acc[i, g * W + j] is that row and column.
        """
        ### BEGIN SOLUTION 6.6: k_step: read this thread's TM numbers of A and TN of B at step k into ra, rb, then acc += their outer product
        for i in range(TM):
            ra[i] = sa[k, ty * TM + i]
        for g in range(TN // W):
            for j in range(W):
                rb[g * W + j] = sb[k, g * GAP + tx * W + j]
        for i in range(TM):
            for j in range(TN):
                acc[i, j] += ra[i] * rb[j]
        ### END SOLUTION

    @jit_device
    def steps(sa, sb, acc, ra, rb, tx, ty):
        ### BEGIN SOLUTION 6.6: steps: the BK = 8 steps of the slice, unrolled so that every k is a constant
        k_step(sa, sb, acc, ra, rb, tx, ty, 0)
        k_step(sa, sb, acc, ra, rb, tx, ty, 1)
        k_step(sa, sb, acc, ra, rb, tx, ty, 2)
        k_step(sa, sb, acc, ra, rb, tx, ty, 3)
        k_step(sa, sb, acc, ra, rb, tx, ty, 4)
        k_step(sa, sb, acc, ra, rb, tx, ty, 5)
        k_step(sa, sb, acc, ra, rb, tx, ty, 6)
        k_step(sa, sb, acc, ra, rb, tx, ty, 7)
        ### END SOLUTION

    return steps


@lru_cache(maxsize=None)
def register_kernel(dtype, tiling=LARGE):
    """2-D register blocking: a block computes a BM x BN tile of C, each thread TM x TN of it."""
    BM, BN, BK, TM, TN = tiling
    NTX, NTY = BN // TN, BM // TM      # threads along the columns and along the rows of C
    NT = NTX * NTY
    if BK != 8 or (BM * BK) % NT or (BK * BN) % NT or TN % min(TN, 4) or NTX & (NTX - 1):
        raise ValueError(f"tiling {tiling}: BK must be 8 (k_slice), each of the {NT} threads "
                         f"must stage whole elements of both slices, TN must be a multiple of "
                         f"min(TN, 4) and BN / TN a power of two")
    W, GAP = min(TN, 4), BN * min(TN, 4) // TN
    LA, LB = BM * BK // NT, BK * BN // NT     # elements of the A and B slices a thread stages
    SHIFT = NTX.bit_length() - 1              # ty = tid >> SHIFT, tx = tid & (NTX - 1)
    SA, SB = (BK, BM + PAD), (BK, BN + PAD)   # shared shapes: numba needs them as constants
    ntype = numba_type(dtype)
    zero = ntype(0)
    compute = k_slice(tiling)

    @jit_device
    def slices(a, b, sa, sb, acc, ra, rb, ga, gb, z, row0, col0, tid, checked):
        """acc += the block's A rows @ B columns, one K slice at a time, the next one in flight.

        While the block multiplies the slice in shared memory, each thread's loads of the next
        slice (into registers ``ga``, ``gb``) are under way; they go to shared memory after
        the arithmetic. ``checked`` (a constant): test every load against the edges.
        """
        ### BEGIN SOLUTION 6.7: slices: acc += the block's rows of A @ its columns of B, a BK slice at a time, the next slice's loads in flight
        tx, ty = tid & (NTX - 1), tid >> SHIFT
        a_along_k = a.strides[2] <= a.strides[1]
        b_along_n = b.strides[2] <= b.strides[1]
        kk = a.shape[2]
        for k0 in range(0, kk + BK, BK):      # a slice's loads, then the previous slice's math
            # the last trip has no next slice: it loads zeros (checked) or the last one again
            kn = k0 if checked else min(k0, kk - BK)
            fetch(a, z, row0, kn, BM, BK, a_along_k, ga, tid, NT, checked, zero)
            fetch(b, z, kn, col0, BK, BN, b_along_n, gb, tid, NT, checked, zero)
            if k0:
                compute(sa, sb, acc, ra, rb, tx, ty)
                cuda.syncthreads()
            stash(ga, sa, BM, BK, a_along_k, True, tid, NT)
            stash(gb, sb, BK, BN, b_along_n, False, tid, NT)
            cuda.syncthreads()
        ### END SOLUTION

    @jit_kernel(NT)
    def register_blocked(a, b, c):
        ### BEGIN SOLUTION 6.7: the kernel: this thread's TM x TN outputs of the block's BM x BN tile of c, edge tests only where a tile or K is ragged
        sa = cuda.shared.array(SA, ntype)      # the A slice, k-major
        sb = cuda.shared.array(SB, ntype)
        acc = cuda.local.array((TM, TN), ntype)
        ra = cuda.local.array(TM, ntype)
        rb = cuda.local.array(TN, ntype)
        ga = cuda.local.array(LA, ntype)       # the next slices, staged in registers
        gb = cuda.local.array(LB, ntype)
        tid = cuda.threadIdx.x
        z = cuda.blockIdx.z
        m, n = c.shape[1], c.shape[2]
        row0, col0 = cuda.blockIdx.y * BM, cuda.blockIdx.x * BN
        for i in range(TM):
            for j in range(TN):
                acc[i, j] = zero
        # interior tiles (most of them) run a copy of the loop without edge tests
        kk = a.shape[2]
        interior = row0 + BM <= m and col0 + BN <= n and kk > 0 and kk % BK == 0
        if interior:
            slices(a, b, sa, sb, acc, ra, rb, ga, gb, z, row0, col0, tid, False)
        else:
            slices(a, b, sa, sb, acc, ra, rb, ga, gb, z, row0, col0, tid, True)
        rows = row0 + (tid >> SHIFT) * TM
        cols = col0 + (tid & (NTX - 1)) * W
        for i in range(TM):
            for j in range(TN):
                col = cols + (j // W) * GAP + j % W
                if interior or (rows + i < m and col < n):
                    c[z, rows + i, col] = acc[i, j]
        ### END SOLUTION

    return register_blocked


# ----------------------------------------------------------------------------- host side

def _kernel_and_shape(kind, dtype, m, n, batch, tiling, tile):
    """The kernel for ``kind``, the (rows, columns) of C one block computes, and the block shape."""
    if kind == "naive":
        return naive_kernel(dtype), (tile, tile), (tile, tile)
    if kind == "tiled":
        return tiled_kernel(dtype, tile), (tile, tile), (tile, tile)
    if kind == "register":
        tiling = Tiling(*tiling) if tiling else choose_tiling(m, n, batch, dtype=dtype)
        return register_kernel(dtype, tiling), (tiling.bm, tiling.bn), threads(tiling)
    raise ValueError(f"kernel must be 'naive', 'tiled' or 'register', not {kind!r}")


def matmul3d(a, b, out, kernel="register", tiling=None, tile=TEACHING_TILE):
    """out[z] = a[z] @ b[z] for 3-D views (Z, M, K) and (Z, K, N), any strides; out is (Z, M, N).

    The grid is (column tiles, row tiles, batch). CUDA allows at most 65535 blocks along y and z
    (2**31 - 1 along x, which no array here can fill), so batches of more than 65535 matrices
    and more than 65535 row tiles (8.4M rows at 128 a tile) take several launches.
    """
    batch, m, n = out.shape
    if out.size == 0:
        return out
    fn, (bm, bn), block = _kernel_and_shape(kernel, out.dtype, m, n, batch, tiling, tile)
    rows = MAX_GRID_YZ * bm                     # rows of C one launch can cover
    for z0 in range(0, batch, MAX_GRID_YZ):
        zs = slice(z0, z0 + MAX_GRID_YZ)
        for r0 in range(0, m, rows):
            part = (zs, slice(r0, r0 + rows))
            grid = (cdiv(n, bn), cdiv(min(rows, m - r0), bm), min(MAX_GRID_YZ, batch - z0))
            launch(fn, grid, block, a[part], b[zs], out[part])
    return out


def _batched(a, b):
    """numpy.matmul's shape rules: (a, b) as (Z, M, K), (Z, K, N) views, and the result's shape.

    1-D operands become a row (a) or a column (b) and lose that axis in the result. Batch axes
    broadcast; ``reshape`` merges them into one without a copy whenever the strides allow
    (always for one batch axis, and when an operand is broadcast over all of them).
    """
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError("matmul: operands must have at least one dimension")
    xp = array_module(a)
    a2 = a[None, :] if a.ndim == 1 else a
    b2 = b[:, None] if b.ndim == 1 else b
    (m, k), (k2, n) = a2.shape[-2:], b2.shape[-2:]
    if k != k2:
        raise ValueError(f"matmul: shapes {a.shape} and {b.shape} do not match: "
                         f"the last axis of the first ({k}) must equal the second-to-last of "
                         f"the second ({k2})")
    batch = np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
    z = math.prod(batch)
    a3 = xp.broadcast_to(a2, batch + (m, k)).reshape(z, m, k)
    b3 = xp.broadcast_to(b2, batch + (k, n)).reshape(z, k, n)
    shape = batch + (m,) * (a.ndim > 1) + (n,) * (b.ndim > 1)
    return a3, b3, shape


def matmul(a, b, kernel="register", tiling=None, tile=TEACHING_TILE):
    """``numpy.matmul(a, b)`` on the GPU, for float32 and float64 numpy (simulator) or cupy arrays.

    ``kernel`` picks "naive", "tiled" (``tile`` x ``tile`` threads) or "register" (``tiling``, a
    Tiling or 5-tuple; default: ``choose_tiling``). Mixed dtypes promote as numpy does.
    """
    check_arrays(a, b)
    dtype = float_dtype(a, b)
    xp = array_module(a)
    a3, b3, shape = _batched(a.astype(dtype, copy=False), b.astype(dtype, copy=False))
    out = xp.empty((a3.shape[0], a3.shape[1], b3.shape[2]), dtype=dtype)
    return matmul3d(a3, b3, out, kernel, tiling, tile).reshape(shape)


def _sum_to(x, shape):
    """Sum ``x`` over the axes that broadcasting added to an operand of ``shape``."""
    ### BEGIN SOLUTION 6.8: _sum_to: x summed back to shape (the axes broadcasting added or stretched from 1)
    lead = x.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape)
                                       if s == 1 and x.shape[lead + i] != 1)
    return x.sum(axis=axes).reshape(shape) if axes else x
    ### END SOLUTION


def matmul_backward(a, b, grad, kernel="register", tiling=None, tile=TEACHING_TILE):
    """Gradients of ``c = matmul(a, b)`` given ``grad`` = dL/dc: returns (dL/da, dL/db).

    With a as (..., M, K) and b as (..., K, N): dA = grad @ B^T and dB = A^T @ grad, each summed
    over the batch axes its operand was broadcast along. The transposes are strided views (no
    copy). When b has no batch axes (a Linear layer: x @ W), the batch folds into the
    contraction instead, dB = A_flat^T @ grad_flat: one (K x Z*M) @ (Z*M x N) product, with no
    Z x K x N intermediate to sum.
    """
    check_arrays(a, b, grad)
    dtype = float_dtype(a, b, grad)
    a, b, grad = (x.astype(dtype, copy=False) for x in (a, b, grad))
    xp = array_module(a)
    ### BEGIN SOLUTION 6.8: matmul_backward: dA, dB by matmul with the given kernel (1-D operands, broadcast batches, the Linear fold)
    a2 = a[None, :] if a.ndim == 1 else a
    b2 = b[:, None] if b.ndim == 1 else b
    g2 = grad[..., None] if b.ndim == 1 else grad        # put back the axes numpy dropped
    g2 = g2[..., None, :] if a.ndim == 1 else g2
    run = dict(kernel=kernel, tiling=tiling, tile=tile)

    da = matmul(g2, xp.swapaxes(b2, -1, -2), **run)
    if b2.ndim == 2 and g2.ndim > 2:
        db = matmul(a2.reshape(-1, a2.shape[-1]).T, g2.reshape(-1, g2.shape[-1]), **run)
    else:
        db = matmul(xp.swapaxes(a2, -1, -2), g2, **run)
    return _sum_to(da, a2.shape).reshape(a.shape), _sum_to(db, b2.shape).reshape(b.shape)
    ### END SOLUTION
