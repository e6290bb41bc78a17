r"""Row softmax on the GPU, forward and backward: one thread block per row.

For a row x of length n, softmax is y_j = exp(x_j - m) / s with m = max_j x_j and
s = sum_j exp(x_j - m). Subtracting the maximum changes nothing mathematically and keeps
every exp() at most 1, so large scores cannot overflow (the "stable" softmax).

Tiling: the input is viewed as (rows, n); block r owns row r, and its T threads stride over it::

        row r:  x0 x1 x2 x3 x4 x5 x6 x7 x8 x9 ...
        thread: t0 t1 t2 t3 t0 t1 t2 t3 t0 t1 ...      (T = 4 here; 128 in production)

Adjacent threads read adjacent elements (coalesced). Each thread first folds its share into a
running maximum m_t and a running sum s_t *in one pass* (the "online softmax": when a larger
value arrives, the sum so far is rescaled by exp(m_old - m_new)). The block then combines its T
pairs (m_t, s_t) in shared memory by a tree reduction, log2(T) halving steps::

        (m, s) of 8 threads:  a b c d e f g h
        step 1:               ae bf cg dh            pair i with i + 4
        step 2:               aecg bfdh              pair i with i + 2
        step 3:               aecgbfdh  -> (m, s) of the whole row

where combining (m1, s1) with (m2, s2) gives m = max(m1, m2), s = s1 e^(m1-m) + s2 e^(m2-m).
A second pass writes y. Memory traffic: two reads of x and one write of y, against three reads
for the textbook max-pass / sum-pass / write-pass version. The same online trick, on tiles,
is what lets fused attention (attention.py) avoid storing the score matrix at all.

Backward: with y = softmax(x) and dy = dL/dy, dx_j = y_j (dy_j - sum_i dy_i y_i): one block
reduction (the dot product) and one elementwise pass.
"""
import math
from functools import lru_cache

from kernels._numba import (SIMULATOR, array_module, check_arrays, cuda, float_dtype,
                            jit_device, jit_kernel, launch, numba_type)

# threads per row (a power of two, for the tree reduction); fewer under the simulator, which
# runs a Python thread per CUDA thread (tests/kernels runs 128 explicitly)
THREADS = 8 if SIMULATOR else 128


@jit_device
def rescaled(s, m_old, m_new):
    """s * exp(m_old - m_new): a sum taken relative to m_old, re-expressed relative to m_new."""
    return s * math.exp(m_old - m_new) if m_old != m_new else s


@jit_device
def block_max_sum(sm, ss, m, s, tid, nthreads):
    """Combine every thread's (max, sum) pair into the row's, via shared buffers sm and ss."""
    ### BEGIN SOLUTION 6.4: block_max_sum: every thread returns the block's (max, sum) pair, combined by a tree reduction in sm and ss; the buffers may be reused after it returns
    sm[tid] = m
    ss[tid] = s
    cuda.syncthreads()
    step = nthreads // 2
    while step > 0:
        if tid < step:
            m1, m2 = sm[tid], sm[tid + step]
            m = max(m1, m2)
            ss[tid] = rescaled(ss[tid], m1, m) + rescaled(ss[tid + step], m2, m)
            sm[tid] = m
        cuda.syncthreads()
        step //= 2
    m, s = sm[0], ss[0]
    cuda.syncthreads()    # everyone has read the result before the buffers are reused
    return m, s
    ### END SOLUTION


@jit_device
def block_sum(buf, value, tid, nthreads):
    """The sum of every thread's ``value``, by a tree reduction in the shared buffer ``buf``."""
    ### BEGIN SOLUTION 6.4: block_sum: every thread returns the sum of all the threads' values, by a tree reduction in buf; buf may be reused after it returns
    buf[tid] = value
    cuda.syncthreads()
    step = nthreads // 2
    while step > 0:
        if tid < step:
            buf[tid] += buf[tid + step]
        cuda.syncthreads()
        step //= 2
    total = buf[0]
    cuda.syncthreads()
    return total
    ### END SOLUTION


