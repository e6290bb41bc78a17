"""Run by tests/distributed/test_collectives.py under ``mpiexec -n 2`` (plain mpiexec, no launcher):
every collective against numpy, on every ReduceOp, blocking and async, cpu and cuda, and its argument
errors. Prints ``COLLECTIVES OK`` at the end; any failed check raises (and the rank exits nonzero).
"""
import datetime
import sys

import numpy as np

import minitorch
import minitorch.distributed as dist

dist.init_process_group("mpi", timeout=datetime.timedelta(seconds=20))
rank, size = dist.get_rank(), dist.get_world_size()
assert (dist.is_initialized(), dist.get_backend(), size) == (True, "mpi", 2)


def values(r, shape=(2, 3), dtype=np.float64):
    """What rank r contributes: different on every rank, the same wherever it is computed."""
    return (np.arange(np.prod(shape)).reshape(shape) * (r + 1) + r - 2).astype(dtype)


ALL = np.stack([values(r) for r in range(size)])
EXPECTED = {dist.ReduceOp.SUM: ALL.sum(0), dist.ReduceOp.AVG: ALL.mean(0), dist.ReduceOp.PRODUCT: ALL.prod(0),
            dist.ReduceOp.MIN: ALL.min(0), dist.ReduceOp.MAX: ALL.max(0)}


def tensor(array, device):
    return minitorch.tensor(array, device=device)


def check(t, expected):
    np.testing.assert_array_equal(t.cpu().numpy(), expected)


def raises(kind, words, call):
    try:
        call()
    except kind as error:
        assert words in str(error), (words, str(error))
    else:
        raise AssertionError(f"expected {kind.__name__} with {words!r}")


for device in ("cpu", "cuda"):
    for op, expected in EXPECTED.items():
        t = tensor(values(rank), device)
        version = t._version_value
        assert dist.all_reduce(t, op=op) is None
        check(t, expected)
        assert t._version_value > version and t.device.type == device
        work = dist.all_reduce(t := tensor(values(rank), device), op=op, async_op=True)
        assert work.wait() is True and work.is_completed()
        check(t, expected)
        t = tensor(values(rank), device)
        dist.reduce(t, dst=1, op=op)
        check(t, expected if rank == 1 else values(rank))
    integers = tensor(values(rank, dtype=np.int64), device)
    for op, reduce in [(dist.ReduceOp.BAND, np.bitwise_and), (dist.ReduceOp.BOR, np.bitwise_or),
                       (dist.ReduceOp.BXOR, np.bitwise_xor)]:
        t = tensor(values(rank, dtype=np.int64), device)
        dist.all_reduce(t, op=op)
        check(t, reduce.reduce(np.stack([values(r, dtype=np.int64) for r in range(size)])))
    raises(ValueError, "AVG needs floating-point", lambda: dist.all_reduce(integers, op=dist.ReduceOp.AVG))

    t = tensor(values(rank), device)
    dist.broadcast(t, src=1)
    check(t, values(1))
    outputs = [tensor(np.zeros((2, 3)), device) for _ in range(size)]
    dist.all_gather(outputs, tensor(values(rank), device))
    for r, out in enumerate(outputs):
        check(out, values(r))
    gathered = tensor(np.zeros((2 * size, 3)), device)
    dist.all_gather_into_tensor(gathered, tensor(values(rank), device))
    check(gathered, np.concatenate([values(r) for r in range(size)]))
    out = tensor(np.zeros((2, 3)), device)
    dist.reduce_scatter(out, [tensor(values(rank) + 10 * i, device) for i in range(size)])
    check(out, ALL.sum(0) + 10 * size * rank)
    out = tensor(np.zeros((1, 3)), device)
    dist.reduce_scatter_tensor(out, tensor(values(rank), device), op=dist.ReduceOp.MAX)
    check(out, ALL.max(0)[rank:rank + 1])
    gather_list = [tensor(np.zeros((2, 3)), device) for _ in range(size)] if rank == 0 else None
    dist.gather(tensor(values(rank), device), gather_list, dst=0)
    if rank == 0:
        for r, out in enumerate(gather_list):
            check(out, values(r))
    out = tensor(np.zeros((2, 3)), device)
    dist.scatter(out, [tensor(values(r) * 7, device) for r in range(size)] if rank == 1 else None, src=1)
    check(out, values(rank) * 7)

    # point to point, blocking and async; recv from any rank reports the sender
    t = tensor(values(rank), device)
    if rank == 0:
        dist.send(t, dst=1, tag=3)
        assert dist.recv(t) == 1
        check(t, values(1) + 1)
    else:
        received = tensor(np.zeros((2, 3)), device)
        assert dist.recv(received, src=0, tag=3) == 0
        check(received, values(0))
        dist.isend(tensor(values(1) + 1, device), dst=0).wait()
    mine, theirs = tensor(values(rank), device), tensor(np.zeros((2, 3)), device)
    works = [dist.isend(mine, dst=1 - rank), dist.irecv(theirs, src=1 - rank)]
    for work in works:
        work.wait()
    check(theirs, values(1 - rank))

# a non-contiguous tensor is reduced in place too
base = minitorch.tensor(values(rank, shape=(3, 4)))
view = base.t()
dist.all_reduce(view)
np.testing.assert_array_equal(view.numpy(), sum(values(r, shape=(3, 4)) for r in range(size)).T)

# objects
objects = [None] * size
dist.all_gather_object(objects, {"rank": rank, "name": "r" * (rank + 1)})
assert objects == [{"rank": r, "name": "r" * (r + 1)} for r in range(size)]
shared = [rank, "x"] if rank == 0 else [None, None]
dist.broadcast_object_list(shared, src=0)
assert shared == [0, "x"]
assert dist.barrier() is None and dist.barrier(async_op=True).wait()

# bad arguments: clear errors naming the call, the argument and the value, before any message moves
raises(TypeError, "all_reduce: tensor must be a minitorch.Tensor", lambda: dist.all_reduce(np.ones(2)))
raises(TypeError, "op must be a minitorch.distributed.ReduceOp", lambda: dist.all_reduce(minitorch.ones(2), op="sum"))
raises(ValueError, "src must be a rank between 0 and 1, got 2", lambda: dist.broadcast(minitorch.ones(2), src=2))
raises(ValueError, "broadcast: src (the rank) is required", lambda: dist.broadcast(minitorch.ones(2)))
raises(ValueError, "tensor_list must be a list of world_size=2 tensors",
       lambda: dist.all_gather([minitorch.ones(2)], minitorch.ones(2)))
raises(ValueError, "tensor_list[1] has shape (3,)",
       lambda: dist.all_gather([minitorch.ones(2), minitorch.ones(3)], minitorch.ones(2)))
raises(ValueError, "output_tensor must hold world_size times",
       lambda: dist.all_gather_into_tensor(minitorch.ones(3), minitorch.ones(2)))
raises(ValueError, "is this process's own rank", lambda: dist.send(minitorch.ones(2), dst=rank))
raises(ValueError, "only the default group", lambda: dist.all_reduce(minitorch.ones(2), group="g"))
raises(RuntimeError, "twice", lambda: dist.init_process_group("mpi"))

dist.destroy_process_group()
assert not dist.is_initialized()
raises(RuntimeError, "call minitorch.distributed.init_process_group() first", lambda: dist.barrier())
print(f"COLLECTIVES OK rank {rank}", flush=True)
sys.exit(0)
