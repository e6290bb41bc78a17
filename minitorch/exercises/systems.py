"""Checks for the exercises of lessons 10-12: GPU kernels, efficiency, distributed training."""
import math

import numpy as np

from . import close_to, exercise, first_difference, right, wrong


@exercise("10.1", "Grid-stride loop", "your kernel vector_add(a, b, out), launched as vector_add[2, 4](a, b, out)")
def grid_stride(kernel):
    rng = np.random.default_rng(0)
    for n in (1, 8, 13, 50):
        a, b = rng.standard_normal(n), rng.standard_normal(n)
        out = np.zeros(n)
        kernel[2, 4](a, b, out)
        problem = first_difference(f"out for vectors of length {n}", out, a + b)
        if problem:
            return wrong(problem + " With 8 threads, thread i must add i, i + 8, i + 16, ... up to n.")
    return right("8 threads add vectors of length 1, 8, 13 and 50: each strides by the whole grid.")


@exercise("10.2", "A tiled kernel of your own", "a function matmul(a, b) -> a @ b that launches your 4 x 4 tiled "
          "kernel")
def tiled_matmul(matmul):
    rng = np.random.default_rng(0)
    for (n, k, m) in ((10, 9, 6), (4, 4, 4), (1, 7, 3), (9, 1, 5)):
        a, b = rng.standard_normal((n, k)), rng.standard_normal((k, m))
        problem = first_difference(f"the product of {a.shape} by {b.shape}", matmul(a, b), a @ b)
        if problem:
            return wrong(problem + " Shapes that are not multiples of the tile: load 0 outside the matrices, "
                                   "and write only the elements inside C.")
    return right("right for 10 x 9 by 9 x 6 and other shapes that are not multiples of 4.")


@exercise("10.3", "Roofline in bf16", "the ridge point of an H100 in bf16: FLOP per byte (a number)")
def ridge_point(value):
    return close_to("the ridge point", value, 989e12 / 3.35e12, rel=0.01,
                    why="989 TFLOP/s / 3.35 TB/s = 295 FLOP per byte: a kernel below that intensity is "
                        "memory-bound.")


@exercise("10.4", "Online softmax with a mask", "what the first step's rescaling factor e^(m_old - m_new) is for a "
          "row that starts with -inf (a float)")
def masked_start(value):
    if isinstance(value, (int, float, np.floating)) and math.isnan(value):
        return right("-inf - (-inf) is NaN, and e^NaN poisons the sum: the kernel treats a running maximum of -inf "
                     "as 'nothing yet' and uses a factor of 0 instead.")
    return wrong(f"got {value!r}: compute np.exp(-np.inf - (-np.inf)); a maximum that is still -inf makes the "
                 f"difference undefined.")


@exercise("10.5", "Bytes for the backward pass", "a pair: (bytes of P, bytes of L) kept for one head at N = 32768, "
          "float32")
def backward_bytes(answer):
    p_bytes, l_bytes = (int(v) for v in answer)
    expected = (32768 * 32768 * 4, 32768 * 4)
    if (p_bytes, l_bytes) != expected:
        return wrong(f"expected {expected}: P is N x N numbers, L one number per row, 4 bytes each.")
    return right("4 GiB against 128 KiB: the fused kernel recomputes P_ij = e^(s_ij - L_i) instead of storing it.")


def _weights():
    rng = np.random.default_rng(0)
    return [rng.standard_normal((16, 12)) * 0.5, rng.standard_normal((8, 16)) * 2.0]


@exercise("11.1", "Global pruning", "a function global_masks(weights, fraction) -> one keep-mask per weight, "
          "one threshold for all of them")
