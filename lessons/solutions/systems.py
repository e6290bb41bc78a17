"""Solutions to the exercises of lessons 10-12 (left out of the student edition)."""
import os

import numpy as np

os.environ.setdefault("NUMBA_ENABLE_CUDASIM", "1")  # as lesson 10: the simulator when there is no GPU
from numba import cuda  # noqa: E402


@cuda.jit
def vector_add(a, b, out):
    """10.1: a grid-stride loop: thread i adds i, i + grid size, ..."""
    for j in range(cuda.grid(1), out.shape[0], cuda.gridsize(1)):
        out[j] = a[j] + b[j]


@cuda.jit
def vector_add_one_each(a, b, out):
    """10.1, the mistake: one element per thread, so only the first 8 are added."""
    j = cuda.grid(1)
    if j < out.shape[0]:
        out[j] = a[j] + b[j]


TILE = 4


@cuda.jit
def tiled_kernel(a, b, c):
    """10.2: C = A B with 4 x 4 tiles of A and B in shared memory."""
    tile_a = cuda.shared.array((TILE, TILE), dtype=np.float64)
    tile_b = cuda.shared.array((TILE, TILE), dtype=np.float64)
    row, col = cuda.grid(2)
    ty, tx = cuda.threadIdx.x, cuda.threadIdx.y
    total = 0.0
    for start in range(0, a.shape[1], TILE):
        tile_a[ty, tx] = a[row, start + tx] if row < a.shape[0] and start + tx < a.shape[1] else 0.0
        tile_b[ty, tx] = b[start + ty, col] if start + ty < b.shape[0] and col < b.shape[1] else 0.0
        cuda.syncthreads()
        for k in range(TILE):
            total += tile_a[ty, k] * tile_b[k, tx]
        cuda.syncthreads()  # without it a fast thread overwrites a tile another still reads
    if row < c.shape[0] and col < c.shape[1]:
        c[row, col] = total


def tiled_matmul(a, b, kernel=tiled_kernel):
    """10.2: launch one 4 x 4 block per tile of C."""
    c = np.zeros((a.shape[0], b.shape[1]))
    grid = ((a.shape[0] + TILE - 1) // TILE, (b.shape[1] + TILE - 1) // TILE)
    kernel[grid, (TILE, TILE)](a, b, c)
    return c


def global_masks(weights, fraction):
    """11.1: one threshold, the fraction-quantile of every layer's |w| together."""
    threshold = np.quantile(np.concatenate([np.abs(w).ravel() for w in weights]), fraction)
    return [np.abs(w) > threshold for w in weights]


def prune_neurons(w0, b0, w1, fraction):
    """11.2: keep the hidden neurons whose rows of w0 have the largest norms, in their order."""
    drop = int(round(fraction * w0.shape[0]))
    keep = np.sort(np.argsort(np.linalg.norm(w0, axis=1))[drop:])
    return w0[keep], b0[keep], w1[:, keep]


def quantize4(weight):
    """11.4: 4-bit per-row quantisation, q in [-7, 7]."""
    scale = np.abs(weight).max(axis=1, keepdims=True) / 7
    return np.clip(np.round(weight / scale), -7, 7), scale


def quantize_uint8(x):
    """11.3: x ~ scale (q - zero_point) with q in 0..255."""
    scale = (x.max() - x.min()) / 255
    zero = round(-x.min() / scale)
    q = np.clip(np.round(x / scale) + zero, 0, 255).astype(np.uint8)
    return q, scale, zero


def csr_matmul(x, values, columns, row_start):
    """11.5: y[:, r] = sum over row r's nonzeros of x[:, c_k] v_k, empty rows 0."""
    products = x[:, columns] * values
    y = np.zeros((x.shape[0], len(row_start) - 1))
    filled = np.diff(row_start) > 0
    y[:, filled] = np.add.reduceat(products, row_start[:-1][filled], axis=1)
    return y


def csr_matmul_reduceat_only(x, values, columns, row_start):
    """11.5, the mistake: reduceat alone gives an empty row the next row's first product."""
    return np.add.reduceat(x[:, columns] * values, np.minimum(row_start[:-1], len(values) - 1), axis=1)


def first_rescaling():
    """10.4: e^(m_old - m_new) when both maxima are still -inf."""
    with np.errstate(invalid="ignore"):
        return float(np.exp(np.float64(-np.inf) - np.float64(-np.inf)))


def my_all_reduce(tensor, gather=True):
    """12.3: the ring allreduce of a 1-D tensor with isend to the right, recv from the left (gather=False: the
    mistake, the reduce-scatter alone)."""
    import minitorch
    import minitorch.distributed as dist

    rank, world = dist.get_rank(), dist.get_world_size()
    bounds = np.cumsum([0] + [len(c) for c in np.array_split(np.arange(tensor.shape[0]), world)])
    chunk = [tensor[bounds[c]:bounds[c + 1]] for c in range(world)]   # views: writing them writes tensor
    for phase in ("reduce-scatter", "all-gather")[:2 if gather else 1]:
        shift = 0 if phase == "reduce-scatter" else 1
        for step in range(world - 1):
            out, into = (rank + shift - step) % world, (rank - 1 + shift - step) % world
            work = dist.isend(chunk[out].clone(), (rank + 1) % world)
            received = minitorch.zeros_like(chunk[into])
            dist.recv(received, (rank - 1) % world)
            work.wait()
            if phase == "reduce-scatter":
                chunk[into].add_(received)
            else:
                chunk[into].copy_(received)


def batch_norm_difference(train_mode=True):
    """12.4: section 1's comparison (p = 2) with BatchNorm1d(32) after the first layer."""
    import minitorch
    import minitorch.nn.functional as F
    from minitorch import nn
    from minitorch.data import load_digits

    images, labels = load_digits("train").tensors
    x, y = images.to(minitorch.float64)[:64], labels[:64]
    minitorch.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 32), nn.BatchNorm1d(32), nn.Tanh(), nn.Linear(32, 10)).double()
    if not train_mode:
        model.eval()                  # the mistake: eval mode uses the running statistics, the same for all

    def gradient(rows):
        model.zero_grad()
        F.cross_entropy(model(x[rows]), y[rows]).backward()
        return np.concatenate([p.grad.numpy().ravel() for p in model.parameters()])

    full = gradient(np.arange(64))
    averaged = (gradient(np.arange(32)) + gradient(np.arange(32, 64))) / 2
    return float(np.abs(averaged - full).max())


