"""``DistributedSampler``: each of ``num_replicas`` processes (ranks) reads its own share of a dataset.

As in PyTorch: with ``shuffle=True`` every rank draws the same permutation (seeded by
``seed + epoch``, so call ``set_epoch(epoch)`` at the start of each epoch for a new order), pads it
by repeating its first indices until it divides evenly (or, with ``drop_last=True``, cuts the
tail), and rank ``r`` takes every ``num_replicas``-th index starting at ``r``, so the ranks' shares
together cover the dataset once (plus the padding). ``num_replicas`` and ``rank`` default to the
process group's world size and rank (``minitorch.distributed.init_process_group`` first); given
explicitly, no process group is needed. The permutation is numpy's, so a seeded order differs from
PyTorch's; every rank of one run draws the same one.
"""
import math

import numpy as np

from .. import checks
from .sampler import Sampler, flag

__all__ = ["DistributedSampler"]


class DistributedSampler(Sampler):
    """The indices of ``dataset`` that rank ``rank`` of ``num_replicas`` reads (see the module docstring).

    >>> list(DistributedSampler(range(10), num_replicas=3, rank=1, shuffle=False))
    [1, 4, 7, 0]
    """

    def __init__(self, dataset, num_replicas=None, rank=None, shuffle=True, seed=0, drop_last=False):
        op = "DistributedSampler"
        if num_replicas is None or rank is None:
            from .. import distributed  # the process group knows them

            if not distributed.is_initialized():
                raise distributed.DistributedNotInitializedError(
                    f"{op}: num_replicas and rank were not given and the default process group has not been "
                    f"initialized; call minitorch.distributed.init_process_group() first, or pass both."
                )
            num_replicas = distributed.get_world_size() if num_replicas is None else num_replicas
            rank = distributed.get_rank() if rank is None else rank
        self.num_replicas = checks.integer(op, "num_replicas", num_replicas, minimum=1)
        rank = checks.integer(op, "rank", rank)
        if not 0 <= rank < self.num_replicas:
            raise ValueError(
                f"{op}: invalid rank {rank}, rank should be in the interval [0, {self.num_replicas - 1}]."
            )
        self.dataset, self.rank, self.epoch = dataset, rank, 0
        self.shuffle = flag(op, "shuffle", shuffle)
        self.seed = checks.integer(op, "seed", seed)
        self.drop_last = flag(op, "drop_last", drop_last)
        n = len(dataset)
        if self.drop_last and n % self.num_replicas:
            self.num_samples = math.ceil((n - self.num_replicas) / self.num_replicas)
        else:
            self.num_samples = math.ceil(n / self.num_replicas)
        self.total_size = self.num_samples * self.num_replicas

    def __iter__(self):
        n = len(self.dataset)
        order = np.random.default_rng(self.seed + self.epoch).permutation(n) if self.shuffle else np.arange(n)
        if self.drop_last:
            order = order[: self.total_size]
        else:  # repeat the order (as often as needed) to fill up the last round
            order = np.resize(order, self.total_size)
        return iter(order[self.rank:self.total_size:self.num_replicas].tolist())

    def __len__(self):
        return self.num_samples

    def set_epoch(self, epoch):
        """Use the permutation of ``epoch`` (``seed + epoch``); call it before each epoch when shuffling."""
        self.epoch = checks.integer("DistributedSampler.set_epoch", "epoch", epoch)
