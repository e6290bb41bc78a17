# %% [markdown]
# # Lesson 10: GPU kernels — threads, blocks and shared memory
#
# Every lesson so far ran on the CPU, where numpy does the heavy lifting. A GPU runs
# the same mathematics on tens of thousands of threads at once, and the code that
# tells each thread what to do is called a **kernel**. In this lesson we write small
# kernels ourselves with **Numba CUDA**, then read and test the three kinds of kernel
# that minitorch runs on the `"cuda"` device: matrix multiplication, softmax and
# fused attention. Last, we read two of them as an H100 would run them: as machine code.
#
# You do not need a GPU. Numba ships a **CUDA simulator** that runs every CUDA thread
# as an ordinary Python thread on numpy arrays. It is far too slow for real work, but it
# executes exactly the code a GPU would, so everything here is checked for real
# (on tiny sizes, sides of 32 or less). The last section compiles with NVIDIA's compiler
# tools, which `pip install -e ".[dev]"` installs; without them it says so and shows stored
# numbers.
#
# **Learning goals**
# - launch a kernel on a grid of blocks of threads, and compute which element each thread owns;
# - use shared memory and `syncthreads` so that the threads of a block cooperate;
# - explain with the roofline model why the tiled and register-blocked matmuls beat the naive one
#   (arithmetic intensity, computed with formulas);
# - derive the online softmax and check in numpy that one pass equals the usual two passes;
# - count the bytes that fused attention saves: O(N) memory instead of O(N²);
# - read a kernel's machine code without a GPU (PTX, ptxas, SASS) and estimate its speed from
#   the share of FFMA in its inner loop.
#
# **Time:** about 75 minutes. **Builds on:** tensors and matmul (lesson 3), the stable
# softmax (lesson 4), attention (lesson 8).
#
# **New API in this lesson:** `minitorch.cuda.is_available()` and `simulated()`,
# `tensor.to("cuda")` and `.cpu()`; from Numba, `cuda.jit`, `cuda.threadIdx`, `cuda.blockIdx`,
# `cuda.blockDim`, `cuda.grid`, `cuda.shared.array` and `cuda.syncthreads`; and the project's
# kernels `kernels.matmul.matmul` and `kernels.softmax.softmax`; the machine-code tools
# `python -m kernels.ptx`, `kernels.sass` and `kernels.estimate`.

# %% [markdown]
# ## Switching the simulator on — before anything imports numba
#
# Numba decides *once*, at its first `import numba`, whether `numba.cuda` is the real
# GPU driver or the simulator: it reads the environment variable `NUMBA_ENABLE_CUDASIM`
# at that moment and never again. `import minitorch` already imports numba (some ops are
# compiled with it), so the variable must be set **before** `import minitorch` too.
# Setting it later changes nothing, which is why it is the very first line of code below.
#
# We use `setdefault`: if you own an NVIDIA GPU (with `pip install -e ".[gpu]"`), start the
# lesson with `NUMBA_ENABLE_CUDASIM=0` in the environment and every kernel runs on the real device.

# %%
import os

os.environ.setdefault("NUMBA_ENABLE_CUDASIM", "1")   # must come before numba is imported

import glob
import json
import math
import time

from minitorch.lesson_setup import setup

IN_NOTEBOOK, FAST, OUT, show = setup("10_gpu_kernels")  # see minitorch/lesson_setup.py
import matplotlib.pyplot as plt
import numpy as np

import minitorch
import minitorch.nn.functional as F

print("cuda available:", minitorch.cuda.is_available(), "| simulated:", minitorch.cuda.simulated())

# %% [markdown]
# `minitorch.cuda.is_available()` says whether tensors can live on `"cuda"`, and
# `minitorch.cuda.simulated()` whether that device is the simulator.
#
# In minitorch exactly one module imports `numba.cuda`: `kernels/_numba.py`. Every kernel
# file gets `cuda` from there, and so do we. `SIMULATOR` tells which `cuda` we got.
# The kernels take numpy arrays under the simulator and cupy arrays (GPU memory) on a real
# GPU; two tiny helpers move our data to and from the device either way.

# %%
from kernels._numba import SIMULATOR, cuda

assert minitorch.cuda.is_available(), "this lesson needs the simulator (NUMBA_ENABLE_CUDASIM=1) or a GPU"
if SIMULATOR:
    to_device, to_host = np.asarray, np.asarray
else:                                    # a real GPU: the kernels want cupy arrays
    import cupy
    to_device, to_host = cupy.asarray, cupy.asnumpy
print("running kernels on:", "the CUDA simulator (CPU threads)" if SIMULATOR else "a real GPU")

# %% [markdown]
# ## 1. Threads and blocks
#
# A kernel is a function that **every thread runs**. Threads come in **blocks** (up to 1024
# threads each), and blocks form a **grid**. Each thread reads its own coordinates:
#
# - `cuda.threadIdx.x`: its number inside its block, $0 \dots$ `blockDim.x` $-1$;
# - `cuda.blockIdx.x`: its block's number inside the grid;
# - `cuda.blockDim.x`: threads per block.
#
# For a 1-D array, thread $t$ of block $b$ usually owns element
# $$i = b \cdot \text{blockDim} + t .$$
# The decorator `@cuda.jit` turns a Python function into such a kernel, and the launch syntax
# `kernel[blocks, threads_per_block](arguments)` chooses the grid.
# Let's make every thread write down who it is.

# %%
@cuda.jit
def who_am_i(block_of, thread_of):
    i = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    if i < block_of.shape[0]:            # the grid may have more threads than elements
        block_of[i] = cuda.blockIdx.x
        thread_of[i] = cuda.threadIdx.x


n, threads = 10, 4
blocks = math.ceil(n / threads)          # 3 blocks of 4 threads = 12 threads for 10 elements
block_of, thread_of = np.full(n, -1), np.full(n, -1)
who_am_i[blocks, threads](block_of, thread_of)
print("element i :", np.arange(n))
print("block     :", block_of)
print("thread    :", thread_of)
assert (block_of * threads + thread_of == np.arange(n)).all()

# %% [markdown]
# Twelve threads started for ten elements: the last two threads of block 2 found
# `i >= 10` and did nothing. That `if` — the **bounds check** — is in every kernel.
# Rounding the number of blocks up, $\lceil n / T \rceil$, is why.
#
# Now a kernel that computes something: vector addition, $c_i = a_i + b_i$.

# %%
@cuda.jit
def vector_add(a, b, c):
    i = cuda.grid(1)                     # shorthand for blockIdx.x * blockDim.x + threadIdx.x
    if i < c.shape[0]:
        c[i] = a[i] + b[i]


a = np.arange(10.0)
b = np.full(10, 100.0)
c = np.zeros(10)
vector_add[3, 4](a, b, c)
print(c)
assert np.array_equal(c, a + b)