SOLUTIONS = {
    "10.1": vector_add,
    "10.2": tiled_matmul,
    "10.3": 989e12 / 3.35e12,
    "10.4": first_rescaling(),
    "10.5": (32768**2 * 4, 32768 * 4),
    "11.1": global_masks,
    "11.2": prune_neurons,
    "11.3": quantize_uint8,
    "11.4": quantize4,
    "11.5": csr_matmul,
    "12.1": 64 - 3 * (64 // 3),
    "12.2": lambda p, global_batch: p / global_batch,
    "12.3": my_all_reduce,
    "12.4": batch_norm_difference(),
    "12.5": 17,  # latency 2 (p - 1) alpha = bandwidth 2 (p - 1) / p * B / beta at p = B / (alpha beta) = 16
}

WRONG = {
    "10.1": (vector_add_one_each, "i + 8"),
    "10.2": (lambda a, b: tiled_matmul(np.ascontiguousarray(a[:, :8]), np.ascontiguousarray(b[:8])),
             "multiples of the tile"),  # the last, partial tile of k is dropped
    "10.3": (989e12 / 3.35e12 / 2, "295"),
    "10.4": (0.0, "undefined"),
    "10.5": ((32768**2 * 2, 32768 * 4), "N x N"),
    "11.1": (lambda weights, fraction: [np.abs(w) > np.quantile(np.abs(w), fraction) for w in weights], "all layers"),
    "11.2": (lambda w0, b0, w1, fraction: (w0[:8], b0[:8], w1[:, :8]), "largest norms"),
    "11.4": (lambda w: (np.clip(np.round(w / (np.abs(w).max() / 7)), -7, 7), np.abs(w).max() / 7), "per-row"),
    "11.3": (lambda x: (np.round(x / (np.abs(x).max() / 127)).astype(np.int8), np.abs(x).max() / 127, 0), "uint8"),
    "11.5": (csr_matmul_reduceat_only, "empty row"),
    "12.1": (0, "63"),
    "12.2": (lambda p, global_batch: 1 / global_batch, "divides"),
    "12.3": (lambda tensor: my_all_reduce(tensor, gather=False), "all-gather"),
    "12.4": (batch_norm_difference(train_mode=False), "training mode"),
    "12.5": (16, "16"),
}
