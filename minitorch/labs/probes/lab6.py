"""Probes of lab 6 (CUDA kernels under Numba's simulator, ``kernels/matmul.py``, ``kernels/softmax.py``).

The simulator runs a Python thread per CUDA thread, so blocks stay small: 4 x 4 threads for
the tiled matmul, 4 or 8 threads a row for softmax, 16 threads for the register-blocked
kernel (``tiling`` 16 x 16 or 16 x 32). The device functions of tasks 6.4-6.6 are graded
through small harness kernels built here (``*_harness``): they call the student's device
function between loads and stores of their own. The lab tests use the same harnesses. The
milestone (6.10) trains ``examples/gpu_mlp.py`` on "cuda" and returns only its trained parameters;
the reference computes the logits for points the grader drew, and their classes are computed here,
from the geometry of the moons.
"""
import functools

import numpy as np

from . import load_trained, parameters_and_buffers, probe, trained
from .lab1 import moon_class, moons

F32 = dict(rtol=2e-5, atol=2e-5)
F64 = dict(rtol=1e-12, atol=1e-12)
#: Register-kernel tilings (BM, BN, BK, TM, TN) with 16 threads: 4 x 4 outputs a thread, and
#: 4 x 8 (two groups of 4 columns a thread, GAP apart).
TILINGS = ((16, 16, 8, 4, 4), (16, 32, 8, 4, 8))


#: ``numba.cuda``, set by ``_cuda`` when a harness is first built (this package imports only numpy).
#: The simulator swaps a kernel's *global* ``cuda`` for its per-thread fake, so the harness
#: kernels must reach it as this module's global, not as a local.
cuda = None


def _cuda(load):
    """kernels._numba (launch, numba_type), after making ``cuda`` this module's global."""
    global cuda
    nb = load("kernels._numba")
    cuda = nb.cuda
    return nb


# ----------------------------------------------------------------------------- harness kernels

@functools.lru_cache(maxsize=None)
def reduction_harness(load, threads):
    """A kernel(values, maxes, sums, out) of one block of ``threads``: thread t gives values[t]
    to block_sum, (maxes[t], sums[t]) to block_max_sum, then 2 * values[t] to block_sum again
    (the buffer reused); it writes what it got back to out[t, :4]."""
    nb, softmax = _cuda(load), load("kernels.softmax")
    f64 = nb.numba_type(np.float64)

    @cuda.jit
    def reduce(values, maxes, sums, out):
        buf = cuda.shared.array(threads, f64)
        sm = cuda.shared.array(threads, f64)
        ss = cuda.shared.array(threads, f64)
        tid = cuda.threadIdx.x
        total = softmax.block_sum(buf, values[tid], tid, threads)
        m, s = softmax.block_max_sum(sm, ss, maxes[tid], sums[tid], tid, threads)
        again = softmax.block_sum(buf, 2 * values[tid], tid, threads)
        out[tid, 0], out[tid, 1], out[tid, 2], out[tid, 3] = total, m, s, again

    return reduce


def run_reductions(load, values, maxes, sums):
    """(threads, 4) array: what every thread got from the reductions (``reduction_harness``)."""
    threads = len(values)
    out = np.full((threads, 4), np.nan)
    _cuda(load).launch(reduction_harness(load, threads), 1, threads, values, maxes, sums, out)
    return out