# %% [markdown]
# What if we forget the bounds check? On a real GPU, threads 10 and 11 would write past
# the end of `c` into whatever lies there — silently corrupting memory. The simulator checks
# every index, so it tells us exactly which thread went wrong (`tid` = thread, `ctaid` = block).

# %%
@cuda.jit
def vector_add_unguarded(a, b, c):
    i = cuda.grid(1)
    c[i] = a[i] + b[i]                   # no "if i < n": threads 10 and 11 overrun


if SIMULATOR:
    try:
        vector_add_unguarded[3, 4](a, b, c)
        raise AssertionError("expected an IndexError from the simulator")
    except IndexError as error:
        print("IndexError:", error)
        assert "ctaid=[2, 0, 0]" in str(error) and "out of bounds" in str(error)

# %% [markdown]
# ## 2. A naive matrix multiplication
#
# For $C = AB$ with $A$ of shape $(M, K)$ and $B$ of shape $(K, N)$, give each output element
# its own thread: a **2-D** grid of 2-D blocks, where `x` runs along the columns $j$ and `y`
# along the rows $i$:
# $$C_{ij} = \sum_{k=0}^{K-1} A_{ik} B_{kj}.$$

# %%
@cuda.jit
def naive_matmul(A, B, C):
    j = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x   # column
    i = cuda.blockIdx.y * cuda.blockDim.y + cuda.threadIdx.y   # row
    if i < C.shape[0] and j < C.shape[1]:
        total = 0.0
        for k in range(A.shape[1]):
            total += A[i, k] * B[k, j]
        C[i, j] = total


rng = np.random.default_rng(0)
A = rng.standard_normal((13, 7))
B = rng.standard_normal((7, 19))
C = np.zeros((13, 19))
T = 8                                            # 8 x 8 threads per block
grid = (math.ceil(19 / T), math.ceil(13 / T))    # (blocks along x = columns, along y = rows)
naive_matmul[grid, (T, T)](A, B, C)
print("grid of blocks:", grid, "| max |C - A @ B| =", np.abs(C - A @ B).max())
assert np.allclose(C, A @ B, rtol=1e-12, atol=1e-12)

# %% [markdown]
# Which block computed which part of $C$? The picture below colours each element of $C$
# by the block that owns it. The blocks on the right and bottom edges are only partly
# used: their extra threads fail the bounds check. (Shapes that are not multiples of the
# block size are exactly where kernels have bugs, so the tests use them on purpose.)

# %%
@cuda.jit
def block_map(owner):
    j = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    i = cuda.blockIdx.y * cuda.blockDim.y + cuda.threadIdx.y
    if i < owner.shape[0] and j < owner.shape[1]:
        owner[i, j] = cuda.blockIdx.y * cuda.gridDim.x + cuda.blockIdx.x   # gridDim.x: blocks along x


owner = np.zeros((13, 19), dtype=np.int64)
block_map[grid, (T, T)](owner)
fig, ax = plt.subplots(figsize=(6, 4))
ax.imshow(owner, cmap="tab10", vmin=0, vmax=9)
for by in range(grid[1]):
    for bx in range(grid[0]):
        ax.text(bx * T + 0.5, by * T + 0.5, f"block\n({bx},{by})", fontsize=8, va="top")
ax.set_title("C (13 x 19): which 8 x 8 block computes each element")
ax.set_xlabel("column j  (threadIdx.x, blockIdx.x)")
ax.set_ylabel("row i  (threadIdx.y, blockIdx.y)")
plt.savefig(os.path.join(OUT, "block_map.png"), dpi=100, bbox_inches="tight")
show()
assert owner.max() == grid[0] * grid[1] - 1

# %% [markdown]
# ### Why the naive kernel is slow
#
# Each thread reads a whole row of $A$ and a whole column of $B$ from **global memory**
# (the GPU's large, slow DRAM): $2K$ loads for $K$ multiply-adds. Over the matrix that is
# $2MNK$ loads for $2MNK$ floating-point operations (a multiply-add counts as 2 FLOPs).
# Arithmetic is cheap on a GPU; fetching numbers is what costs. The fix is **reuse**:
# load a number once, use it many times from fast on-chip memory.

# %% [markdown]
# ## 3. Shared memory: threads of a block cooperate
#
# Each block has a small, fast **shared memory** (up to 48 KiB per block here; 228 KB per
# streaming multiprocessor on an H100), visible to all its threads and to no other block.
# Threads fill it, then wait at a barrier, `cuda.syncthreads()`, until *every* thread of the
# block has arrived, and only then read what the others wrote.
#
# A classic use: summing an array by a **tree reduction**. Each block loads 8 numbers into
# shared memory; then in $\log_2 8 = 3$ halving steps thread $t$ adds element $t + \text{step}$
# to element $t$:
# ```
#  a b c d e f g h      step 4:  a+e b+f c+g d+h
#                       step 2:  a+e+c+g  b+f+d+h
#                       step 1:  a+e+c+g+b+f+d+h    -> partial sum of the block
# ```
# Without the barrier a thread might read its neighbour's slot *before* the neighbour wrote it,
# and without one after the last step a thread might reuse the buffer while another still reads
# the total.
#
# The project's softmax kernel has this tree as a device function (a function that kernels
# call, compiled into them): `block_sum(buf, value, tid, nthreads)` in `kernels/softmax.py`,
# which you write in lab 6 (task 6.4). Here one block per 8 numbers calls it:

# %%
from kernels.softmax import block_sum  # lab 6, task 6.4

BLOCK = 8   # threads per block, a power of two (the halving needs it)


@cuda.jit
def block_sums(x, partial):
    buf = cuda.shared.array(BLOCK, np.float64)   # one shared array per block
    t = cuda.threadIdx.x
    i = cuda.blockIdx.x * BLOCK + t
    total = block_sum(buf, x[i] if i < x.shape[0] else 0.0, t, BLOCK)
    if t == 0:
        partial[cuda.blockIdx.x] = total


x = rng.standard_normal(29)
partial = np.zeros(math.ceil(29 / BLOCK))
block_sums[partial.size, BLOCK](x, partial)
print("partial sums of the blocks:", np.round(partial, 4))
print("their total:", partial.sum(), " numpy:", x.sum())
assert np.isclose(partial.sum(), x.sum(), rtol=1e-12)

