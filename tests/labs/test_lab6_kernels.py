"""Lab 6: CUDA kernels under Numba's CUDA simulator (``kernels/matmul.py``, ``kernels/softmax.py``).

The simulator runs every CUDA thread as a Python thread, so shapes are small, and the blocks
too (4 x 4 threads for the tiled matmul, 4 or 8 threads a row for softmax, 16 for the register
kernel). Shapes are "awkward": not multiples of the tile, so the edge handling is tested as
well. Device functions (tasks 6.4-6.6) run inside the probes' small harness kernels
(``minitorch/labs/probes/lab6.py``). Expected values are exact where they can be (integer
matrices), or follow from identities (softmax(log w) = w / sum w).
"""
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

numba = pytest.importorskip("numba")
if not numba.config.ENABLE_CUDASIM:
    pytest.skip("the kernel labs run under Numba's CUDA simulator: set NUMBA_ENABLE_CUDASIM=1 before "
                "numba is imported (tests/conftest.py does)", allow_module_level=True)

from kernels import matmul, softmax  # noqa: E402  (after the simulator check)
from minitorch.labs.probes import lab6  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TOL = {np.float32: dict(rtol=2e-5, atol=2e-5), np.float64: dict(rtol=1e-12, atol=1e-12)}
load = importlib.import_module


def integers(shape, seed=0, dtype=np.float64):
    """Small integers: every product and sum is exact, so results must match to the last bit."""
    return np.random.default_rng(seed).integers(-4, 5, shape).astype(dtype)


def weights_and_scores(rows, n, seed=0, shift=0.0):
    """Positive weights w (some zero) and scores log(w) + shift, whose softmax is w / sum(w)."""
    w = np.random.default_rng(seed).uniform(0.1, 3.0, (rows, n))
    w[0, 1 % n] = 0.0 if n > 1 else w[0, 0]            # a masked entry: score -inf, probability 0
    with np.errstate(divide="ignore"):
        return w, np.log(w) + shift


# ----------------------------------------------------------------------------- 6.1 tiled matmul

@pytest.mark.task(id="6.1")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("m, k, n", [(5, 7, 6), (4, 4, 4), (1, 9, 3)])
def test_tiled_matmul(m, k, n, dtype):
    a, b = integers((m, k), dtype=dtype), integers((k, n), 1, dtype)
    out = matmul.matmul(a, b, kernel="tiled", tile=4)
    assert out.dtype == dtype
    np.testing.assert_array_equal(out, a @ b, err_msg="the tiled kernel (task 6.1)")


@pytest.mark.task(id="6.1")
def test_tiled_matmul_batched_and_transposed():
    a, b = integers((2, 3, 5)), integers((6, 5), 1).T  # b is a transposed (strided) view
    np.testing.assert_array_equal(matmul.matmul(a, b, kernel="tiled", tile=4), a @ b)


@pytest.mark.task(id="6.1")
def test_tiled_matmul_identity_and_empty_k():
    a = integers((6, 6))
    np.testing.assert_array_equal(matmul.matmul(a, np.eye(6), kernel="tiled", tile=4), a)
    np.testing.assert_array_equal(matmul.matmul(np.ones((3, 0)), np.ones((0, 5)), kernel="tiled", tile=4),
                                  np.zeros((3, 5)), err_msg="K = 0: every output is an empty sum, 0")


# ----------------------------------------------------------------------------- 6.8 matmul backward

def exact_gradient(loss, x):
    """dloss/dx element by element; exact for a loss linear in x with integer values (x + 1 - x)."""
    base, grad = loss(x), np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        bumped = x.copy()
        bumped[index] += 1
        grad[index] = loss(bumped) - base
    return grad


@pytest.mark.task(id="6.8")
@pytest.mark.parametrize("a_shape, b_shape", [((3, 4), (4, 5)), ((2, 3, 4), (4, 2)), ((2, 1, 3, 4), (3, 4, 2)),
                                              ((4,), (4, 3)), ((2, 3, 4), (4,)), ((4,), (4,))])
