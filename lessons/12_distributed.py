# %% [markdown]
# # Lesson 12: Data-parallel training across processes
#
# Large models are trained on many GPUs at once, often on many machines. The simplest and
# most common way to share the work is **data parallelism**: every worker holds a full copy
# of the model, each one processes a different slice of the batch, and the workers average
# their gradients before every step. In this lesson we prove that this gives *exactly* the
# same training as one process on the full batch, run it with real processes that talk
# through **MPI** using `minitorch.distributed` (PyTorch's `torch.distributed` API), and work out
# why it scales to hundreds of machines (the ring allreduce, which is what the library asks MPI
# to do).
#
# **Learning goals**
# - show from the chain rule that averaging per-shard gradients gives the full-batch gradient
#   (and where that breaks: unequal shards);
# - see that gradient accumulation over micro-batches is the same computation, done in time
#   instead of in space;
# - train on two processes with the library, as PyTorch code does: the launcher,
#   `init_process_group`, `DistributedSampler` and `DistributedDataParallel`, and check the
#   parameters against a single-process run to float64 precision;
# - build a ring allreduce from scratch, compute the bytes each worker sends, and explain why
#   it hardly grows with the number of workers.
#
# **Time:** about 45 minutes. **Builds on:** autograd and `.grad` (lessons 1–3), `nn`,
# `optim` and `data` (lessons 5–6).
#
# **New API in this lesson:** `Module.double()` (parameters to float64), `Tensor.copy_` under
# `no_grad`, `DistributedSampler` with `set_epoch`, and `minitorch.distributed` (the optional
# `distributed` extra: `pip install -e ".[distributed]"`): `python -m minitorch.distributed.run`,
# `init_process_group`, `get_rank`, `get_world_size`, `all_gather_object`,
# `destroy_process_group`, and `minitorch.nn.parallel.DistributedDataParallel`.

# %%
import os

# Each process gets one BLAS thread: two processes on a two-core laptop must not fight over
# the cores. Set before numpy is imported; the MPI workers inherit it.
for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

import importlib.util
import inspect
import shutil
import subprocess
import sys
import sysconfig

from minitorch.lesson_setup import setup

IN_NOTEBOOK, FAST, OUT, show = setup("12_distributed")  # see minitorch/lesson_setup.py
import matplotlib.pyplot as plt
import numpy as np

import minitorch
import minitorch.nn as nn
import minitorch.nn.functional as F
from minitorch.data import load_digits

# %% [markdown]
# ## 1. Why averaging gradients is exact
#
# Take a batch of $B$ examples and the mean loss
# $$L(\theta) = \frac{1}{B} \sum_{i=1}^{B} \ell_i(\theta).$$
# Split the batch into $p$ **shards** of equal size $B/p$, one per worker, and let worker $r$
# compute the mean loss of its own shard, $L_r = \frac{p}{B} \sum_{i \in \text{shard } r} \ell_i$.
# Then $L = \frac{1}{p} \sum_r L_r$, and since the gradient of a sum is the sum of the gradients,
# $$\nabla L = \frac{1}{p} \sum_{r=1}^{p} \nabla L_r .$$
# So each worker runs forward and backward on its shard only, then all workers **sum** their
# gradients and divide by $p$. An operation that leaves the sum of everyone's vectors on
# everyone is called an **allreduce**. After it every worker holds the same gradient, takes the
# same optimiser step, and the model copies stay identical without ever sending parameters.
#
# We work in float64 so that "the same" can be checked to about 12 digits. The model and the
# data are the digits MLP of lesson 6.

# %%
def load_data():
    """The digits training set as float64 images (N, 64) and int64 labels (N,)."""
    images, labels = load_digits("train").tensors
    return images.to(minitorch.float64), labels       # .to(dtype) converts, as .to("cuda") moves


def make_model(seed=0):
    """A small MLP in float64; the same seed gives the same initial weights in every process."""
    minitorch.manual_seed(seed)
    return nn.Sequential(nn.Linear(64, 32), nn.Tanh(), nn.Linear(32, 10)).double()