# %% [markdown]
# The softmax kernel below uses exactly this tree, and the tiled matmul uses shared memory
# for reuse. We now switch from our teaching kernels to the ones minitorch really runs.
#
# ## 4. The project's three matmul kernels
#
# `kernels/matmul.py` holds three kernels (open the file: its docstring draws each tiling).
#
# 1. **naive** — one thread per output, as we just wrote.
# 2. **tiled** — a block of $T \times T$ threads computes a $T \times T$ tile of $C$. It walks
#    along $K$ in steps of $T$: each thread copies *one* element of an $A$ tile and *one* of a
#    $B$ tile into shared memory, `syncthreads`, then every thread uses $T$ elements of each
#    tile. Every number fetched from global memory is used $T$ times.
# 3. **register** — each of 256 threads owns an $8 \times 8$ patch of a $128 \times 128$ block
#    tile and keeps its 64 partial sums in **registers** (the fastest memory, private to a
#    thread). Per step along $K$ it loads 8 numbers of $A$ and 8 of $B$ and does all
#    $8 \times 8 = 64$ multiply-adds between them (an outer product).
#
# `kernels.matmul.matmul(a, b, kernel=...)` has numpy's `matmul` semantics. Let's check all
# three on awkward shapes (not multiples of any tile) against numpy.

# %%
from kernels import matmul as kmatmul

A = rng.standard_normal((19, 23))
B = rng.standard_normal((23, 17))
for kind in ("naive", "tiled", "register"):
    start = time.perf_counter()
    C = to_host(kmatmul.matmul(to_device(A), to_device(B), kernel=kind))
    error = np.abs(C - A @ B).max()
    seconds = time.perf_counter() - start
    print(f"{kind:9s} max |error| = {error:.1e}   ({seconds:.2f} s{' simulated' if SIMULATOR else ''})")
    assert error < 1e-12

# %% [markdown]
# (The simulated times say nothing about a GPU: the simulator pays per *thread*, and the tiled
# kernel has the most threads. Speed on a GPU is the next section's topic.)
#
# On the `"cuda"` device, `@` on tensors runs the register kernel, forward and backward.
# New API: `tensor.to("cuda")` moves a tensor to the device (`.cpu()` moves it back), and
# every op on it runs there; `tensor.device` says where a tensor lives.

# %%
a_cpu = minitorch.randn(6, 5, dtype=minitorch.float64, requires_grad=True)
b_cpu = minitorch.randn(5, 7, dtype=minitorch.float64, requires_grad=True)
a_gpu = a_cpu.detach().to("cuda").requires_grad_()
b_gpu = b_cpu.detach().to("cuda").requires_grad_()
(a_cpu @ b_cpu).sum().backward()
(a_gpu @ b_gpu).sum().backward()
print("device of a_gpu @ b_gpu:", (a_gpu @ b_gpu).device)
print("max |grad difference|:", np.abs(a_gpu.grad.cpu().numpy() - a_cpu.grad.numpy()).max())
assert np.allclose(a_gpu.grad.cpu().numpy(), a_cpu.grad.numpy(), atol=1e-12)
assert np.allclose(b_gpu.grad.cpu().numpy(), b_cpu.grad.numpy(), atol=1e-12)

# %% [markdown]
# ## 5. The roofline: why tiling pays
#
# A kernel is limited by one of two things: how fast the GPU computes (peak FLOP/s) or how
# fast it moves bytes from global memory (bandwidth, bytes/s). Their link is the
# **arithmetic intensity**
# $$I = \frac{\text{FLOPs}}{\text{bytes moved to and from global memory}} \quad[\text{FLOP/byte}].$$
# A kernel can go no faster than
# $$\text{attainable FLOP/s} = \min(\text{peak},\; I \times \text{bandwidth}).$$
# Plotted against $I$ on log axes this is a slanted line that meets a flat roof — the
# **roofline**. The corner, $I^* = \text{peak} / \text{bandwidth}$, is the **ridge point**: left
# of it a kernel is *memory-bound*, right of it *compute-bound*.
#
# Take square fp32 matrices, $n \times n$, 4 bytes a number, $2n^3$ FLOPs, and count global loads
# (ignoring caches; $C$ is written once, $n^2$ numbers):
#
# | kernel | numbers loaded | intensity $I$ |
# |---|---|---|
# | naive | $2n^3$ | $\tfrac{2n^3}{4(2n^3 + n^2)} \approx \tfrac14$ |
# | tiled, $T \times T$ tiles | $2n^3 / T$ | $\approx T/4$ |
# | register, $B_M \times B_N$ block tiles | $n^3 (1/B_M + 1/B_N)$ | $\approx \tfrac{B_M B_N}{2(B_M + B_N)}$ |
# | ideal: each matrix once | $2n^2$ | $\tfrac{2n^3}{4 \cdot 3n^2} = n/6$ |
#
# The peak numbers of an H100 SXM5, from NVIDIA's datasheet: FP32 without tensor cores (the
# kernels here are fp32 and use none), and the HBM3 bandwidth:

# %%
H100 = {"name": "H100 SXM5", "fp32_flops": 67e12, "bandwidth": 3.35e12}
ridge = H100["fp32_flops"] / H100["bandwidth"]
print(f"ridge point: {ridge:.1f} FLOP/byte")

n = 4096
flops = 2 * n**3
loads = {                       # numbers fetched from global memory (plus the n^2 of C written)
    "naive": 2 * n**3,
    "tiled (T=16)": 2 * n**3 / 16,
    "register (128x128)": n**3 * (1 / 128 + 1 / 128),
}
intensity = {name: flops / (4 * (count + n**2)) for name, count in loads.items()}
bound = {name: min(H100["fp32_flops"], i * H100["bandwidth"]) for name, i in intensity.items()}
for name in loads:
    side = "memory-bound" if intensity[name] < ridge else "compute-bound"
    print(f"{name:19s} I = {intensity[name]:6.2f} FLOP/B -> at most {bound[name] / 1e12:5.1f} "
          f"TFLOP/s ({side})")
assert intensity["naive"] < intensity["tiled (T=16)"] < ridge < intensity["register (128x128)"]

# %% [markdown]
# So, on paper: the naive kernel is starved for data (at most about 0.8 TFLOP/s if every load
# went to DRAM), tiling raises the ceiling 16-fold but stays memory-bound, and only register
# blocking crosses the ridge, where the arithmetic units themselves become the limit.
# Two honest caveats: caches (L1, and an H100's 50 MB L2) catch some of the naive kernel's
# reuse, so it beats its bound in practice; and shared memory has a bandwidth too. The tiled
# kernel reads 2 shared-memory numbers per multiply-add, the register kernel only
# $(8 + 8) / (8 \cdot 8) = 1/4$ — the second reason register blocking wins.

# %%
I = np.logspace(-1.5, 3, 200)
fig, ax = plt.subplots(figsize=(6.5, 4))
ax.loglog(I, np.minimum(H100["fp32_flops"], I * H100["bandwidth"]) / 1e12, "k-", label="H100 roofline (fp32)")
for name, i in intensity.items():
    ax.plot(i, bound[name] / 1e12, "o", label=f"{name}: I = {i:.2f}")