def global_pruning(fn):
    weights = _weights()
    masks = fn(weights, 0.9)
    threshold = np.quantile(np.concatenate([np.abs(w).ravel() for w in weights]), 0.9)
    for k, (w, mask) in enumerate(zip(weights, masks)):
        problem = first_difference(f"the mask of layer {k}", np.asarray(mask, dtype=float), np.abs(w) > threshold)
        if problem:
            return wrong(problem + " Keep the weights whose |w| is above the 0.9-quantile of all layers' |w| "
                                   "together.")
    kept = [float(np.mean(m)) for m in masks]
    return right(f"one threshold keeps {kept[0]:.0%} of the small-weight layer and {kept[1]:.0%} of the "
                 f"large-weight one: global pruning takes most from the layer with the smallest weights.")


@exercise("11.2", "Structured pruning", "a function prune_neurons(w0, b0, w1, fraction) -> (w0, b0, w1) without "
          "the fraction of hidden neurons whose rows of w0 have the smallest norms")
def structured_pruning(fn):
    w0, w1 = _weights()
    b0 = np.arange(16.0)
    keep = np.sort(np.argsort(np.linalg.norm(w0, axis=1))[8:])
    got = fn(w0, b0, w1, 0.5)
    for name, value, expected in zip(("w0", "b0", "w1"), got, (w0[keep], b0[keep], w1[:, keep])):
        problem = first_difference(f"the pruned {name}", value, expected)
        if problem:
            return wrong(problem + " Keep the 8 rows of w0 with the largest norms, in their order, with the "
                                   "matching entries of b0 and columns of w1.")
    return right("8 of 16 neurons kept: a dense model half as wide, no sparse format needed.")


@exercise("11.3", "Asymmetric activations", "a function quantize_uint8(x) -> (q, scale, zero_point) with "
          "x ~ scale (q - zero_point)")
def asymmetric(fn):
    rng = np.random.default_rng(0)
    x = np.maximum(rng.standard_normal(1000), 0).astype(np.float32) * 3
    q, scale, zero = fn(x)
    q = np.asarray(q)
    if q.dtype != np.uint8:
        return wrong(f"q has dtype {q.dtype}, expected uint8 (0 to 255).")
    error = np.abs(float(scale) * (q.astype(np.float64) - float(zero)) - x).max()
    if error > float(scale) * 0.51:
        return wrong(f"the largest error is {error:.4g}, more than half a step (scale / 2 = {float(scale) / 2:.4g}): "
                     f"scale = (max - min) / 255, zero_point = round(-min / scale).")
    return right(f"every value within half a step ({float(scale):.3g} / 2): all 256 levels cover [min, max].")


@exercise("11.4", "Fewer bits", "a function quantize4(weight) -> (q, scale): per-row scales, integer q in "
          "[-7, 7], weight ~ scale * q")
def four_bits(fn):
    weight = _weights()[0]
    q, scale = fn(weight)
    q, scale = np.asarray(q), np.broadcast_to(np.asarray(scale, dtype=np.float64), (weight.shape[0], 1))
    if q.shape != weight.shape or np.abs(q).max() > 7 or not np.array_equal(q, np.round(q)):
        return wrong(f"q should be integers in [-7, 7] of shape {weight.shape}; got shape {q.shape}, "
                     f"largest |q| {np.abs(q).max():g}.")
    expected = np.abs(weight).max(axis=1, keepdims=True) / 7
    problem = first_difference("the per-row scales", scale, expected, rtol=1e-5)
    if problem:
        return wrong(problem + " Each row's scale is its largest |w| / 7.")
    if np.abs(scale * q - weight).max() > 0.51 * scale.max():
        return wrong("scale * q is more than half a step from the weight: round weight / scale.")
    return right(f"15 levels per row; packed two to a byte the weights take {weight.size // 2} bytes instead of "
                 f"{4 * weight.size}.")


@exercise("11.5", "A sparse product", "a function csr_matmul(x, values, columns, row_start) -> y = x @ W.T, "
          "W the matrix the CSR arrays hold")
