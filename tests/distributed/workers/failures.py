"""Run by tests/distributed/test_failures.py: ranks that disagree or die give errors, not hangs.

``disagree`` (plain mpiexec): the ranks build different models, so DistributedDataParallel raises
on both; then rank 1 skips a collective, so rank 0's times out. Prints ``FAILURES OK`` per rank.
``dies`` (through the launcher): rank 1 raises while rank 0 waits in a collective; the launcher
must end both.
"""
import datetime
import sys
import time

import minitorch
import minitorch.distributed as dist
from minitorch.nn.parallel import DistributedDataParallel

dist.init_process_group("mpi")
rank = dist.get_rank()

if sys.argv[1] == "dies":
    if rank == 1:
        raise ValueError("rank 1 gives up")
    dist.all_reduce(minitorch.ones(2))
    raise AssertionError("rank 0 must not get past the collective")

try:
    DistributedDataParallel(minitorch.nn.Linear(3, 2 + rank))
except RuntimeError as error:
    assert "rank 0 has 'weight' of shape (2, 3)" in str(error) and "rank 1 has 'weight' of shape (3, 3)" in str(error)
else:
    raise AssertionError("models of different shapes must raise")

dist.destroy_process_group()
dist.init_process_group("mpi", timeout=datetime.timedelta(seconds=1))
if rank == 0:
    try:
        dist.all_reduce(minitorch.ones(2))
    except RuntimeError as error:
        assert "all_reduce: rank 0 waited 1 s" in str(error), error
    else:
        raise AssertionError("a collective that rank 1 never joins must time out")
else:
    time.sleep(1.5)
print(f"FAILURES OK rank {rank}", flush=True)