@lru_cache(maxsize=None)
def forward_kernel(dtype, threads=THREADS):
    """y[r] = softmax(x[r]) for each row r of 2-D x; one block of ``threads`` threads a row."""
    ntype = numba_type(dtype)
    zero, one, neg_inf = ntype(0), ntype(1), ntype(-math.inf)

    @jit_kernel(threads)
    def softmax_forward(x, y):
        ### BEGIN SOLUTION 6.2: block r writes y[r] = softmax(x[r]): one online pass over the row for its max and sum (masked -inf entries allowed), block_max_sum, one pass writing y
        sm = cuda.shared.array(threads, ntype)
        ss = cuda.shared.array(threads, ntype)
        r, tid = cuda.blockIdx.x, cuda.threadIdx.x
        m, s = neg_inf, zero
        for j in range(tid, x.shape[1], threads):     # online: running max and rescaled sum
            v = x[r, j]
            if v > m:
                s = rescaled(s, m, v)
                m = v
            if v != neg_inf:       # exp(-inf - m) adds 0; skipping it avoids -inf - -inf = nan
                s += math.exp(v - m)
        m, s = block_max_sum(sm, ss, m, s, tid, threads)
        inv = one / s
        for j in range(tid, x.shape[1], threads):
            y[r, j] = math.exp(x[r, j] - m) * inv
        ### END SOLUTION

    return softmax_forward


@lru_cache(maxsize=None)
def backward_kernel(dtype, threads=THREADS):
    """dx[r] = y[r] * (dy[r] - dot(dy[r], y[r])) for each row r."""
    ntype = numba_type(dtype)
    zero = ntype(0)

    @jit_kernel(threads)
    def softmax_backward(y, dy, dx):
        ### BEGIN SOLUTION 6.3: block r writes dx[r] = y[r] (dy[r] - sum_j dy[r, j] y[r, j]), its threads sharing the row's work
        buf = cuda.shared.array(threads, ntype)
        r, tid = cuda.blockIdx.x, cuda.threadIdx.x
        dot = zero
        for j in range(tid, y.shape[1], threads):
            dot += dy[r, j] * y[r, j]
        dot = block_sum(buf, dot, tid, threads)
        for j in range(tid, y.shape[1], threads):
            dx[r, j] = y[r, j] * (dy[r, j] - dot)
        ### END SOLUTION

    return softmax_backward


def _rows(x):
    """x as a 2-D (rows, n) array over its last axis (a view when the layout allows)."""
    return x.reshape(math.prod(x.shape[:-1]), x.shape[-1]) if x.ndim else x.reshape(1, 1)


def _run(kernel, threads, out, *inputs):
    rows = _rows(out)
    if rows.size:
        launch(kernel, rows.shape[0], threads, *map(_rows, inputs), rows)
    return out


def softmax(x, threads=THREADS):
    """softmax(x) over the last axis, for any rank; float32/float64, numpy (simulator) or cupy."""
    check_arrays(x)
    xp = array_module(x)
    x = x.astype(float_dtype(x), copy=False)
    return _run(forward_kernel(x.dtype, threads), threads, xp.empty(x.shape, x.dtype), x)


def softmax_backward(y, dy, threads=THREADS):
    """dL/dx from y = softmax(x) and dy = dL/dy, over the last axis: y * (dy - sum(dy * y))."""
    check_arrays(y, dy)
    if y.shape != dy.shape:
        raise ValueError(f"softmax_backward: y {y.shape} and dy {dy.shape} differ in shape")
    xp = array_module(y)
    dtype = float_dtype(y, dy)
    y, dy = y.astype(dtype, copy=False), dy.astype(dtype, copy=False)
    return _run(backward_kernel(dtype, threads), threads, xp.empty(y.shape, dtype), y, dy)