ax.axvline(ridge, color="grey", ls=":", label=f"ridge point {ridge:.0f} FLOP/B")
ax.set_xlabel("arithmetic intensity (FLOP / byte of global memory)")
ax.set_ylabel("attainable TFLOP/s")
ax.set_title(f"Roofline of an {H100['name']}, matmul n = {n}")
ax.legend(fontsize=8)
plt.savefig(os.path.join(OUT, "roofline.png"), dpi=100, bbox_inches="tight")
show()

# %% [markdown]
# ### Measured numbers
#
# Formulas give ceilings; only a GPU gives speeds. `python benchmarks/gpu.py` (on a machine
# with an NVIDIA GPU) times the three kernels against cuBLAS, NVIDIA's own matmul, and writes
# `benchmarks/results/gpu-<gpu name>.json`. This cell shows what is there.

# %%
here = os.path.dirname(os.path.abspath(__file__)) if "__file__" in globals() else os.getcwd()
result_files = sorted(glob.glob(os.path.join(here, "..", "benchmarks", "results", "gpu-*.json")))
if not result_files:
    print("No GPU measurement is available yet: benchmarks/results/ holds no gpu-*.json file.\n"
          "Only the formulas above apply. On a machine with an NVIDIA GPU run\n"
          "    pip install -e '.[gpu]' && python benchmarks/gpu.py\n"
          "and this cell will show the measured TFLOP/s next to the roofline.")
for path in result_files:
    with open(path) as f:
        report = json.load(f)
    print(f"{os.path.basename(path)}: {report['machine']['gpu']}, measured {report['date']}")
    print(f"{'n':>6} {'cuBLAS':>8} " + " ".join(f"{k:>16}" for k in ("naive", "tiled", "register")))
    for row in report.get("matmul", []):
        cells = [f"{row[k + '_tflops']:6.1f} ({row[k + '_pct_of_cublas']:3.0f}%)" if k + "_tflops" in row
                 else f"{'-':>16}" for k in ("naive", "tiled", "register")]
        print(f"{row['n']:>6} {row['cublas_tflops']:8.1f} " + " ".join(f"{c:>16}" for c in cells))
    print("(TFLOP/s, and % of cuBLAS in brackets)")

# %% [markdown]
# ## 6. The online softmax
#
# The stable softmax of lesson 4 subtracts the maximum $m = \max_j x_j$:
# $$y_j = \frac{e^{x_j - m}}{d}, \qquad d = \sum_j e^{x_j - m}.$$
# Written plainly that is **two passes** over $x$ to get $m$ and $d$ (then a third to write $y$).
# On a GPU every pass over memory costs time. Can we find $m$ and $d$ in *one* pass, when
# we do not know the final maximum yet?
#
# Keep a running maximum $m_j$ and a running sum $d_j$ taken *relative to it*:
# $$m_j = \max(m_{j-1}, x_j), \qquad d_j = d_{j-1}\, e^{m_{j-1} - m_j} + e^{x_j - m_j},$$
# starting from $m_0 = -\infty$, $d_0 = 0$. **Claim:** $d_j = \sum_{i \le j} e^{x_i - m_j}$.
# By induction: if $d_{j-1} = \sum_{i<j} e^{x_i - m_{j-1}}$, then
# $$d_{j-1} e^{m_{j-1} - m_j} = \sum_{i<j} e^{x_i - m_{j-1}} e^{m_{j-1} - m_j} = \sum_{i<j} e^{x_i - m_j},$$
# and adding $e^{x_j - m_j}$ completes the sum. When the maximum grows, the factor
# $e^{m_{j-1} - m_j} \le 1$ **rescales** the old sum to the new reference; every exponent stays
# $\le 0$, so nothing overflows.

# %%
def softmax_two_pass(x):
    m = x.max()                       # pass 1
    d = np.exp(x - m).sum()           # pass 2
    return np.exp(x - m) / d


def online_max_and_sum(x):
    m, d = -np.inf, 0.0
    for value in x:                   # one pass
        m_new = max(m, value)
        d = d * np.exp(m - m_new) + np.exp(value - m_new)
        m = m_new
    return m, d


x = 800 + 3 * rng.standard_normal(20)  # scores near 800: exp(800) overflows float64 (max ~ e^709)
m, d = online_max_and_sum(x)
y_online = np.exp(x - m) / d
print("max |online - two-pass| =", np.abs(y_online - softmax_two_pass(x)).max())
assert m == x.max() and np.allclose(y_online, softmax_two_pass(x), rtol=1e-12, atol=1e-15)
with np.errstate(over="ignore", invalid="ignore"):
    naive = np.exp(x) / np.exp(x).sum()
print("naive exp(x)/sum has NaN:", np.isnan(naive).any())
assert np.isnan(naive).any()

# %% [markdown]
# The same rule merges **two partial results**: $(m_1, d_1)$ from one chunk and $(m_2, d_2)$ from
# another give $m = \max(m_1, m_2)$, $d = d_1 e^{m_1 - m} + d_2 e^{m_2 - m}$. So a row can be
# cut into pieces handled by different threads, in any order, and combined by the tree
# reduction of section 3. That is what `kernels/softmax.py` does: each thread makes one online
# pass over its share of a row, then the block merges the pairs in shared memory.

# %%
def merge(a, b):
    (m1, d1), (m2, d2) = a, b
    m = max(m1, m2)
    return m, d1 * np.exp(m1 - m) + d2 * np.exp(m2 - m)


pieces = [online_max_and_sum(chunk) for chunk in np.array_split(x, 4)]
m_tree, d_tree = merge(merge(pieces[0], pieces[2]), merge(pieces[1], pieces[3]))   # any order
print(f"4 chunks merged: m = {m_tree:.3f}, d = {d_tree:.6f};  one pass: m = {m:.3f}, d = {d:.6f}")
assert m_tree == m and np.isclose(d_tree, d, rtol=1e-12)

# %% [markdown]
# The project's softmax kernel, on rows with huge values and with $-\infty$ (masked) entries,
# against numpy's stable softmax:

# %%
from kernels import softmax as ksoftmax

rows = rng.standard_normal((5, 27)) * 100
rows[1, :5] = -np.inf                         # masked positions get probability 0
expected = np.exp(rows - rows.max(1, keepdims=True))
expected /= expected.sum(1, keepdims=True)
y = to_host(ksoftmax.softmax(to_device(rows)))
print("max |kernel - numpy| =", np.abs(y - expected).max(), "| rows sum to", y.sum(1).round(12))
assert np.allclose(y, expected, rtol=1e-12, atol=1e-15) and (y[1, :5] == 0).all()

