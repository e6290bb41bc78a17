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
         BM | s|  -->   | . t . . t . . .  |   thread t owns rows  ty, ty+16, ..., ty+112
        128 | l|        | . . . . . . . .  |   and columns tx, tx+16, ..., tx+112:
            | i|        | . t . . t . . .  |   8 x 8 = 64 accumulators in registers
            | c|        |      C block     |
            | e|        +------------------+
            +---+  a thread reads the TM = 8 rows it owns

   Shared-memory reads per multiply-add fall from 2 to (TM + TN) / (TM * TN) = 1/4, and global
   traffic to M*N*K * (1/BM + 1/BN): each element of A is fetched once per 128 columns of C.
   A thread's outputs are strided by 16 (not 8 adjacent ones), so the 16 threads of a half-warp
   read 16 adjacent shared-memory words (no bank conflicts) and write adjacent addresses of C
   (coalesced). The A slice is stored transposed (k-major) so a thread's TM values of one k lie
   in one shared row; both slices have 4 words of padding per row so that staging them, in
   either operand layout, hits 32 different banks. Loops run over compile-time constants
   (the kernel is built by a factory), so NVVM unrolls them and the 64 accumulators live in
   registers, never in (slow, off-chip) local memory: ``tests/kernels/test_compile.py`` checks
   the PTX for that.

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


def choose_tiling(m, n, batch, simulated=SIMULATOR):
    """LARGE tiles when they still make >= 256 blocks (two waves on a 132-SM H100), else SMALL.

    Under the simulator, which runs a Python thread per CUDA thread, SIMULATED (16 threads a
    block) keeps whole-model tests fast; tests/kernels runs LARGE and SMALL explicitly.
    """
    if simulated:
        return SIMULATED
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
            ### BEGIN SOLUTION 6.1: stage one element of A and of B in sa, sb (0 past edges), sync, acc += T products, sync
            # each thread stages one element of each tile (zero past the edges) ...
            sa[ty, tx] = a[z, i, k0 + tx] if i < m and k0 + tx < kk else zero
            sb[ty, tx] = b[z, k0 + ty, j] if k0 + ty < kk and j < n else zero
            cuda.syncthreads()
            # ... and uses T of them, read by its neighbours too
            for k in range(T):
                acc += sa[ty, k] * sb[k, tx]
            cuda.syncthreads()
            ### END SOLUTION
        if i < m and j < n:
            c[z, i, j] = acc

    return tiled


@jit_device
def load_tile(src, z, row0, col0, rows, cols, tile, transposed, tid, nthreads, zero):
    """Stage src[z, row0:row0+rows, col0:col0+cols] in shared ``tile``, zero past src's edges.

    The tile gets ``tile[r, c]``, or ``tile[c, r]`` when ``transposed``. Consecutive threads
    take consecutive elements along src's contiguous axis, so a warp reads one stretch of memory.
    """
    along_rows = src.strides[2] <= src.strides[1]
    for e in range(tid, rows * cols, nthreads):
        if along_rows:
            r, c = e // cols, e % cols
        else:
            r, c = e % rows, e // rows
        i, j = row0 + r, col0 + c
        value = src[z, i, j] if i < src.shape[1] and j < src.shape[2] else zero
        if transposed:
            tile[c, r] = value
        else:
            tile[r, c] = value


@lru_cache(maxsize=None)
def register_kernel(dtype, tiling=LARGE):
    """2-D register blocking: a block computes a BM x BN tile of C, each thread TM x TN of it."""
    BM, BN, BK, TM, TN = tiling
    NTX, NTY = BN // TN, BM // TM      # threads along the columns and along the rows of C
    NT = NTX * NTY
    SA, SB = (BK, BM + PAD), (BK, BN + PAD)   # shared shapes: numba needs them as constants
    ntype = numba_type(dtype)
    zero = ntype(0)

    @jit_kernel(NT)
    def register_blocked(a, b, c):
        sa = cuda.shared.array(SA, ntype)      # the A slice, k-major
        sb = cuda.shared.array(SB, ntype)
        acc = cuda.local.array((TM, TN), ntype)
        ra = cuda.local.array(TM, ntype)
        rb = cuda.local.array(TN, ntype)
        tid = cuda.threadIdx.x
        tx, ty = tid % NTX, tid // NTX
        z = cuda.blockIdx.z
        row0, col0 = cuda.blockIdx.y * BM, cuda.blockIdx.x * BN
        for i in range(TM):
            for j in range(TN):
                acc[i, j] = zero
        for k0 in range(0, a.shape[2], BK):
            load_tile(a, z, row0, k0, BM, BK, sa, True, tid, NT, zero)
            load_tile(b, z, k0, col0, BK, BN, sb, False, tid, NT, zero)
            cuda.syncthreads()
            for k in range(BK):
                for i in range(TM):
                    ra[i] = sa[k, ty + i * NTY]
                for j in range(TN):
                    rb[j] = sb[k, tx + j * NTX]
                for i in range(TM):
                    for j in range(TN):
                        acc[i, j] += ra[i] * rb[j]
            cuda.syncthreads()
        for i in range(TM):
            row = row0 + ty + i * NTY
            for j in range(TN):
                col = col0 + tx + j * NTX
                if row < c.shape[1] and col < c.shape[2]:
                    c[z, row, col] = acc[i, j]

    return register_blocked


# ----------------------------------------------------------------------------- host side

def _kernel_and_shape(kind, dtype, m, n, batch, tiling, tile):
    """The kernel for ``kind`` with its (grid x, grid y) and block shapes for an M x N output."""
    if kind == "naive":
        return naive_kernel(dtype), (cdiv(n, tile), cdiv(m, tile)), (tile, tile)
    if kind == "tiled":
        return tiled_kernel(dtype, tile), (cdiv(n, tile), cdiv(m, tile)), (tile, tile)
    if kind == "register":
        tiling = Tiling(*tiling) if tiling else choose_tiling(m, n, batch)
        grid = (cdiv(n, tiling.bn), cdiv(m, tiling.bm))
        return register_kernel(dtype, tiling), grid, threads(tiling)
    raise ValueError(f"kernel must be 'naive', 'tiled' or 'register', not {kind!r}")


def matmul3d(a, b, out, kernel="register", tiling=None, tile=TEACHING_TILE):
    """out[z] = a[z] @ b[z] for 3-D views (Z, M, K) and (Z, K, N), any strides; out is (Z, M, N)."""
    batch, m, n = out.shape
    if out.size == 0:
        return out
    fn, grid, block = _kernel_and_shape(kernel, out.dtype, m, n, batch, tiling, tile)
    for z0 in range(0, batch, MAX_GRID_YZ):
        part = slice(z0, z0 + MAX_GRID_YZ)
        launch(fn, grid + (min(MAX_GRID_YZ, batch - z0),), block, a[part], b[part], out[part])
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
    lead = x.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape)
                                       if s == 1 and x.shape[lead + i] != 1)
    return x.sum(axis=axes).reshape(shape) if axes else x


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
