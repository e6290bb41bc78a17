"""What runs inside a ``DataLoader`` worker process, and the fetchers that turn indices into batches.

A worker is a process of its own (``multiprocessing``). It seeds itself as PyTorch's workers do
(``seed = base_seed + worker_id`` for ``random`` and ``minitorch``, numpy's global state from the
same ``SeedSequence`` words PyTorch computes), sets what ``get_worker_info()`` returns, calls
``worker_init_fn(worker_id)``, then loops: take a task ``(task_id, indices)`` from its index queue,
fetch that whole batch, put ``(task_id, batch)`` on the shared result queue. An exception travels
back as a ``_Failure`` and is raised again in the main process with the worker's traceback.
"""
import itertools
import os
import queue
import random
import traceback
from dataclasses import dataclass

import numpy as np

from ..random import manual_seed
from .collate import default_collate
from .dataset import IterableDataset, Subset, TensorDataset

_worker_info = None
POLL_SECONDS = 1.0  # how often a waiting worker checks that its parent process is still alive


@dataclass(frozen=True)
class WorkerInfo:
    """Who this worker is: ``id`` (0 .. num_workers-1), ``num_workers``, ``seed``, its ``dataset`` copy.

    What ``get_worker_info()`` returns inside a worker, as PyTorch's ``WorkerInfo``.
    """

    id: int
    num_workers: int
    seed: int
    dataset: object


def get_worker_info():
    """This worker's ``WorkerInfo`` inside a ``DataLoader`` worker process; ``None`` in the main process.

    An ``IterableDataset`` uses it to yield a different share of its stream in each worker.
    """
    return _worker_info


def numpy_seed_words(base_seed, worker_id):
    """The four 32-bit words that seed numpy's global state in a worker, as PyTorch derives them.

    PyTorch hashes ``[worker_id, low 32 bits of base_seed, high bits, 0]`` with numpy's
    SeedSequence algorithm; this is that SeedSequence.
    """
    entropy = [worker_id, base_seed & 0xFFFFFFFF, base_seed >> 32, 0]
    return np.random.SeedSequence(entropy).generate_state(4)


def _tensor_rows(dataset, order):
    """``(tensors, rows)`` when ``dataset`` is a TensorDataset, or a Subset of one, else ``(None, order)``.

    ``rows`` are the rows of the tensors that the dataset indices ``order`` stand for. Exact types
    only: a subclass may change ``__getitem__`` (to augment data, say), and then each sample counts.
    """
    rows, base = order, dataset
    while type(base) is Subset:
        rows = np.asarray(base.indices, dtype=np.int64)[rows]
        base = base.dataset
    if type(base) is TensorDataset:
        return base.tensors, rows
    return None, order


class MapFetcher:
    """Indices -> a batch of a map-style dataset: ``collate_fn([dataset[i] for i in indices])``.

    Without automatic batching (``batch_size=None``) an index is one sample: ``collate_fn(dataset[i])``.
    For a ``TensorDataset`` (or a ``Subset`` of one) with ``default_collate``, a batch is cut from
    each tensor with the whole index array at once (``X[indices]``): same batch, much faster.
    """

    def __init__(self, dataset, auto_collation, collate_fn):
        self.dataset, self.auto_collation, self.collate_fn = dataset, auto_collation, collate_fn

    def fetch(self, index):
        if not self.auto_collation:
            return self.collate_fn(self.dataset[index])
        tensors = None
        if self.collate_fn is default_collate:
            tensors, rows = _tensor_rows(self.dataset, np.asarray(index, dtype=np.int64))
        if tensors is not None:
            return [t[rows] for t in tensors]
        return self.collate_fn([self.dataset[i] for i in index])


class IterableFetcher:
    """The next batch of an ``IterableDataset``'s stream; ``StopIteration`` when it has ended.

    With automatic batching a batch is the next ``batch_size`` items (fewer at the end, or none
    with ``drop_last``); without, it is the next item through ``collate_fn``.
    """

    def __init__(self, dataset, batch_size, collate_fn, drop_last):
        self.stream = iter(dataset)
        self.batch_size, self.collate_fn, self.drop_last = batch_size, collate_fn, drop_last

    def fetch(self, _index):
        if self.batch_size is None:
            return self.collate_fn(next(self.stream))
        items = list(itertools.islice(self.stream, self.batch_size))
        if not items or (self.drop_last and len(items) < self.batch_size):
            raise StopIteration
        return self.collate_fn(items)


def make_fetcher(dataset, auto_collation, batch_size, collate_fn, drop_last):
    """The fetcher for ``dataset``: an ``IterableFetcher`` for a stream, else a ``MapFetcher``."""
    if isinstance(dataset, IterableDataset):
        return IterableFetcher(dataset, batch_size, collate_fn, drop_last)
    return MapFetcher(dataset, auto_collation, collate_fn)


class _Failure:
    """An exception raised in a worker, carried to the main process with its traceback as text."""

    def __init__(self, worker_id, exc):
        self.exc_type = type(exc)
        self.text = (f"Caught {type(exc).__name__} in DataLoader worker process {worker_id}.\n"
                     f"Original {''.join(traceback.format_exception(type(exc), exc, exc.__traceback__))}")

    def reraise(self):
        try:
            error = self.exc_type(self.text)
        except Exception:  # an exception type whose constructor wants other arguments
            error = RuntimeError(self.text)
        raise error


class StreamEnded:
    """A worker's answer when its copy of an ``IterableDataset`` has no more batches."""


@dataclass(frozen=True)
class Resume:
    """Sent to persistent workers at a new epoch: start the stream again; answered with itself."""

    worker_id: int


def _seed(worker_id, base_seed):
    seed = base_seed + worker_id
    random.seed(seed)
    manual_seed(seed)
    np.random.seed(numpy_seed_words(base_seed, worker_id))
    return seed


def worker_loop(make_fetcher, dataset, index_queue, result_queue, worker_id, num_workers, base_seed,
                worker_init_fn):
    """The body of worker process ``worker_id`` (see the module docstring); ends on a ``None`` task."""
    global _worker_info
    _worker_info = WorkerInfo(worker_id, num_workers, _seed(worker_id, base_seed), dataset)
    parent = os.getppid()
    try:
        if worker_init_fn is not None:
            worker_init_fn(worker_id)
        fetcher, init_failure = make_fetcher(), None
    except Exception as exc:  # every task answers with this failure, so the main process sees it
        fetcher, init_failure = None, _Failure(worker_id, exc)
    while True:
        try:
            task = index_queue.get(timeout=POLL_SECONDS)
        except queue.Empty:
            if os.getppid() != parent:  # the main process is gone: nobody will ever read our batches
                return
            continue
        if task is None:  # done: batches still unread may be dropped, the process must not wait on them
            result_queue.cancel_join_thread()
            return
        if isinstance(task, Resume):
            fetcher = make_fetcher() if init_failure is None else None
            result_queue.put((task, None))
            continue
        task_id, index = task
        if init_failure is not None:
            result_queue.put((task_id, init_failure))
            continue
        try:
            batch = fetcher.fetch(index)
        except StopIteration:
            batch = StreamEnded()
        except Exception as exc:
            batch = _Failure(worker_id, exc)
        result_queue.put((task_id, batch))