# %% [markdown]
# ## 7. Fused attention: never store the N × N matrix
#
# Attention (lesson 8) computes, per batch and head, with $Q, K, V$ of shape $(N, d)$:
# $$S = \tfrac{1}{\sqrt d} Q K^\top \;(N \times N), \qquad P = \operatorname{softmax}(S) \;(N \times N),
# \qquad O = P V \;(N \times d).$$
# The **composite** version (`minitorch.nn.attention.composite_attention`, what the CPU runs)
# writes $S$ and $P$ to memory and keeps $P$ for the backward pass: memory grows as $N^2$.
#
# The online softmax removes the need for $S$. Walk over the keys one tile of $B_c$ at a time,
# keeping per query row the running max $m$, running sum $\ell$, and an *unnormalised* output
# $\tilde O = \sum_j e^{s_j - m} v_j$. When a tile raises the max from $m$ to $m'$, rescale what you
# have by $\alpha = e^{m - m'}$, exactly like $d$ above:
# $$\ell \leftarrow \alpha \ell + \textstyle\sum_{j \in \text{tile}} e^{s_j - m'}, \qquad
# \tilde O \leftarrow \alpha \tilde O + \sum_{j \in \text{tile}} e^{s_j - m'} v_j,$$
# and at the end $O = \tilde O / \ell$. Only a $B_r \times B_c$ tile of scores ever exists, in
# registers and shared memory. Here it is in numpy, tile by tile:

# %%
def attention_composite(q, k, v):
    s = q @ k.T / math.sqrt(q.shape[1])
    p = np.exp(s - s.max(1, keepdims=True))
    return (p / p.sum(1, keepdims=True)) @ v


def attention_tiled(q, k, v, tile=4):
    scale = 1 / math.sqrt(q.shape[1])
    m = np.full(len(q), -np.inf)           # running max per query row
    l = np.zeros(len(q))                   # running sum of exp(s - m)
    o = np.zeros((len(q), v.shape[1]))     # unnormalised output
    for j0 in range(0, len(k), tile):      # one tile of keys at a time
        s = q @ k[j0:j0 + tile].T * scale  # (N, tile): the only scores that exist
        m_new = np.maximum(m, s.max(1))
        alpha = np.exp(m - m_new)          # rescale what was accumulated so far
        p = np.exp(s - m_new[:, None])
        l = alpha * l + p.sum(1)
        o = alpha[:, None] * o + p @ v[j0:j0 + tile]
        m = m_new
    return o / l[:, None]


q, k, v = (rng.standard_normal((11, 6)) for _ in range(3))
print("max |tiled - composite| =", np.abs(attention_tiled(q, k, v) - attention_composite(q, k, v)).max())
assert np.allclose(attention_tiled(q, k, v), attention_composite(q, k, v), rtol=1e-12, atol=1e-14)

# %% [markdown]
# ### Counting bytes at N = 8192
#
# Take the shape `benchmarks/gpu.py` measures: batch 2, 8 heads, head size $d = 64$, fp32.
# Inputs and output, $Q, K, V, O$, are $4 \cdot BH \cdot N d$ numbers. On top of them:
# - composite: $S$ and $P$, $2 \cdot BH \cdot N^2$ numbers;
# - fused: one log-sum-exp per query row ($\log \ell + m$, kept for the backward), $BH \cdot N$ numbers.

# %%
def attention_bytes(N, batch_heads=16, d=64, itemsize=4):
    """(inputs and output, composite's extra, fused's extra) in bytes."""
    qkvo = 4 * batch_heads * N * d * itemsize
    composite_extra = 2 * batch_heads * N * N * itemsize     # S and P
    fused_extra = batch_heads * N * itemsize                 # the log-sum-exp of each row
    return qkvo, composite_extra, fused_extra


N = 8192
qkvo, composite_extra, fused_extra = attention_bytes(N)
print(f"N = {N}: Q, K, V, O take {qkvo / 2**20:.0f} MiB in both versions")
print(f"  composite adds S and P: {composite_extra / 2**30:.1f} GiB")
print(f"  fused adds the row log-sum-exps: {fused_extra / 2**10:.0f} KiB")
print(f"  in all: {(qkvo + composite_extra) / (qkvo + fused_extra):.0f}x less memory for the fused kernel")
assert composite_extra == 2 * N * fused_extra          # N^2 numbers per head against N
Ns = 2 ** np.arange(7, 15)
sizes = np.array([attention_bytes(int(n_)) for n_ in Ns]) / 2**20
fig, ax = plt.subplots(figsize=(6, 4))
ax.loglog(Ns, sizes[:, 0] + sizes[:, 1], "o-", label="composite: Q, K, V, O + S and P (N² term)")
ax.loglog(Ns, sizes[:, 0] + sizes[:, 2], "s-", label="fused: Q, K, V, O + one number per row")
ax.set_xlabel("sequence length N")
ax.set_ylabel("memory for attention (MiB)")
ax.set_title("Attention memory, batch 2 x 8 heads, d = 64, fp32")
ax.legend(fontsize=8)
plt.savefig(os.path.join(OUT, "attention_memory.png"), dpi=100, bbox_inches="tight")
show()

# %% [markdown]
# Memory traffic falls too (no $N^2$ matrix is written and read back four times), but the
# main prize is the footprint: at $N = 8192$ the composite needs 8 GiB just for $S$ and
# $P$ — more than the inputs by a factor $N/(2d) = 64$ — and the fused kernel half a megabyte.
#
# `kernels/attention.py` is this algorithm on the GPU: a block owns $B_r$ query rows, loads
# $K$ and $V$ tiles into shared memory, and each thread keeps a few rows' $m$, $\ell$ and
# $\tilde O$ in registers. Its backward pass recomputes each tile of $P$ from the stored
# log-sum-exp instead of storing $P$. On `"cuda"`, `F.scaled_dot_product_attention` runs it
# (forward and backward); on the CPU the composite runs. Let's compare the two, with a causal
# mask, in float64:

# %%
from kernels import attention as kattention

minitorch.manual_seed(0)
batch, heads, d = (1, 2, 8) if FAST else (2, 2, 16)    # small: the simulator is slow
tiling = kattention.forward_tiling(np.float64, d)       # the tiles the kernel launches with here
N = (3 if FAST else 6) * tiling.bc // 2                 # 1.5 or 3 key tiles' worth of keys
key_tiles = math.ceil(N / tiling.bc)
print(f"N = {N} keys: {key_tiles} key tiles of B_c = {tiling.bc}; a block holds a "
      f"{tiling.br} x {tiling.bc} tile of the {N} x {N} scores at a time")
assert key_tiles > 1 and tiling.br < N                  # the example really tiles
q, k, v = (minitorch.randn(batch, heads, N, d, dtype=minitorch.float64) for _ in range(3))
results = {}
for device in ("cpu", "cuda"):
    leaves = [t.detach().to(device).requires_grad_() for t in (q, k, v)]
    out = F.scaled_dot_product_attention(*leaves, is_causal=True)
    (out * out).sum().backward()
    results[device] = [out.detach().cpu().numpy()] + [t.grad.cpu().numpy() for t in leaves]