def test_matmul_backward_gives_the_gradients_of_sum_grad_times_c(a_shape, b_shape):
    a, b = integers(a_shape), integers(b_shape, 1)
    grad = integers(np.matmul(a, b).shape, 2)
    da, db = matmul.matmul_backward(a, b, grad, kernel="naive", tile=4)
    assert da.shape == a.shape and db.shape == b.shape, f"shapes {da.shape}, {db.shape}: want a's and b's"
    np.testing.assert_array_equal(da, exact_gradient(lambda x: np.sum(grad * np.matmul(x, b)), a), err_msg="dL/da")
    np.testing.assert_array_equal(db, exact_gradient(lambda x: np.sum(grad * np.matmul(a, x)), b), err_msg="dL/db")


@pytest.mark.task(id="6.8")
def test_matmul_backward_float32_and_a_transposed_operand():
    a, b = integers((5, 3), dtype=np.float32), integers((6, 3), 1, np.float32).T
    grad = np.ones((5, 6), np.float32)
    da, db = matmul.matmul_backward(a, b, grad, kernel="naive", tile=4)
    assert da.dtype == db.dtype == np.float32
    np.testing.assert_array_equal(da, np.repeat(b.sum(axis=1)[None, :], 5, axis=0), err_msg="dL/da = 1 @ b^T")
    np.testing.assert_array_equal(db, np.repeat(a.sum(axis=0)[:, None], 6, axis=1), err_msg="dL/db = a^T @ 1")


# ----------------------------------------------------------------------------- 6.4 block reductions

@pytest.mark.task(id="6.4")
@pytest.mark.parametrize("threads", [1, 4, 8])
def test_block_sum_gives_every_thread_the_total(threads):
    values = np.arange(1.0, threads + 1)                  # 1 + 2 + ... + threads
    got = lab6.run_reductions(load, values, np.zeros(threads), np.ones(threads))
    total = threads * (threads + 1) / 2
    np.testing.assert_array_equal(got[:, 0], total, err_msg="block_sum: every thread must get the block's sum")
    np.testing.assert_array_equal(got[:, 3], 2 * total,
                                  err_msg="block_sum called a second time on the same buffer (sync before reuse?)")


@pytest.mark.task(id="6.4")
def test_block_max_sum_rescales_each_sum_to_the_common_max():
    # thread t saw a share of a row with max m_t and sum s_t of exp(x - m_t): with m_t = ln(t + 1)
    # and s_t = 1, the row's max is ln 8 and its sum is sum_t (t + 1) / 8 = 36 / 8
    maxes = np.log(np.arange(1.0, 9.0))
    got = lab6.run_reductions(load, np.zeros(8), maxes, np.ones(8))
    np.testing.assert_allclose(got[:, 1], np.log(8.0), rtol=1e-15, err_msg="block_max_sum: the block's max")
    np.testing.assert_allclose(got[:, 2], 36 / 8, rtol=1e-14, err_msg="block_max_sum: the sum, relative to the max")


@pytest.mark.task(id="6.4")
def test_block_max_sum_ignores_threads_that_saw_nothing():
    # a row shorter than the block: threads 3..7 keep (-inf, 0) and must add nothing (no NaN)
    maxes = np.array([2.0, 0.0, 2.0] + [-np.inf] * 5)
    sums = np.array([1.0, 3.0, 0.5] + [0.0] * 5)
    got = lab6.run_reductions(load, np.zeros(8), maxes, sums)
    np.testing.assert_allclose(got[:, 1:3], [[2.0, 1.5 + 3 * np.exp(-2.0)]] * 8, rtol=1e-14)


# ----------------------------------------------------------------------------- 6.2 online softmax

@pytest.mark.task(id="6.2")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("rows, n, threads", [(3, 11, 4), (2, 3, 8), (1, 1, 4), (2, 9, 1)])
def test_softmax_kernel(rows, n, threads, dtype):
    w, x = weights_and_scores(rows, n)
    out = softmax.softmax(x.astype(dtype), threads=threads)
    assert out.dtype == dtype
    np.testing.assert_allclose(out, w / w.sum(axis=-1, keepdims=True), **TOL[dtype])