def sparse_product(fn):
    rng = np.random.default_rng(0)
    weight = rng.standard_normal((5, 7)) * (rng.random((5, 7)) < 0.4)
    weight[2] = 0.0  # an empty row
    rows, columns = np.nonzero(weight)
    row_start = np.searchsorted(rows, np.arange(6)).astype(np.int32)
    x = rng.standard_normal((3, 7))
    problem = first_difference("y", fn(x, weight[rows, columns], columns.astype(np.int32), row_start), x @ weight.T)
    if problem:
        return wrong(problem + " Mind the empty row 2: reduceat gives it the next row's first product.")
    return right("the CSR product matches the dense one, empty rows included.")


@exercise("12.1", "More ranks", "how many of the reference's 64 examples the 3 ranks leave out per step (an int)")
def more_ranks(count):
    if int(count) == 1:
        return right("3 x 21 = 63 of 64: the last example of each step's batch is never read.")
    return wrong(f"got {count}: BATCH // 3 = 21 per rank, 63 in all.")


@exercise("12.2", "Sum instead of mean", "a function factor(p, global_batch): what each rank multiplies its summed "
          "loss by so that DDP's average over p ranks gives the global mean")
def sum_instead_of_mean(fn):
    for p, batch in ((2, 64), (4, 100), (3, 63)):
        verdict = close_to(f"factor({p}, {batch})", fn(p, batch), p / batch, rel=1e-9)
        if not verdict:
            return wrong(verdict.why + " DDP divides the summed gradients by p; the global mean divides by the "
                                       "global batch.")
    return right("p / global_batch: DDP's division by p undoes the p, leaving sum / global_batch.")


def _simulated_ranks(fn, vectors, timeout=2.0):
    """Run fn(tensor) on len(vectors) ranks, one thread each, with minitorch.distributed's point-to-point calls
    (get_rank, get_world_size, send, isend, recv, irecv) replaced by in-process queues; each rank's tensor after."""
    import queue
    import threading

    import minitorch
    import minitorch.distributed as dist

    world, here = len(vectors), threading.local()
    boxes = {(src, dst): queue.Queue() for src in range(world) for dst in range(world)}

    class Done:
        """A work handle: a send is complete at once, a receive completes in wait()."""

        def __init__(self, finish=None):
            self.finish = finish

        def wait(self, timeout=None):
            """Complete the receive (a send is complete at once)."""
            if self.finish is not None:
                self.finish()
                self.finish = None
            return True

        def is_completed(self):
            """True once wait() has run."""
            return self.finish is None

    def send(tensor, dst, *args, **kwargs):
        boxes[here.rank, int(dst)].put(tensor.detach().numpy().copy())
        return Done()

    def recv(tensor, src, *args, **kwargs):
        try:
            data = boxes[int(src), here.rank].get(timeout=timeout)
        except queue.Empty:
            raise RuntimeError(f"rank {here.rank} waited {timeout:g} s for a message from rank {src} that was never "
                               f"sent: do the ranks send and receive the same number of chunks?") from None
        tensor.copy_(minitorch.from_numpy(data.reshape(tuple(tensor.shape))))
        return int(src)

    stand_ins = {"get_rank": lambda *a, **k: here.rank, "get_world_size": lambda *a, **k: world, "send": send,
                 "isend": send, "recv": recv, "irecv": lambda t, src, *a, **k: Done(lambda: recv(t, src))}
    tensors, errors = [minitorch.tensor(v, dtype=minitorch.float64) for v in vectors], []

    def rank_main(rank):
        here.rank = rank
        try:
            fn(tensors[rank])
        except Exception as e:  # raised again below, in the caller's thread (a lab task's stub included)
            errors.append(e)

    saved = {name: getattr(dist, name) for name in stand_ins}
    try:
        for name, stand_in in stand_ins.items():
            setattr(dist, name, stand_in)
        threads = [threading.Thread(target=rank_main, args=(r,), daemon=True) for r in range(world)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(4 * timeout)
    finally:
        for name, original in saved.items():
            setattr(dist, name, original)
    if any(thread.is_alive() for thread in threads):
        raise RuntimeError(f"the ranks did not finish within {4 * timeout:g} s: is there a loop that never ends?")
    if errors:
        raise errors[0]
    return [t.numpy() for t in tensors]


@exercise("12.3", "Allreduce by hand with MPI", "your my_all_reduce(tensor) for a 1-D tensor, with dist.isend to "
          "the right neighbour and dist.recv from the left; the check runs it on 2, 3 and 4 simulated ranks")
def ring_by_hand(fn):
    rng = np.random.default_rng(0)
    for world in (2, 3, 4):
        vectors = [rng.standard_normal(10) for _ in range(world)]
        for rank, got in enumerate(_simulated_ranks(fn, vectors)):
            problem = first_difference(f"rank {rank}'s tensor with {world} ranks", got, sum(vectors))
            if problem:
                return wrong(problem + " After the reduce-scatter each rank holds one complete chunk; the all-gather "
                                       "must pass those on (copied, not added) until every rank has all of them.")
    return right("every rank ends with the sum for 2, 3 and 4 ranks (10 numbers: unequal chunks): each sent "
                 "2 (p - 1) chunks of about n / p numbers, as ring_allreduce counted.")


def _batch_norm_gap(train_mode=True):
    """Section 1's comparison with BatchNorm1d(32) after the first layer: max |mean of 2 shards' gradients - full|."""
    import minitorch
    import minitorch.nn.functional as F
    from minitorch import nn
    from minitorch.data import load_digits

    images, labels = load_digits("train").tensors
    x, y = images[:64].to(minitorch.float64), labels[:64]
    minitorch.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 32), nn.BatchNorm1d(32), nn.Tanh(), nn.Linear(32, 10)).double()
    model.train(train_mode)

    def gradient(rows):
        model.zero_grad()
        F.cross_entropy(model(x[rows]), y[rows]).backward()
        return np.concatenate([p.grad.numpy().ravel() for p in model.parameters()])

    shards = np.array_split(np.arange(64), 2)
    return float(np.abs(sum(gradient(s) for s in shards) / 2 - gradient(np.arange(64))).max())