for name, cpu_value, gpu_value in zip(("O", "dQ", "dK", "dV"), results["cpu"], results["cuda"]):
    print(f"{name:2s}: max |cuda - cpu| = {np.abs(gpu_value - cpu_value).max():.1e}")
    assert np.allclose(gpu_value, cpu_value, rtol=1e-10, atol=1e-12)

# %% [markdown]
# The fused kernel and the composite agree to rounding, forward and backward, though the
# kernel never held the $N \times N$ score matrix: it walked over the keys one $B_c$ tile at a
# time (the print above says how many), and a block held one $B_r \times B_c$ tile of scores.
# The tiles depend on where the kernel runs: $8 \times 8$ under the simulator (16 threads a
# block, since each is a Python thread), $64 \times 64$ on a GPU for this head size; $N$ is
# chosen from the tile so that the example tiles either way.
#
# ## 8. Reading a kernel's machine code
#
# The simulator proves that a kernel computes the right numbers; it says nothing about speed.
# Without a GPU we can still read what a GPU would run. A kernel goes through two compilers
# and a disassembler:
#
# ```
# Python --numba + NVVM--> PTX (virtual assembly) --ptxas--> SASS (machine code, in a .cubin)
#                                                            --nvdisasm--> SASS as text
# ```
#
# None of them needs a GPU: `numba.cuda.compile_ptx` types and lowers the kernel and runs NVIDIA's
# NVVM, exactly as a launch would; `ptxas` (NVIDIA's assembler) reports registers, shared
# memory and spills; `nvdisasm` prints the machine code. `pip install -e ".[dev]"` installs
# both tools (NVIDIA's `nvidia-cuda-nvcc-cu12` and `nvidia-cuda-nvdisasm` wheels), and
# `python -m kernels.ptx --table` runs the chain for every kernel of the project
# (`kernels/ptx.py`; `kernels/sass.py` reads the loops). We compile two kernels for an H100
# (compute capability 9.0, "sm_90"), in float32 with contiguous arrays, which is what a real
# launch specialises on: the production matmul and the fused attention forward (d = 64). NVVM
# needs the real `numba.cuda`, not the simulator this process runs, so the compilation runs in
# a separate Python process; its results are cached in the lesson's output folder, keyed by the
# kernels' source, so that a second run takes no time.

# %%
import collections
import hashlib
import subprocess
import sys

from kernels import estimate, sass
from kernels import ptx as kptx

ROOT = os.path.dirname(os.path.abspath(here))          # the repository (``here`` is lessons/)
SHOWN = ("matmul_register_large", "attention_forward_d64")
H100_CC = (9, 0)


def compile_for_h100(names):
    """({name: facts}, {name: SASS text}) of ``python -m kernels.ptx`` for ``names`` (float32,
    sm_90, C layout), cached in OUT; or (None, why not) when the tools are missing."""
    missing = [tool for tool, path in (("ptxas", kptx.ptxas_path()),
                                       ("nvdisasm", kptx.nvdisasm_path())) if path is None]
    if missing:
        return None, f"{' and '.join(missing)} not found (pip install -e '.[dev]' installs them)"
    digest = hashlib.sha256(" ".join(names).encode())
    for path in sorted(glob.glob(os.path.join(ROOT, "kernels", "*.py"))):
        with open(path, "rb") as f:
            digest.update(f.read())
    folder = os.path.join(OUT, "machine_code", digest.hexdigest()[:16])
    facts_path = os.path.join(folder, "facts.json")
    if not os.path.exists(facts_path):
        env = {key: value for key, value in os.environ.items() if key != "NUMBA_ENABLE_CUDASIM"}
        run = subprocess.run([sys.executable, "-m", "kernels.ptx", "--dtypes", "float32",
                              "--ccs", "90", "--layouts", "C", "--ptx-dir", folder,
                              "--kernels", *names], cwd=ROOT, env=env, capture_output=True, text=True)
        if run.returncode == 3:                       # kernels.ptx's code for "no NVVM"
            return None, run.stderr.strip()
        if run.returncode != 0:
            raise RuntimeError(f"python -m kernels.ptx failed:\n{run.stderr[-3000:]}")
        for name in names:                            # the machine code itself, to read below
            (ptx_file,) = glob.glob(os.path.join(folder, f"{name}_float32_sm_90_C*.ptx"))
            with open(ptx_file) as f, open(os.path.join(folder, name + ".sass"), "w") as out:
                out.write(kptx.sass(f.read(), H100_CC))
        with open(facts_path, "w") as f:
            f.write(run.stdout)
    with open(facts_path) as f:
        facts = {kptx.parse_key(key)[0]: value for key, value in json.load(f)["kernels"].items()}
    code = {}
    for name in names:
        with open(os.path.join(folder, name + ".sass")) as f:
            code[name] = f.read()
    return facts, code


start = time.perf_counter()
facts, code = compile_for_h100(SHOWN)
MEASURED = facts is not None
if MEASURED:
    print(f"compiled {len(SHOWN)} kernels for sm_90 and read their machine code "
          f"({time.perf_counter() - start:.1f} s; cached in {OUT})")
else:
    print(f"COULD NOT COMPILE the kernels here: {code}\n"
          "So the 'after' rows below are numbers stored in the lesson (measured for the current\n"
          "kernels with ptxas 12.9 and nvdisasm 13.5), not measured by this run, and nothing\n"
          "about the machine code is checked.")