@pytest.mark.task(id="6.2")
def test_softmax_kernel_large_scores_and_any_rank():
    w, x = weights_and_scores(6, 5, seed=2, shift=1000.0)     # exp(1000) overflows: the max must come out
    out = softmax.softmax(x.reshape(2, 3, 5), threads=4)
    assert out.shape == (2, 3, 5) and np.isfinite(out).all()
    np.testing.assert_allclose(out.reshape(6, 5), w / w.sum(axis=-1, keepdims=True), **TOL[np.float64])


@pytest.mark.task(id="6.2")
def test_softmax_kernel_rows_sum_to_one_and_keep_order():
    x = np.random.default_rng(3).normal(0, 30, (4, 13))
    y = softmax.softmax(x, threads=4)
    np.testing.assert_allclose(y.sum(axis=-1), 1.0, rtol=1e-12)
    assert (np.argsort(y, axis=-1) == np.argsort(x, axis=-1)).all()


# ----------------------------------------------------------------------------- 6.3 softmax backward

@pytest.mark.task(id="6.3")
@pytest.mark.parametrize("shape, threads", [((3, 11), 4), ((2, 2, 5), 8), ((1, 1), 4)])
def test_softmax_backward_kernel(shape, threads):
    y = np.random.default_rng(0).dirichlet(np.ones(shape[-1]), shape[:-1])
    dy = integers(shape, 1)
    expected = y * (dy - (dy * y).sum(axis=-1, keepdims=True))   # the formula in kernels/softmax.py
    np.testing.assert_allclose(softmax.softmax_backward(y, dy, threads=threads), expected, **TOL[np.float64])


@pytest.mark.task(id="6.3")
def test_softmax_backward_invariants():
    y = np.random.default_rng(1).dirichlet(np.ones(7), 3)
    shifted = softmax.softmax_backward(y, np.full((3, 7), 2.5), threads=4)
    np.testing.assert_allclose(shifted, 0, atol=1e-14, err_msg="adding a constant to dy changes nothing")
    one_hot = softmax.softmax_backward(y, np.eye(7)[[0, 3, 6]], threads=4)
    np.testing.assert_allclose(one_hot.sum(axis=-1), 0, atol=1e-14, err_msg="each row of dx sums to 0")
    np.testing.assert_allclose(one_hot[1, 3], y[1, 3] * (1 - y[1, 3]), rtol=1e-12)


# ----------------------------------------------------------------------------- 6.5 staging slices

def _padded_slice(src, z, row0, col0, rows, cols):
    """src[z, row0:row0+rows, col0:col0+cols], zeros where it runs past src's edges."""
    out = np.zeros((rows, cols))
    part = src[z, row0:row0 + rows, col0:col0 + cols]
    out[:part.shape[0], :part.shape[1]] = part
    return out


@pytest.mark.task(id="6.5")
@pytest.mark.parametrize("transposed", [False, True])
@pytest.mark.parametrize("along_cols", [True, False])
@pytest.mark.parametrize("where, checked", [((1, 2, 3), False), ((0, 8, 9), True), ((1, 0, 0), True)])
def test_fetch_and_stash_stage_a_slice(where, checked, along_cols, transposed):
    src = integers((2, 11, 13), 4)
    if not along_cols:                                         # the same values, column-major
        src = np.swapaxes(np.swapaxes(src, 1, 2).copy(), 1, 2)
    tile = lab6.run_staging(load, src, where, 4, 8, 8, along_cols, transposed, checked)
    expected = _padded_slice(src, *where, 4, 8)
    np.testing.assert_array_equal(tile, expected.T if transposed else expected,
                                  err_msg=f"the tile staged from src{list(where)} (NaN: never stashed)")


@pytest.mark.task(id="6.5")
def test_fetch_and_stash_with_more_slots_per_thread():
    src = integers((1, 9, 10), 5)
    tile = lab6.run_staging(load, src, (0, 0, 0), 8, 16, 4, True, True, True)    # 32 elements a thread
    np.testing.assert_array_equal(tile, _padded_slice(src, 0, 0, 0, 8, 16).T)


# ----------------------------------------------------------------------------- 6.6 the K slice