@functools.lru_cache(maxsize=None)
def staging_harness(load, rows, cols, nthreads, along_cols, transposed, checked):
    """A kernel(src, where, out) of ``nthreads`` threads: fetch the slice src[where[0],
    where[1]:+rows, where[2]:+cols] into registers and stash it in a shared tile ((cols, rows)
    when ``transposed``), then copy the tile to ``out``."""
    nb, matmul = _cuda(load), load("kernels.matmul")
    f64 = nb.numba_type(np.float64)
    shape = (cols, rows) if transposed else (rows, cols)
    per_thread = rows * cols // nthreads
    nan = f64(np.nan)

    @cuda.jit
    def stage(src, where, out):
        tile = cuda.shared.array(shape, f64)
        regs = cuda.local.array(per_thread, f64)
        tid = cuda.threadIdx.x
        for e in range(tid, rows * cols, nthreads):   # NaN where nothing was stashed
            tile[e // shape[1], e % shape[1]] = nan
        cuda.syncthreads()
        matmul.fetch(src, where[0], where[1], where[2], rows, cols, along_cols, regs, tid, nthreads, checked,
                     f64(0))
        matmul.stash(regs, tile, rows, cols, along_cols, transposed, tid, nthreads)
        cuda.syncthreads()
        for e in range(tid, rows * cols, nthreads):
            out[e // shape[1], e % shape[1]] = tile[e // shape[1], e % shape[1]]

    return stage


def run_staging(load, src, where, rows, cols, nthreads, along_cols, transposed, checked):
    """The shared tile that fetch + stash make of a slice of ``src`` (``staging_harness``)."""
    out = np.full((cols, rows) if transposed else (rows, cols), np.nan)
    kernel = staging_harness(load, rows, cols, nthreads, along_cols, transposed, checked)
    _cuda(load).launch(kernel, 1, nthreads, src, np.asarray(where, dtype=np.int64), out)
    return out


@functools.lru_cache(maxsize=None)
def k_slice_harness(load, tiling):
    """A kernel(at, b, c) of one block: the A slice ``at`` (BK, BM) and the B slice ``b`` (BK, BN)
    go to shared memory (their padding columns NaN), each thread loads its accumulators from
    ``c`` (BM, BN), runs ``k_slice(tiling)`` once and writes them back (the layout of
    ``k_step``'s docstring)."""
    nb, matmul = _cuda(load), load("kernels.matmul")
    f64 = nb.numba_type(np.float64)
    BM, BN, BK, TM, TN = tiling
    NTX, NT = BN // TN, (BN // TN) * (BM // TM)
    W = min(TN, 4)
    GAP = BN * W // TN
    SA, SB = (BK, BM + matmul.PAD), (BK, BN + matmul.PAD)
    compute = matmul.k_slice(matmul.Tiling(*tiling))
    nan = f64(np.nan)

    @cuda.jit
    def one_slice(at, b, c):
        sa = cuda.shared.array(SA, f64)
        sb = cuda.shared.array(SB, f64)
        acc = cuda.local.array((TM, TN), f64)
        ra = cuda.local.array(TM, f64)
        rb = cuda.local.array(TN, f64)
        tid = cuda.threadIdx.x
        tx, ty = tid % NTX, tid // NTX
        for e in range(tid, SA[0] * SA[1], NT):
            k, i = e // SA[1], e % SA[1]
            sa[k, i] = at[k, i] if i < BM else nan
        for e in range(tid, SB[0] * SB[1], NT):
            k, j = e // SB[1], e % SB[1]
            sb[k, j] = b[k, j] if j < BN else nan
        for i in range(TM):
            for j in range(TN):
                acc[i, j] = c[ty * TM + i, (j // W) * GAP + tx * W + j % W]
        cuda.syncthreads()
        compute(sa, sb, acc, ra, rb, tx, ty)
        for i in range(TM):
            for j in range(TN):
                c[ty * TM + i, (j // W) * GAP + tx * W + j % W] = acc[i, j]

    return one_slice, NT


def run_k_slice(load, tiling, at, b, c):
    """c + at.T @ b, as ``k_slice(tiling)`` computes it (``k_slice_harness``)."""
    kernel, threads = k_slice_harness(load, tuple(tiling))
    out = np.array(c, dtype=np.float64)
    _cuda(load).launch(kernel, 1, threads, at, b, out)
    return out


# ----------------------------------------------------------------------------- 6.1

def _matrices(rng):
    return {"a": rng.standard_normal((5, 7)), "b": rng.standard_normal((7, 6)), "batch": rng.standard_normal((2, 3, 5)),
            "bt": rng.standard_normal((6, 5))}


@probe("6.1", _matrices, "kernels/matmul.py, the tiled kernel (task 6.1): stage a tile of A and of B in shared "
       "memory (0 past the edges), sync, accumulate, sync", **F32)
def tiled_matmul(load, x):
    matmul = load("kernels.matmul").matmul
    return {"f64": matmul(x["a"], x["b"], kernel="tiled", tile=4),
            "f32": matmul(x["a"].astype(np.float32), x["b"].astype(np.float32), kernel="tiled", tile=4),
            "batched_transposed": matmul(x["batch"], x["bt"].T, kernel="tiled", tile=4)}


# ----------------------------------------------------------------------------- 6.8

BACKWARD_SHAPES = (((3, 4), (4, 5)), ((2, 3, 4), (4, 2)), ((2, 1, 3, 4), (3, 4, 2)), ((4,), (4, 3)),
                   ((2, 3, 4), (4,)))


def _backward_operands(rng):
    found = {}
    for k, (sa, sb) in enumerate(BACKWARD_SHAPES):
        found.update({f"a{k}": rng.standard_normal(sa), f"b{k}": rng.standard_normal(sb),
                      f"g{k}": rng.standard_normal(np.matmul(np.zeros(sa), np.zeros(sb)).shape)})
    return found


@probe("6.8", _backward_operands, "kernels/matmul.py, matmul_backward and _sum_to (task 6.8): dA = grad @ B^T, "
       "dB = A^T @ grad, summed over the batch axes each operand was broadcast along, in its own shape", **F64)
def matmul_gradients(load, x):
    backward = load("kernels.matmul").matmul_backward
    found = {}
    for k in range(len(BACKWARD_SHAPES)):
        found[f"da{k}"], found[f"db{k}"] = backward(x[f"a{k}"], x[f"b{k}"], x[f"g{k}"], kernel="naive", tile=4)
    return found


# ----------------------------------------------------------------------------- 6.4

def _reduction_inputs(rng):
    maxes = 5 * rng.standard_normal(8)
    maxes[[2, 5]] = -np.inf           # threads that saw no entry of the row: (-inf, 0)
    sums = rng.uniform(0.5, 3.0, 8)
    sums[[2, 5]] = 0.0
    return {"values": rng.integers(-50, 50, 8).astype(np.float64), "maxes": maxes, "sums": sums}


@probe("6.4", _reduction_inputs, "kernels/softmax.py, block_sum and block_max_sum (task 6.4): every thread "
       "gets the whole block's sum and (max, rescaled sum); a thread's (-inf, 0) adds nothing; the buffers "
       "can be used again", **F64)
def block_reductions(load, x):
    return {f"threads{n}": run_reductions(load, x["values"][:n], x["maxes"][:n], x["sums"][:n]) for n in (8, 4, 1)}


# ----------------------------------------------------------------------------- 6.2, 6.3

def _scores(rng):
    x = 3 * rng.standard_normal((3, 11))
    x[0, 2] = x[1, 0] = -np.inf
    return {"x": x, "big": 1000 + rng.standard_normal((2, 6)), "dy": rng.standard_normal((3, 11))}


@probe("6.2", _scores, "kernels/softmax.py, the softmax forward kernel (task 6.2): one online pass keeping the "
       "running max and the rescaled sum (-inf entries add nothing), block_max_sum, then y", **F32)
def online_softmax(load, x):
    softmax = load("kernels.softmax").softmax
    return {"f64": softmax(x["x"], threads=4), "f32": softmax(x["x"].astype(np.float32), threads=4),
            "large": softmax(x["big"], threads=4), "eight_threads": softmax(x["x"][:, :5], threads=8)}


@probe("6.3", _scores, "kernels/softmax.py, the softmax backward kernel (task 6.3): dx = y (dy - sum_j dy_j y_j), "
       "the dot product shared by the row's threads (block_sum)", **F32)
def softmax_backward_kernel(load, x):
    e = np.exp(x["x"] - x["x"].max(axis=-1, keepdims=True))
    y = e / e.sum(axis=-1, keepdims=True)
    backward = load("kernels.softmax").softmax_backward
    return {"dx": backward(y, x["dy"], threads=4), "eight_threads": backward(y[:, :5], x["dy"][:, :5], threads=8)}


# ----------------------------------------------------------------------------- 6.5, 6.6, 6.7

def _slices(rng):
    return {"src": rng.standard_normal((2, 11, 13)), "row0": np.array(rng.integers(0, 4)),
            "edge_row0": np.array(rng.integers(8, 10)), "edge_col0": np.array(rng.integers(9, 12))}


@probe("6.5", _slices, "kernels/matmul.py, fetch and stash (task 6.5): a slice of a batch matrix into a shared "
       "tile, along either axis, transposed or not, zeros past the matrix's edges when checked", **F64)
def staging(load, x):
    src, found = x["src"], {}
    views = {"rows": src, "columns": np.swapaxes(np.swapaxes(src, 1, 2).copy(), 1, 2)}   # same values
    for name, view in views.items():
        for transposed in (False, True):
            tag = f"{name}_{'t' if transposed else 'n'}"
            along_cols = name == "rows"
            found[f"inside_{tag}"] = run_staging(load, view, (1, int(x["row0"]), 2), 4, 8, 8, along_cols,
                                                 transposed, False)
            found[f"edge_{tag}"] = run_staging(load, view, (0, int(x["edge_row0"]), int(x["edge_col0"])), 4, 8, 8,
                                               along_cols, transposed, True)
    return found


def _slice_operands(rng):
    return {"at": rng.standard_normal((8, 16)), "b": rng.standard_normal((8, 32)), "c": rng.standard_normal((16, 32))}


@probe("6.6", _slice_operands, "kernels/matmul.py, k_step and steps (task 6.6): acc += outer product of the "
       "thread's rows of A and columns of B (k_step's docstring), for each of the BK = 8 values of k", **F64)
def k_slice(load, x):
    return {f"tiling{k}": run_k_slice(load, tiling, x["at"], x["b"][:, :tiling[1]], x["c"][:tiling[0], :tiling[1]])
            for k, tiling in enumerate(TILINGS)}


def _register_operands(rng):
    return {"a": rng.standard_normal((19, 13)), "b": rng.standard_normal((13, 21)),
            "square_a": rng.standard_normal((32, 16)), "square_b": rng.standard_normal((16, 32)),
            "batch": rng.standard_normal((2, 5, 9)), "bt": rng.standard_normal((7, 9))}


@probe("6.7", _register_operands, "kernels/matmul.py, slices and register_blocked (task 6.7): the block tile's "
       "accumulators, the K loop over slices (ragged K, edge tiles), the write-back of existing outputs", **F32)
def register_matmul(load, x):
    matmul = load("kernels.matmul").matmul
    found = {}
    for k, tiling in enumerate(TILINGS):
        run = functools.partial(matmul, kernel="register", tiling=tiling)
        found.update({f"{k}_ragged": run(x["a"], x["b"]), f"{k}_interior": run(x["square_a"], x["square_b"]),
                      f"{k}_f32": run(x["a"].astype(np.float32), x["b"].astype(np.float32)),
                      f"{k}_batched_transposed": run(x["batch"], x["bt"].T),
                      f"{k}_empty_k": run(x["a"][:, :0], x["b"][:0])})
    return found


# ----------------------------------------------------------------------------- 6.9 flash-attention forward

def _attention_inputs(rng):
    """(B, H, N, d) = (1, 2, 19, 8): three key tiles of the simulator's 8 x 8 tiling, the last ragged."""
    shape = (1, 2, 19, 8)
    keep = rng.random((1, 2, 19, 19)) < 0.7
    keep[0, 0, 3] = False                      # a row with every key masked
    return {"q": rng.standard_normal(shape), "k": rng.standard_normal(shape), "v": rng.standard_normal(shape),
            "keep": keep, "rising": 4 * np.arange(19.0)}


@probe("6.9", _attention_inputs, "kernels/attention_forward.py, the forward kernel (task 6.9): the online softmax "
       "of each key tile (mask, the row's new maximum shared by its threads, exp2, rescaling l and the "
       "accumulator) and the end (o = acc / l, lse = m ln 2 + ln l, +inf and 0 for a fully masked row)", **F32)
def flash_attention_forward(load, x):
    forward = load("kernels.attention").attention_forward
    q, k, v = x["q"], x["k"], x["v"]
    rising = k.copy()
    rising[..., 0] = x["rising"]               # later keys score higher: the maximum moves every tile
    found = {}
    for name, kwargs in (("plain", {}), ("causal", {"causal": True}), ("masked", {"mask": x["keep"]})):
        found[f"{name}_o"], found[f"{name}_lse"] = forward(q, k, v, **kwargs)
    found["rising_o"], found["rising_lse"] = forward(np.abs(q), rising, v)
    found["f32_o"], found["f32_lse"] = forward(*(a.astype(np.float32) for a in (q, k, v)), causal=True)
    found["lse_finite"] = np.isfinite(found["masked_lse"])
    return found


# ----------------------------------------------------------------------------- 6.10 the milestone

GPU_MLP = "minitorch.examples.gpu_mlp"
GPU_MLP_THRESHOLD = 0.90
GPU_MLP_WHERE = ("minitorch/examples/gpu_mlp.py, softmax_cross_entropy and fit (task 6.10), the milestone, and the "
                 "kernels they run on \"cuda\": the register-blocked matmul (6.5-6.7), the softmax forward and "
                 "backward (6.2-6.4). train(seed) (16 moon points, 15 Adam steps) must classify >= 90% of fresh "
                 "points")


def gpu_mlp_points(rng):
    """The milestone's inputs: 200 fresh noise-free points of the two moons."""
    return {"test": moons(rng, 200, 0.0)[0]}


def check_gpu_mlp(x, got):
    """The milestone's grade: the MLP trained on "cuda" (its logits computed by the reference, on the
    CPU) classifies >= GPU_MLP_THRESHOLD of the fresh points right (their classes computed here,
    never by the child)."""
    logits = np.asarray(got["logits"], dtype=float)
    if logits.shape != (len(x["test"]), 2) or not np.all(np.isfinite(logits)):
        return f"expected {len(x['test'])} x 2 finite logits, got an array of shape {logits.shape}"
    accuracy = float(np.mean(logits.argmax(axis=1) == moon_class(x["test"])))
    if accuracy < GPU_MLP_THRESHOLD:
        return (f"the MLP trained on \"cuda\" classifies {accuracy:.1%} of fresh moon points right, below the "
                f"{GPU_MLP_THRESHOLD:.0%} needed (the reference: 97-100%; a softmax backward without its dot "
                f"product: about 82%)")
    return None


def gpu_mlp_milestone(load, seed):
    """Train ``gpu_mlp.train(seed=seed)`` on "cuda"; its trained parameters."""
    model, _ = load(GPU_MLP).train(seed=seed)
    return trained(parameters_and_buffers(model.to("cpu")))


def gpu_mlp_logits(load, x):
    """The reference's evaluation of the trained parameters: ``make_model()``'s logits for the fresh
    points, on the CPU."""
    gpu_mlp = load(GPU_MLP)
    return {"logits": gpu_mlp.logits(load_trained(gpu_mlp.make_model(), x), x["test"], "cpu")}


@probe("6.10", gpu_mlp_points, GPU_MLP_WHERE, check=check_gpu_mlp, evaluate=gpu_mlp_logits)
def milestone_gpu_mlp(load, x):
    return gpu_mlp_milestone(load, 0)