# %% [markdown]
# ### The matmul's K step, before
#
# The hot loop of a matmul is the step along $K$: for each $k$, read $T_M = 8$ numbers of the A
# slice and $T_N = 8$ of the B slice from shared memory and do the $8 \times 8 = 64$ FFMA
# (fused multiply-add: $c \leftarrow a b + c$ in one instruction, 2 FLOPs). Each of an SM's
# four schedulers issues one warp instruction a clock, so **every instruction that is not an
# FFMA takes a slot an FFMA could have had**. The first version of the register kernel (in the
# project's git history: `git show fced684:kernels/matmul.py`) compiled to this loop, one $k$ a
# trip (excerpt; `;` comments added):
#
# ```
# LOP3.LUT R139, R139, 0x80000000, RZ, 0xc0, !PT  ; the sign of an index: numba's fix-up for
# LEA.HI R139, R139, R147, RZ, 0x4                ;   negative indices, as Python allows
# ISETP.NE.U32.AND P0, PT, R96, RZ, PT            ; the loop counter is 64-bit: two compares
# ISETP.NE.AND.EX P0, PT, R95, RZ, PT, P0
# IMAD R141, R139, 0x84, R92                      ; an address per number: row * 132 + column,
# IMAD R143, R139, 0x84, R21                      ;   then * 4 bytes (LEA): 36 IMAD, 17 LEA
# LEA R140, R140, UR24, 0x2
# LDS R140, [R140]                                ; 32-bit shared loads: one number each, 16
# LDS R141, [R141]
# FFMA R34, R141, R140, R34                       ; the work: 64 of these
# FFMA R35, R140, R138, R35
# IADD3 R94, P1, R94, R153, RZ                    ; k += 1, in 64 bits (IADD3 + IMAD.X)
# IMAD.X R97, RZ, RZ, R97, P1
# @P0 BRA `(.L_x_78)                              ; back: the next k
# ```
#
# **141 instructions for 64 FFMA: 45% of the issue slots do arithmetic.** No `LDS.128` (a
# thread's 8 columns were 16 apart, so no four of them were adjacent), and the global loads of
# the next slice ran in separate loops, each load followed by its store to shared memory before
# the next could issue: one load in flight, 8 round trips to memory (about 600 clocks each) a K
# step. With 168 registers a thread, one block of 8 warps fits on an SM.
#
# Four changes, each read off the machine code as it was made (`kernels/matmul.py` documents
# them):
#
# | change | what the SASS showed |
# |---|---|
# | register-staged prefetch: load the next slice into registers before the arithmetic, store it after | the 8 global loads in flight together, hidden behind the FFMAs |
# | the BK = 8 loop unrolled (a chain of inlined device functions with a constant k) | one loop body of 512 FFMA; every shared address a register + constant; no loop counter |
# | contiguous fragments (a thread's columns in runs of 4) | `LDS.128`: 4 numbers an instruction, 32 shared loads a K step instead of 128 |
# | 32-bit index arithmetic, bit operations for thread coordinates, an interior path without bounds tests | no negative-index fix-ups; 64-bit adds (`IADD3` + `IMAD.X`) only for the 8 global pointers |
#
# ### The estimate: from a loop to TFLOP/s
#
# `kernels/estimate.py` turns a loop's counts into a TFLOP/s figure for an H100 (its docstring
# states every assumption). Three factors:
#
# - **issue rate**: the FFMA share of the loop, $\frac{\text{FFMA}}{\text{instructions}}$ (an
#   H100's FP32 pipe takes one warp FFMA a clock per scheduler, so the loop costs
#   max(instructions, FFMA) clocks per warp);
# - **latency hiding**: a K step of $s$ issue clocks ends at a barrier that waits about 30 clocks,
#   plus every memory round trip the arithmetic did not cover (about 600 clocks each when loads
#   are serialised); other resident blocks issue meanwhile, so the stall divides by the blocks per
#   SM: hiding $= s / (s + \text{stall} / \text{blocks})$;
# - **memory bound**: capped by the L2 bandwidth over the bytes per FLOP (never binding at
#   128 x 128 tiles).
#
# $$\text{TFLOP/s} \approx \text{peak (66.9)} \times \text{issue rate} \times \text{hiding}.$$
# It is a model to compare kernels and versions, read it as $\pm 25\%$; only a GPU measures.
#
# The "before" columns below are stored numbers of the earlier kernels (compiled the same way
# from commit `fced684`); the estimate is recomputed from them here.

# %%
BEFORE = {   # stored: the previous kernels' hot loops (sm_90, float32, C layout, ptxas 12.9)
    "matmul_register_large": dict(
        registers=168, shared_bytes=8448, threads=256, trips_per_step=8, round_trips=8,
        loop=sass.LoopStats(start=0x8940, end=0x9200, instructions=141, ffma=64, ffma_share=0.454,
                            lds=16, lds128=0, global_loads=0, loads_in_flight=0, issue_to_use=0)),
    "attention_forward_d64": dict(   # 64 x 32 tiles, 128 threads; the P V loop (the S loop: 41/16)
        registers=149, shared_bytes=37504, threads=128, trips_per_step=1, round_trips=None,
        loop=sass.LoopStats(start=0x90a0, end=0x95d0, instructions=84, ffma=32, ffma_share=0.381,
                            lds=12, lds128=0, global_loads=0, loads_in_flight=0, issue_to_use=0)),
}
AFTER_STORED = {   # stored: what this lesson measures where the tools exist (see above)
    "matmul_register_large": dict(registers=242, blocks=1, instructions=846, ffma=512,
                                  ffma_share=0.605, lds128=32, tflops=39.1),
    "attention_forward_d64": dict(registers=198, blocks=1, instructions=96, ffma=64,
                                  ffma_share=0.67, lds128=8, tflops=34.0),
}


def before_row(name):
    """The stored earlier kernel's numbers, with the estimate recomputed by the model."""
    old = BEFORE[name]
    occupancy = sass.occupancy(old["registers"], old["shared_bytes"], old["threads"], H100_CC)
    est = estimate.tflops(old["loop"], occupancy, H100_CC, old["threads"],
                          trips_per_step=old["trips_per_step"], round_trips=old["round_trips"])
    loop = old["loop"]
    return dict(registers=old["registers"], blocks=occupancy["blocks"], instructions=loop.instructions,
                ffma=loop.ffma, ffma_share=loop.ffma_share, lds128=loop.lds128, tflops=est["tflops"])


def after_row(name):
    """The current kernel's numbers: measured above, or the stored ones (said so)."""
    if not MEASURED:
        return AFTER_STORED[name]
    fact = facts[name]
    hot = fact["hot_loop"]
    return dict(registers=fact["ptxas"]["registers"], blocks=fact["occupancy"]["blocks"],
                instructions=hot["instructions"], ffma=hot["ffma"], ffma_share=hot["ffma_share"],
                lds128=hot["lds128"], tflops=fact["estimate"]["tflops"])


def print_rows(name):
    print(f"{name}:  {'regs':>4} {'blk/SM':>6} {'instr':>5} {'FFMA':>4} {'share':>5} "
          f"{'LDS.128':>7} {'est. TFLOP/s':>12}")
    for label, row in (("before", before_row(name)),
                       ("after" if MEASURED else "after (stored)", after_row(name))):
        print(f"  {label:<16} {row['registers']:>4} {row['blocks']:>6} {row['instructions']:>5} "
              f"{row['ffma']:>4} {row['ffma_share']:>5.0%} {row['lds128']:>7} {row['tflops']:>12}")


def show_loop(name, lines=10):
    """The opcode mix of a kernel's hot loop, and ``lines`` instructions from its first LDS.128."""
    hot = sass.hot_loop(sass.inner_loops(code[name]))
    body = [ins for ins in sass.instructions(code[name]) if hot.start <= ins.address <= hot.end]
    mix = collections.Counter(ins.opcode.split(".")[0] + (".128" if ".128" in ins.opcode else "")
                              for ins in body)
    print(f"{name}: hot loop of {len(body)} instructions:", dict(mix.most_common()))
    first = next((i for i, ins in enumerate(body) if ".128" in ins.opcode), 0)
    for ins in body[first:first + lines]:
        print(f"    {ins.guard:>4} {ins.opcode:<16} {ins.operands}")
    return mix


