"""What the examples' ``--distributed`` flag shares: the ranks, metrics combined over them, the model wrap.

    python -m minitorch.distributed.run -n 2 -m minitorch.examples cnn --distributed --epochs 3

Each rank runs the whole example on its own share of the training data (``DistributedSampler``);
``DistributedDataParallel`` averages the gradients, so every replica takes the same step. The
numbers an example reports (losses, accuracies) are combined over the ranks with the functions
here, so every rank holds the same report, and only rank 0 prints and writes files.
"""
import contextlib

import numpy as np

import minitorch

from .. import distributed as dist
from ..nn.parallel import DistributedDataParallel

__all__ = ["Ranks", "process_group"]


@contextlib.contextmanager
def process_group(distributed):
    """Within the block, this process is one of the launcher's ranks (``init_process_group("mpi")``,
    which reads ``RANK``/``WORLD_SIZE``), when ``distributed``; it leaves the group afterwards."""
    if not distributed:
        yield
        return
    dist.init_process_group("mpi")
    try:
        yield
    finally:
        dist.destroy_process_group()


class Ranks:
    """This process's place among the ranks: ``Ranks(True)`` reads the process group (joined by the
    example's ``main`` with ``init_process_group``); ``Ranks(False)`` is a world of one, where every
    method below does nothing but return its input."""

    def __init__(self, distributed):
        self.distributed = bool(distributed)
        self.rank = dist.get_rank() if distributed else 0
        self.world = dist.get_world_size() if distributed else 1
        self.main = self.rank == 0  # the rank that prints and writes files

    def wrap(self, model):
        """``DistributedDataParallel(model)`` when distributed (rank 0's weights on every rank), else the model."""
        return DistributedDataParallel(model) if self.distributed else model

    def sum(self, value):
        """The sum over the ranks of a number (every rank passes its own)."""
        if self.world == 1:
            return float(value)
        total = minitorch.tensor([float(value)], dtype=minitorch.float64)
        dist.all_reduce(total, op=dist.ReduceOp.SUM)
        return total.item()

    def mean(self, value):
        """The average over the ranks of a number (every rank passes its own)."""
        return self.sum(value) / self.world

    def share(self, n):
        """The indices of ``range(n)`` this rank evaluates: every ``world``-th from ``rank``."""
        return list(range(self.rank, n, self.world))

    def concatenate(self, array):
        """Every rank's ``array`` (of its ``share``), joined in rank order: the same result on every rank."""
        if self.world == 1:
            return np.asarray(array)
        parts = [None] * self.world
        dist.all_gather_object(parts, np.asarray(array))
        return np.concatenate(parts)