@pytest.mark.task(id="6.6")
@pytest.mark.parametrize("tiling", lab6.TILINGS)
def test_k_slice_adds_the_slice_product(tiling):
    bm, bn = tiling[:2]
    at, b, c = integers((8, bm)), integers((8, bn), 1), integers((bm, bn), 2)
    got = lab6.run_k_slice(load, tiling, at, b, c)
    np.testing.assert_array_equal(got, c + at.T @ b, err_msg=f"k_slice{tiling}: acc + (A slice) @ (B slice); "
                                  "NaN means a read of the padding columns")


@pytest.mark.task(id="6.6")
def test_k_slice_uses_every_k():
    at, b = np.zeros((8, 16)), np.zeros((8, 16))
    at[:, 0], b[:, 5] = 1.0, 2.0 ** np.arange(8)     # k contributes 2^k to c[0, 5]: a missing k shows
    got = lab6.run_k_slice(load, lab6.TILINGS[0], at, b, np.zeros((16, 16)))
    assert got[0, 5] == 255 and np.count_nonzero(got) == 1, f"c[0, 5] = {got[0, 5]} (255 when all 8 k are added)"


# ----------------------------------------------------------------------------- 6.7 the register kernel

@pytest.mark.task(id="6.7")
@pytest.mark.parametrize("tiling", lab6.TILINGS)
@pytest.mark.parametrize("m, k, n", [(19, 13, 21), (32, 16, 32), (3, 5, 2), (16, 24, 40)])
def test_register_matmul(m, k, n, tiling):
    a, b = integers((m, k)), integers((k, n), 1)
    np.testing.assert_array_equal(matmul.matmul(a, b, kernel="register", tiling=tiling), a @ b,
                                  err_msg=f"the register kernel, tiling {tiling}")


@pytest.mark.task(id="6.7")
def test_register_matmul_float32_strided_and_broadcast():
    a, b = integers((2, 9, 11), dtype=np.float32), integers((7, 11), 1, np.float32).T   # transposed view
    out = matmul.matmul(a, b, kernel="register")
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, a @ b)
    shared = integers((1, 11, 6), 2)                         # broadcast over the batch: stride 0
    np.testing.assert_array_equal(matmul.matmul(a.astype(np.float64), shared, kernel="register"), a @ shared)


@pytest.mark.task(id="6.7")
def test_register_matmul_empty_k_gives_zeros():
    got = matmul.matmul(np.ones((17, 0)), np.ones((0, 18)), kernel="register")
    np.testing.assert_array_equal(got, np.zeros((17, 18)), err_msg="K = 0: every output is an empty sum")


#: What the machine code of the register kernel must show (float32, sm_90, contiguous arrays),
#: at the SMALL tiling (64 x 64 tile, 4 x 4 outputs a thread, 256 threads): it compiles in
#: about 15 s of CPU where LARGE takes a minute. The reference: 128 FFMA in a loop of about 300
#: instructions (0.43), 16 LDS.128, 4 global loads in flight, 106 registers, no spills.
MACHINE_CODE_SCRIPT = r"""
import json, os, sys
from kernels import ptx
path = sys.argv[1]
os.makedirs(os.path.dirname(path), exist_ok=True)
try:
    import fcntl   # one compile at a time: parallel runs (the mutation check) wait, then read the cache
    lock = open(path + ".lock", "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
except ImportError:
    pass
if not os.path.exists(path):
    problem = ptx.nvvm_problem()
    if problem:
        print("NVVM unavailable: " + problem, file=sys.stderr)
        sys.exit(3)
    if ptx.ptxas_path() is None or ptx.nvdisasm_path() is None:
        print("ptxas or nvdisasm not found", file=sys.stderr)
        sys.exit(3)
    kernel = ptx.kernels("float32", "C")["matmul_register_small"]
    code = ptx.compile_kernel(kernel.dispatcher, kernel.argtypes, (9, 0))
    facts = dict(ptx.machine_code(code, (9, 0), kernel.threads), local_memory_lines=ptx.local_memory_lines(code))
    with open(path + ".tmp%d" % os.getpid(), "w") as f:
        json.dump(facts, f)
    os.replace(path + ".tmp%d" % os.getpid(), path)
"""