def gradient_vector(model, x, y):
    """Mean cross-entropy on (x, y), and the gradient of every parameter as one flat vector."""
    model.zero_grad()                  # like an optimiser's zero_grad(): clear every parameter's .grad
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    return loss.item(), np.concatenate([p.grad.numpy().ravel() for p in model.parameters()])


X, Y = load_data()
model = make_model()
print(model)
print("parameters:", sum(p.numel() for p in model.parameters()), "| training images:", len(X))

# %% [markdown]
# One process on a batch of 64, against two and four "workers" that each see only their shard.
# (Here the workers are simulated by a loop: same arithmetic, one process.)

# %%
batch = np.arange(64)
_, full = gradient_vector(model, X[batch], Y[batch])
for p in (2, 4):
    shards = np.array_split(batch, p)                       # p equal shards of 64 / p
    averaged = sum(gradient_vector(model, X[s], Y[s])[1] for s in shards) / p
    difference = np.abs(averaged - full).max()
    print(f"p = {p}: max |average of shard gradients - full-batch gradient| = {difference:.1e}")
    assert np.allclose(averaged, full, rtol=1e-12, atol=1e-14)

# %% [markdown]
# **A trap: unequal shards.** 64 examples split as 40 + 24. Each shard's *mean* loss weighs its
# examples by $1/40$ or $1/24$, so the plain average of the two gradients over-weighs the small
# shard. The cure is to weight each shard by its size, $\nabla L = \sum_r \frac{B_r}{B} \nabla L_r$
# (or to allreduce *sums* of losses and divide by the global $B$).

# %%
shards = [batch[:40], batch[40:]]
grads = [gradient_vector(model, X[s], Y[s])[1] for s in shards]
plain = (grads[0] + grads[1]) / 2
weighted = (40 * grads[0] + 24 * grads[1]) / 64
print(f"plain average:    max error {np.abs(plain - full).max():.1e}")
print(f"weighted average: max error {np.abs(weighted - full).max():.1e}")
assert np.abs(plain - full).max() > 1e-4 and np.allclose(weighted, full, rtol=1e-12, atol=1e-14)

# %% [markdown]
# ## 2. Gradient accumulation: the same sum, in time instead of space
#
# If a batch of 64 does not fit in memory, split it into $k$ micro-batches *on one worker*, run
# backward on each loss divided by $k$, and do **not** zero the gradients in between: `.grad`
# accumulates with `+=` (lesson 1), so after $k$ backward passes it holds
# $\sum_r \frac{1}{k} \nabla L_r = \nabla L$. Data parallelism computes the same terms side by side.

# %%
k = 4
model.zero_grad()
for micro in np.array_split(batch, k):
    (F.cross_entropy(model(X[micro]), Y[micro]) / k).backward()   # adds into .grad
accumulated = np.concatenate([p.grad.numpy().ravel() for p in model.parameters()])
print(f"{k} accumulated micro-batches vs full batch: max difference {np.abs(accumulated - full).max():.1e}")
assert np.allclose(accumulated, full, rtol=1e-12, atol=1e-14)

# %% [markdown]
# ## 3. Training: the reference run on one process
#
# Now whole training runs. The batches come from shuffled passes (epochs) over the training
# set, in the order that `DistributedSampler` draws: epoch $e$ reads the permutation seeded with
# `seed + e` (`set_epoch(e)` picks the epoch), so *any* process can compute it without being
# told. It is the sampler that section 4 gives every rank; told that there is one replica, it
# is a plain shuffle. The reference trains on the full batch of 64 with SGD and momentum.

# %%
import itertools

from minitorch.utils.data import DataLoader, TensorDataset     # PyTorch's spelling of minitorch.data
from minitorch.utils.data.distributed import DistributedSampler

STEPS = 20 if FAST else 100
BATCH = 64
LR, MOMENTUM = 0.1, 0.9
dataset = TensorDataset(X, Y)