print_rows("matmul_register_large")
if MEASURED:
    mix = show_loop("matmul_register_large")
    hot = facts["matmul_register_large"]["hot_loop"]
    assert hot["ffma"] == 8 * 8 * 8                       # the whole K slice in one loop body
    assert hot["ffma_share"] >= 0.55 > BEFORE["matmul_register_large"]["loop"].ffma_share
    assert hot["lds128"] == hot["lds"] == 32 == mix["LDS.128"]   # every shared read 128-bit
    print("global loads in flight together in the K step:", hot["loads_in_flight"], "(before: 1)")
    assert hot["loads_in_flight"] == 8                   # the next slice's loads all in flight
    assert facts["matmul_register_large"]["ptxas"]["spill_stores"] == 0
    assert after_row("matmul_register_large")["tflops"] > 2 * before_row("matmul_register_large")["tflops"]

# %% [markdown]
# Read the table: the unrolled K step is one loop of 8 k's, so 512 FFMA in about 850
# instructions, **60% of the issue slots** (45% before), and its 32 shared loads are all
# `LDS.128` (each feeds 4 numbers to the FFMAs that follow it). The price is registers (242
# against 168: the unrolled slice and the staged loads keep more values live), so still one
# block of 8 warps per SM; the prefetch is what makes that enough, because the 8 global loads
# now overlap 512 FFMA instead of stalling one after the other. The model puts the
# kernel near 39 TFLOP/s on an H100, about 4 times the earlier estimate and roughly 80% of cuBLAS
# (about 50 TFLOP/s in fp32); the review that started this work estimated the old kernel at 11-17.
#
# ### The attention forward, before and after
#
# The fused attention kernel has two arithmetic loops per key tile: $S = QK^\top$ and
# $\tilde O \mathrel{+}= PV$. Before, with $64 \times 32$ tiles and 128 threads (a $64 \times 64$
# tile needed 58 KB of shared memory), they were 41 instructions for 16 FFMA and 84 for 32:
# **125 instructions for 48 FFMA, 38%**, all shared loads 32-bit, and $K$, $V$ loaded one number
# at a time (one load in flight). The rewrite (`kernels/attention_forward.py`) took the matmul's
# medicine: $K$ and $V$ staged through registers while the previous tile computes, contiguous
# per-thread runs so that both loops read with `LDS.128`, $64 \times 64$ tiles with 256 threads
# (a swizzled layout without padding fits the three tiles in 48 KB), and `exp2` with $\log_2 e$
# folded into the scale of $Q$ (one `MUFU.EX2` per score instead of `expf`'s ten instructions).
# The estimate sees only the loop: the old kernel's serialised $K$/$V$ loads sat outside it, so
# its "before" figure is an upper bound (the first review estimated 8-14 TFLOP/s).

# %%
print_rows("attention_forward_d64")
if MEASURED:
    show_loop("attention_forward_d64")
    arithmetic = [loop for loop in facts["attention_forward_d64"]["loops"] if loop["ffma"]]
    print("arithmetic loops (S, then P V):",
          [f"{loop['instructions']} instr / {loop['ffma']} FFMA = {loop['ffma_share']:.0%}"
           for loop in arithmetic])
    assert len(arithmetic) == 2                           # S = Q K^T, then O += P V
    for loop in arithmetic:
        assert loop["ffma_share"] >= 0.55 > BEFORE["attention_forward_d64"]["loop"].ffma_share
        assert loop["lds128"] >= 8 and loop["global_loads"] == 0
    assert facts["attention_forward_d64"]["ptxas"]["spill_stores"] == 0

# %% [markdown]
# Both arithmetic loops are now above 60% FFMA (63% and 67%), with 128-bit shared loads and no
# global load inside. These are static estimates: no GPU has timed these kernels yet. When one
# has, `benchmarks/gpu.py`'s results (section 5) are the numbers to believe, and the gap
# between them and the estimate is itself a lesson in what the model leaves out.
#
# ## Summary
#
# - A kernel runs once per thread; `blockIdx`, `blockDim` and `threadIdx` tell a thread what it
#   owns, and a bounds check guards the leftover threads.
# - Shared memory plus `syncthreads` lets a block cooperate: tree reductions, and tiles that are
#   loaded once and reused $T$ times.
# - Arithmetic intensity decides speed: naive matmul ($I \approx 1/4$) and tiled ($I \approx T/4$)
#   are memory-bound on an H100, register blocking ($I \approx 32$) passes the ridge point (20).
# - The online softmax rescales a running sum when the maximum grows; it gives one-pass softmax
#   and lets attention run tile by tile in O(N) memory.
# - The machine code (SASS) tells, without a GPU, where a kernel's issue slots go: the share of
#   FFMA in the inner loop, 128-bit shared loads, global loads in flight, registers and thus
#   occupancy. Prefetching, unrolling, contiguous fragments and 32-bit indices took the matmul's
#   K step from 45% to 60% FFMA (an estimated 10 to 39 TFLOP/s on an H100), and the attention
#   forward's loops from 38% to 63-67%.
#
# ## Exercises
#
# Exercises 1-5 have a check that says right or wrong, and why: `from minitorch.exercises import check`,
# then for example `check("10.1", vector_add)` (`python -m minitorch.exercises` lists what each check takes).
#
# 1. **Grid-stride loop.** Rewrite `vector_add` so that a fixed grid of 2 blocks × 4 threads adds
#    vectors of any length: each thread handles `i, i + 8, i + 16, ...`.
#    *Hint:* `for j in range(cuda.grid(1), n, cuda.gridsize(1))`.
# 2. **A tiled kernel of your own.** Write the shared-memory tiled matmul with $4 \times 4$ tiles
#    and test it on $10 \times 9$ by $9 \times 6$ matrices. Then delete the second
#    `cuda.syncthreads()` and explain what could go wrong on a GPU.
#    *Hint:* compare with `tiled_kernel` in `kernels/matmul.py`.
# 3. **Roofline in bf16.** This lesson's kernels compute in fp32. An H100's tensor cores do
#    989 TFLOP/s in bf16 (dense), with the same 3.35 TB/s. Where is the ridge point now, and which
#    of our three kernels' intensities (recomputed for bf16's 2-byte numbers) would be
#    compute-bound? *Hint:* $I$ doubles when each number takes half the bytes.
# 4. **Online softmax with a mask.** Feed `online_max_and_sum` a row that starts with $-\infty$.
#    What goes wrong at the first step, and how does `kernels/softmax.py` avoid it?
#    *Hint:* $-\infty - (-\infty)$ is NaN.
# 5. **Bytes for the backward pass.** The composite keeps $P$ for the backward pass, the fused
#    kernel keeps the log-sum-exp $L = m + \log \ell$. Show that $P_{ij} = e^{s_{ij} - L_i}$, and
#    compute how many bytes each keeps at $N = 32768$. *Hint:* reuse `attention_bytes`.