def machine_code_facts():
    """``kernels.ptx``'s facts of the register kernel (float32, sm_90, C layout, SMALL tiling),
    compiled in a child without the simulator and cached under a hash of the code it compiles
    (the register kernel and what it calls) and of the tools; None (with the reason) without
    NVVM, ptxas or nvdisasm."""
    import hashlib
    import inspect

    from kernels import _numba, ptx

    parts = [inspect.getsource(f) for f in (matmul.fetch.py_func, matmul.stash.py_func, matmul.k_slice,
                                             matmul.register_kernel.__wrapped__, _numba)]
    parts.append(repr((matmul.SMALL, matmul.PAD, ptx.ptxas_path(), ptx.nvdisasm_path(), numba.__version__,
                       ptx._version("numba-cuda"), ptx._version("nvidia-cuda-nvcc-cu12"))))
    path = os.path.join(ptx.cache_dir(), "lab6", hashlib.sha256(repr(parts).encode()).hexdigest()[:20] + ".json")
    if not os.path.exists(path):
        env = {k: v for k, v in os.environ.items() if k != "NUMBA_ENABLE_CUDASIM"}
        run = subprocess.run([sys.executable, "-c", MACHINE_CODE_SCRIPT, path], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=600)
        if run.returncode == 3:
            return None, run.stderr.strip()
        assert run.returncode == 0, run.stderr[-3000:]
    with open(path) as f:
        return json.load(f), None


@pytest.mark.task(id="6.7")
@pytest.mark.timeout(600)
def test_register_matmul_machine_code():
    """Rung 2.5 of the kernel ladder on your kernel: compiled for an H100 (sm_90) with NVVM and
    ptxas, read back with nvdisasm. Skips without those tools (``pip install -e ".[dev]"``).
    Not graded by the trusted grader: compiling runs your code, which the grader never does
    outside its sandbox; it is local feedback that your kernel would be fast on a GPU."""
    a, b = integers((19, 13)), integers((13, 21), 1)    # first the values (a stub stops here)
    np.testing.assert_array_equal(matmul.matmul(a, b, kernel="register"), a @ b)
    facts, missing = machine_code_facts()
    if facts is None:
        pytest.skip(missing + ": pip install -e '.[dev]' brings NVVM, ptxas and nvdisasm")
    tiling = matmul.SMALL
    spills = facts["ptxas"]["spill_stores"] + facts["ptxas"]["spill_loads"]
    assert spills == 0 and not facts["local_memory_lines"], (
        f"the kernel spills {spills} bytes to local memory or keeps an array there "
        f"({facts['local_memory_lines'][:3]}): index the register arrays (acc, ra, rb, ga, gb) only with "
        f"constants, i.e. loops of constant trip count that NVVM unrolls")
    hot = facts["hot_loop"]
    ffma = tiling.bk * tiling.tm * tiling.tn
    assert hot is not None and hot["ffma"] == ffma, (
        f"the hot loop holds {hot and hot['ffma']} FFMA, expected {ffma} (BK x TM x TN): the K slice is "
        f"not unrolled (task 6.6's steps: every k a constant)")
    wide = tiling.bk * (tiling.tm + tiling.tn) // 4
    assert hot["lds"] == hot["lds128"] == wide, (
        f"{hot['lds']} shared loads in the hot loop, {hot['lds128']} of them 128-bit; expected {wide}, all "
        f"LDS.128: read a thread's rows of A and its groups of 4 columns of B as contiguous runs (task 6.6)")
    assert hot["ffma_share"] >= 0.4, f"FFMA are {hot['ffma_share']:.0%} of the hot loop's instructions, under 40%"
    staged = (tiling.bm + tiling.bn) * tiling.bk // matmul.threads(tiling)
    assert hot["loads_in_flight"] >= staged, (
        f"{hot['loads_in_flight']} global loads in flight in the K loop, expected all {staged} of the next "
        f"slice: issue them before the arithmetic and stash them after it (slices, task 6.7)")