@exercise("12.4", "BatchNorm breaks it", "max |average of the 2 shards' gradients - the full-batch gradient| with "
          "BatchNorm1d(32) after the first layer, in training mode (a number)")
def batch_norm(difference):
    expected = _batch_norm_gap()
    verdict = close_to("the difference", difference, expected, rel=0.05)
    if not verdict:
        return wrong(verdict.why + f" Use make_model(seed=0) with nn.BatchNorm1d(32) after nn.Linear(64, 32), the "
                                   f"first 64 images, shards of 32, the model in training mode (in eval mode the "
                                   f"difference is {_batch_norm_gap(False):.0e}, rounding).")
    return right(f"{expected:.3g}, not 1e-17: in training mode each shard is normalised by its own mean and variance, "
                 f"so the shards' losses are not pieces of the batch's loss (PyTorch's SyncBatchNorm "
                 f"computes the statistics over all ranks for that).")


@exercise("12.5", "Latency matters too", "the smallest p at which the latency term exceeds the bandwidth term for "
          "a 1 MB gradient (an int)")
def latency(p):
    expected = 17  # the two terms are equal at p = B / (alpha beta) = 1e6 / (5e-6 * 12.5e9) = 16
    if int(p) == expected:
        return right(f"alpha > B / (p beta) once p > B / (alpha beta) = 16: at p = {expected}. A tree needs "
                     f"log2 p latency steps instead of 2 (p - 1).")
    return wrong(f"got {p}: 2 (p - 1) alpha > 2 (p - 1) / p * B / beta when p > B / (alpha beta) = 1e6 / "
                 f"(5e-6 * 12.5e9).")