def batches(dataset, batch_size, steps, num_replicas=1, rank=0):
    """`steps` batches of rank `rank`'s share of shuffled passes over `dataset` (DistributedSampler)."""
    sampler = DistributedSampler(dataset, num_replicas=num_replicas, rank=rank, shuffle=True, seed=0)
    loader = DataLoader(dataset, batch_size=batch_size, sampler=sampler)
    per_epoch = len(dataset) // (batch_size * num_replicas)       # whole batches of all ranks only
    for epoch in range(-(-steps // per_epoch)):
        sampler.set_epoch(epoch)                                  # a new order every epoch
        yield from itertools.islice(loader, min(per_epoch, steps - epoch * per_epoch))


def parameter_vector(model):
    return np.concatenate([p.detach().numpy().ravel() for p in model.parameters()])


def train_full_batch(steps):
    model = make_model()
    optimizer = minitorch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    losses = []
    for x, y in batches(dataset, BATCH, steps):
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model, losses


reference, reference_losses = train_full_batch(STEPS)
print(f"{STEPS} steps: loss {reference_losses[0]:.3f} -> {reference_losses[-1]:.3f}")
assert reference_losses[-1] < reference_losses[0]

# %% [markdown]
# ## 4. Data-parallel training with `minitorch.distributed`
#
# **MPI** (the Message Passing Interface) is the standard way for processes, on one machine or
# on thousands, to exchange data; `mpi4py` is its Python binding, and `minitorch.distributed`
# puts PyTorch's names (`torch.distributed`) on top of it. A data-parallel script has four pieces:
#
# 1. **The launcher** starts $p$ copies of the script, the **ranks** $0, \dots, p - 1$:
#    `python -m minitorch.distributed.run -n 2 train.py` (on MPI's `mpiexec`; as PyTorch's
#    `torchrun`, it gives each rank `RANK`, `WORLD_SIZE` and `LOCAL_RANK` in its environment, so
#    scripts written for torchrun run unchanged; `--hostfile FILE` spreads the ranks over machines).
# 2. **`dist.init_process_group("mpi")`** joins the ranks into a group; `dist.get_rank()` and
#    `dist.get_world_size()` tell each one where it stands.
# 3. **`DistributedSampler`** gives rank $r$ every $p$-th index of the epoch's permutation. With
#    `BATCH // p` examples per rank, the ranks' batches of step $t$ together are exactly the 64
#    examples that one process reads at step $t$: section 1's shards, without sending any index.
# 4. **`DistributedDataParallel(model)`** copies rank 0's weights to every rank when it is
#    built; then, during every `backward()`, it averages each gradient over the ranks: an
#    **allreduce** (section 5 builds one), started by gradient hooks on buckets of parameters as
#    backward produces their gradients. After `backward()` every rank holds the full-batch
#    gradient and `optimizer.step()` keeps the copies equal. `model.module` is the plain model:
#    save it from rank 0 only.
#
# First the sampler's promise, for $p = 2$:

# %%
whole = list(DistributedSampler(dataset, num_replicas=1, rank=0, seed=0))
shares = [list(DistributedSampler(dataset, num_replicas=2, rank=r, seed=0)) for r in range(2)]
print(f"one process reads {whole[:4]} ...; rank 0 reads {shares[0][:2]} ..., rank 1 reads {shares[1][:2]} ...")
assert sorted(shares[0] + shares[1]) == list(range(len(dataset)))          # every example once
assert sorted(shares[0][:BATCH // 2] + shares[1][:BATCH // 2]) == sorted(whole[:BATCH])   # step 0's batch

# %% [markdown]
# The script that every rank runs is built from the functions above (`inspect` reads their
# source) and a `main` written with the library, as a PyTorch script would be:

# %%
def ddp_main(steps, out_path):
    import minitorch.distributed as dist
    from minitorch.nn.parallel import DistributedDataParallel

    dist.init_process_group("mpi")                      # finds RANK, WORLD_SIZE from the launcher
    rank, world = dist.get_rank(), dist.get_world_size()
    model = DistributedDataParallel(make_model(seed=rank))   # different seeds on purpose: rank 0's win
    optimizer = minitorch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    for x, y in batches(dataset, BATCH // world, int(steps), world, rank):
        loss = F.cross_entropy(model(x), y)             # the mean over this rank's shard
        optimizer.zero_grad()
        loss.backward()                                 # DDP averages the gradients over the ranks
        optimizer.step()
    everyone = [None] * world
    dist.all_gather_object(everyone, parameter_vector(model.module))   # to check that they agree
    if rank == 0:                                       # one rank writes the files
        np.savez(out_path, *everyone)
    dist.destroy_process_group()


header = f'''"""Written by lessons/12_distributed.py: one rank of data-parallel training.

    python -m minitorch.distributed.run -n 2 dp_worker.py STEPS RESULT.npz
"""
import itertools
import sys

import numpy as np

import minitorch
import minitorch.nn as nn
import minitorch.nn.functional as F
from minitorch.data import load_digits
from minitorch.utils.data import DataLoader, TensorDataset
from minitorch.utils.data.distributed import DistributedSampler

BATCH, LR, MOMENTUM = {BATCH}, {LR}, {MOMENTUM}


'''
functions = (load_data, make_model, batches, parameter_vector, ddp_main)
worker_source = header + "\n\n".join(inspect.getsource(f) for f in functions) + '''
X, Y = load_data()
dataset = TensorDataset(X, Y)
ddp_main(sys.argv[1], sys.argv[2])
'''
worker_path = os.path.join(OUT, "dp_worker.py")
with open(worker_path, "w") as f:
    f.write(worker_source)
print(f"wrote {worker_path} ({len(worker_source.splitlines())} lines)")

# %% [markdown]
# ### Launching the ranks
#
# MPI is an optional extra of minitorch: `pip install -e ".[distributed]"` installs `mpi4py`
# and an MPI library from PyPI (the `mpich` wheel on Linux and macOS, Intel MPI's `impi-rt` on
# Windows), which brings the `mpiexec` launcher into the environment's scripts folder.
#
# **Without it this lesson cannot start real processes.** It then prints a banner saying so, in
# capitals, and the next cell simulates the ranks inside this one process: that checks the
# arithmetic of data parallelism, not the communication. Do not mistake one for the other.

# %%
from minitorch.distributed.run import find_mpiexec


def warn_loudly(reason):
    """A banner nobody scrolls past: the ranks of this lesson are NOT real processes."""
    bar = "!" * 78
    print(f"\n{bar}\n!!  NO REAL MPI RANKS: {reason}\n"
          f"!!  The ranks below are SIMULATED inside this one process (same arithmetic, no\n"
          f"!!  communication). To run real ranks: pip install -e \".[distributed]\", then run\n"
          f"!!  this lesson again.\n{bar}\n")


RANKS = 2
results_path = os.path.join(OUT, "dp_result.npz")
mpi_ranks, mpi_problem = None, None                     # the ranks' parameters, or why MPI did not run
if not minitorch.distributed.is_available() or find_mpiexec() is None:
    mpi_problem = "mpi4py (or its mpiexec launcher) is not installed."
else:
    command = [sys.executable, "-m", "minitorch.distributed.run", "-n", str(RANKS), worker_path, str(STEPS),
               results_path]
    print("running: python", " ".join(command[1:]))
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=300)
        if proc.returncode == 0:
            with np.load(results_path) as saved:
                mpi_ranks = [saved[name] for name in saved.files]
        else:
            mpi_problem = f"the launch FAILED (exit code {proc.returncode}):\n{proc.stderr[-2000:]}"
    except subprocess.TimeoutExpired:
        mpi_problem = "the ranks did not finish in 300 s."
if mpi_problem is not None:
    warn_loudly(mpi_problem)

# %% [markdown]
# ### Simulating the ranks (no MPI needed)
#
# The same shards, one after another in this process: every "rank" computes its gradient on its
# share of the step's batch, then the allreduce is done by hand (sum, divide by $p$). This is
# what every rank holds after DDP's allreduce. A small helper writes the flat vector back into
# the gradients.

# %%
def load_vector(tensors, flat):
    """Copy consecutive pieces of the flat vector into each tensor, in place."""
    offset = 0
    with minitorch.no_grad():
        for t in tensors:
            t.copy_(minitorch.from_numpy(flat[offset:offset + t.numel()].reshape(t.shape)))
            offset += t.numel()


def train_simulated(steps, world_size):
    model = make_model(seed=0)
    optimizer = minitorch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    ranks = [batches(dataset, BATCH // world_size, steps, world_size, r) for r in range(world_size)]
    for shards in zip(*ranks):                                                # one step: a batch per rank
        gradients = [gradient_vector(model, x, y)[1] for x, y in shards]
        load_vector([p.grad for p in model.parameters()], sum(gradients) / world_size)   # allreduce by hand
        optimizer.step()
    return parameter_vector(model)


simulated = train_simulated(STEPS, RANKS)
print(f"simulated {RANKS} ranks vs one process: max |difference| = "
      f"{np.abs(simulated - parameter_vector(reference)).max():.1e}")

# %% [markdown]
# ### The check
#
# After the same number of steps, the data-parallel parameters must equal the single-process
# ones, up to float64 rounding (the two add the same numbers in a different order).

# %%
expected = parameter_vector(reference)
if mpi_ranks is not None:
    print(f"MPI ran with {len(mpi_ranks)} processes.")
    for rank, params in enumerate(mpi_ranks):
        print(f"  rank {rank}: max |parameters - single process| = {np.abs(params - expected).max():.1e}")
        assert np.allclose(params, expected, rtol=0, atol=1e-9)
    assert np.array_equal(mpi_ranks[0], mpi_ranks[1])       # the ranks never drifted apart
else:
    print("REAL RANKS NOT CHECKED (no MPI, see the banner above): checking the simulated ranks only.")
assert np.allclose(simulated, expected, rtol=0, atol=1e-9)
print(f"max |parameter| = {np.abs(expected).max():.2f}: "
      f"the agreement is to ~{np.abs(simulated - expected).max():.0e}")

# %% [markdown]
# ## 5. How this scales: the ring allreduce
#
# `DistributedDataParallel` hands each bucket of gradients to `dist.all_reduce`, which asks MPI
# to sum it over the ranks. What does MPI do with it? With $p$ workers and a gradient of $n$
# numbers, how much must each worker send?
#
# **Naive: everyone sends to one root**, which adds and sends the sum back. The root receives
# $(p - 1)\, n$ numbers and sends as many: its link is the bottleneck, and the time grows
# linearly with $p$.
#
# **Ring allreduce.** Put the workers on a ring (each sends only to its right neighbour) and cut
# every gradient into $p$ chunks.
#
# 1. *Reduce-scatter*, $p - 1$ steps: in each, every worker sends one chunk to its neighbour,
#    who adds it to its own copy. Chunk $c$ travels around the ring collecting contributions;
#    after $p - 1$ steps worker $c - 1$ holds the complete sum of chunk $c$.
# 2. *All-gather*, $p - 1$ steps: the complete chunks travel around the ring once more, copied
#    instead of added, until every worker has all of them.
#
# Each worker sends $2(p - 1)$ chunks of $n/p$ numbers:
# $$\text{sent per worker} = 2\,\frac{p - 1}{p}\, n \;<\; 2n \quad\text{for any } p,$$
# and all links are busy at once. With latency $\alpha$ per message and bandwidth $\beta$
# (bytes/s), for $b$-byte numbers,
# $$T_{\text{ring}} = 2(p - 1)\,\alpha + 2\,\frac{p - 1}{p}\,\frac{n b}{\beta}.$$
# The bandwidth term is almost independent of $p$: that is why data parallelism scales to
# hundreds of GPUs. MPI libraries use this ring (or a tree, for short messages) inside their
# `MPI_Allreduce`. Let's build the ring from scratch and count the bytes.

# %%
def ring_allreduce(vectors):
    """The sum of the p vectors, as p workers on a ring compute it; also the bytes each one sent."""
    p = len(vectors)
    chunks = [np.array_split(v.astype(np.float64), p) for v in vectors]
    sent = np.zeros(p, dtype=np.int64)
    for phase in ("reduce-scatter", "all-gather"):
        for step in range(p - 1):
            # worker r sends chunk (r - step) in reduce-scatter, (r + 1 - step) in all-gather
            shift = 0 if phase == "reduce-scatter" else 1
            messages = [(r, (r + shift - step) % p) for r in range(p)]
            payloads = [chunks[r][c].copy() for r, c in messages]     # all send at once
            for (r, c), data in zip(messages, payloads):
                if phase == "reduce-scatter":
                    chunks[(r + 1) % p][c] += data
                else:
                    chunks[(r + 1) % p][c] = data
                sent[r] += data.nbytes
    return [np.concatenate(c) for c in chunks], sent


rng = np.random.default_rng(0)
n = len(expected)
for p in (2, 4, 8):
    vectors = [rng.standard_normal(n) for _ in range(p)]
    results, sent = ring_allreduce(vectors)
    assert all(np.allclose(r, sum(vectors)) for r in results)          # everyone has the sum
    per_worker = sent.max()
    print(f"p = {p}: each worker sent {per_worker:7d} bytes = {per_worker / (8 * n):.3f} n numbers "
          f"(formula 2(p-1)/p = {2 * (p - 1) / p:.3f}); a naive root would receive {8 * (p - 1) * n} bytes")
    assert abs(per_worker - 2 * (p - 1) / p * 8 * n) <= 8 * 2 * (p - 1)  # chunks differ by at most 1

# %% [markdown]
# To see the consequence, plug in numbers for a bigger job. These are **assumptions for
# illustration, not measurements**: a model with 25 million float32 parameters (100 MB of
# gradient, about the size of a ResNet-50), links of 12.5 GB/s (a 100 Gbit/s network), 5 µs
# latency per message, and 1 s of forward and backward per step on one worker for the whole
# batch (so $1/p$ s on each of $p$ workers).

# %%
GRADIENT_BYTES, BANDWIDTH, LATENCY, COMPUTE = 25e6 * 4, 12.5e9, 5e-6, 1.0   # assumed


def ring_seconds(p):
    return 2 * (p - 1) * LATENCY + 2 * (p - 1) / p * GRADIENT_BYTES / BANDWIDTH


def naive_seconds(p):
    return 2 * (p - 1) * GRADIENT_BYTES / BANDWIDTH       # the root receives, then sends


workers = np.array([1, 2, 4, 8, 16, 32, 64, 128])
speedup_ring = COMPUTE / (COMPUTE / workers + np.array([ring_seconds(p) for p in workers]))
speedup_naive = COMPUTE / (COMPUTE / workers + np.array([naive_seconds(p) for p in workers]))
fig, ax = plt.subplots(figsize=(6, 4))
ax.loglog(workers, workers, "k:", label="ideal (no communication)")
ax.loglog(workers, speedup_ring, "o-", label="ring allreduce")
ax.loglog(workers, speedup_naive, "s-", label="naive: all to one root")
ax.set_xlabel("workers p")
ax.set_ylabel("speed-up over one worker")
ax.set_title("Data parallelism, assumed 100 MB gradient, 12.5 GB/s links")
ax.legend()
plt.savefig(os.path.join(OUT, "scaling.png"), dpi=100, bbox_inches="tight")
show()
for p, s_ring, s_naive in zip(workers, speedup_ring, speedup_naive):
    print(f"p = {p:3d}: ring {s_ring:5.1f}x   naive {s_naive:5.2f}x")
assert speedup_ring[-1] > 10 * speedup_naive[-1]
assert ring_seconds(128) - 2 * 127 * LATENCY < 2 * GRADIENT_BYTES / BANDWIDTH   # bandwidth term < 2n b / beta

# %% [markdown]
# With the ring the communication time levels off at $2n b / \beta = 16$ ms, so the speed-up keeps
# growing until each worker's share of the compute, $1/p$ s, shrinks to that size; the naive root
# is swamped after a handful of workers. Real systems add a few more ideas:
#
# - **Overlap.** Gradients of the last layers are ready first. `DistributedDataParallel` (PyTorch's
#   and minitorch's) groups them into buckets and starts each bucket's allreduce (`async_op=True`)
#   while backward is still producing the other gradients, hiding part of the communication.
#   `python -m benchmarks.distributed` measures $\alpha$ and $\beta$ on your machine and puts
#   them into this model (`benchmarks/results/distributed.md`).
# - **Many machines.** The same script runs on several machines with
#   `python -m minitorch.distributed.run -n 16 --hostfile hosts train.py` (an MPI hostfile lists
#   the machines); on GPUs, NVIDIA's NCCL library implements the ring (and tree variants) over
#   NVLink inside a machine and InfiniBand between machines.
# - **The batch grows with p.** With $p$ workers of $B/p$ each the math is unchanged, but people
#   usually keep $B/p$ fixed and let $B$ grow, then raise the learning rate (the "linear scaling
#   rule") with a warm-up.
# - **Where exactness ends.** Layers with batch statistics (`BatchNorm`) normalise each shard by
#   its own mean, and dropout draws per-rank random numbers. Our MLP has neither, and
#   `DistributedSampler` split every batch exactly, which is why the check above holds to rounding.
#
# ## Summary
#
# - The mean loss of a batch is the mean of its equal shards' mean losses, so the averaged shard
#   gradients *are* the full-batch gradient. Unequal shards need weights $B_r / B$.
# - Gradient accumulation computes the same sum on one worker, one micro-batch after another.
# - With `minitorch.distributed`, the launcher starts the ranks, `init_process_group` joins them,
#   `DistributedSampler` gives each its shard, and `DistributedDataParallel` averages the
#   gradients during backward: identical steps keep the model copies identical, and after many
#   steps they match one process to ~1e-15. Without MPI the lesson says so loudly and simulates.
# - A ring allreduce sends $2\frac{p-1}{p} n$ numbers per worker, nearly independent of $p$.
#
# ## Exercises
#
# Every exercise has a check that says right or wrong, and why: `from minitorch.exercises import check`,
# then for example `check("12.2", factor)` (`python -m minitorch.exercises` lists what each check takes).
#
# 1. **More ranks.** Run with `RANKS = 4` (MPI or simulated): is the agreement as good? Then try
#    3 ranks: `BATCH // 3` is 21, so the ranks read 63 examples a step, not the reference's 64.
#    Which examples go missing, and how large is the difference now? *Hint:* compare
#    `sorted(whole[:BATCH])` with the ranks' first batches, as in section 4.
# 2. **Sum instead of mean.** In `train_simulated`, let each rank compute the gradient of the
#    *sum* of its shard's losses (`reduction="sum"`), add the ranks' gradients and divide by the
#    global batch size. Show this handles unequal shards without weights. (DDP divides by $p$:
#    what must `ddp_main` multiply its loss by to do the same?) *Hint:* redo section 1's 40 + 24
#    split: the sum over all 64 examples is the sum of the two shards' sums, whatever their sizes.
# 3. **Allreduce by hand with MPI.** Write `my_all_reduce(tensor)` for the worker with
#    `dist.isend` to `(rank + 1) % world` and `dist.recv` from `(rank - 1) % world`, and check it
#    against `dist.all_reduce`. *Hint:* follow `ring_allreduce` step by step; each rank only
#    keeps its own `chunks`; `isend` returns a work handle to `wait()` on after the `recv`.
#    `check("12.3", my_all_reduce)` runs your function on 2, 3 and 4 simulated ranks (threads in
#    one process, no MPI needed) and compares every rank's tensor with the sum.
# 4. **BatchNorm breaks it.** Put a `nn.BatchNorm1d(32)` after the first layer and rerun the
#    comparison of section 1 (in training mode BatchNorm normalises each feature with the mean
#    and variance of the current batch). How large is the difference now, and why? *Hint:* a
#    shard's mean is not the batch's mean; see "Where exactness ends" in section 5. Check the
#    largest difference for $p = 2$ (`make_model(seed=0)` with the BatchNorm, the first 64 images) with
#    `check("12.4", difference)`.
# 5. **Latency matters too.** In `ring_seconds`, at what $p$ does the latency term
#    $2(p-1)\alpha$ exceed the bandwidth term for a 1 MB gradient? What do tree-shaped
#    allreduces do about it? *Hint:* a tree needs only $\log_2 p$ steps.
