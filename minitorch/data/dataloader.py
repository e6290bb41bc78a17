"""``DataLoader``: walk a dataset in (shuffled) mini-batches, in this process or in worker processes.

One epoch is one pass of ``for batch in loader``. A sampler says which indices come in which
order (``SequentialSampler``, or ``RandomSampler`` with ``shuffle=True``: a new random order
every epoch, drawn from ``generator`` or the default generator, so ``minitorch.manual_seed``
repeats it); a ``BatchSampler`` groups them; ``collate_fn`` turns each group's samples into a
batch. This is ``torch.utils.data.DataLoader``, argument for argument.
"""
import functools
import itertools
import math
import multiprocessing
import queue
import time

from .. import checks
from .collate import default_collate, default_convert
from .dataset import IterableDataset, _rng
from .sampler import BatchSampler, RandomSampler, SequentialSampler, count, flag
from .worker import POLL_SECONDS, Resume, StreamEnded, _Failure, make_fetcher, worker_loop

__all__ = ["DataLoader", "default_collate", "default_convert"]


def _exclusive(dataset, batch_size, shuffle, sampler, batch_sampler, drop_last):
    """PyTorch's rules for which of these arguments may go together."""
    if isinstance(dataset, IterableDataset):
        for name, value in (("shuffle", shuffle), ("sampler", sampler), ("batch_sampler", batch_sampler)):
            if value not in (None, False):
                raise ValueError(
                    f"DataLoader with IterableDataset: expected unspecified {name} option, "
                    f"got {name}={value!r}; "
                    f"a stream is read in its own order (shuffle inside the dataset's __iter__ instead)."
                )
    if sampler is not None and shuffle:
        raise ValueError(
            "DataLoader: sampler option is mutually exclusive with shuffle; the sampler decides the "
            "order (use RandomSampler to shuffle)."
        )
    if batch_sampler is not None and (batch_size != 1 or shuffle or sampler is not None or drop_last):
        raise ValueError(
            "DataLoader: batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, "
            "and drop_last; the batch sampler already decides all four."
        )
    if batch_size is None and drop_last:
        raise ValueError(
            "DataLoader: batch_size=None option disables auto-batching and is mutually exclusive with "
            "drop_last."
        )


class DataLoader:
    """Iterate over ``dataset`` in batches, as ``torch.utils.data.DataLoader``.

    - ``batch_size`` samples per batch (``None``: no batching, each sample goes through
      ``default_convert``); the last batch is smaller, or dropped with ``drop_last=True``.
    - ``shuffle=True``: a ``RandomSampler`` drawing from ``generator``; ``sampler``: any iterable
      of indices; ``batch_sampler``: any iterable of index lists (then leave batch_size, shuffle,
      sampler and drop_last alone).
    - ``collate_fn`` (default ``default_collate``) turns a list of samples into a batch.
    - ``num_workers > 0`` starts that many worker processes (``multiprocessing``, with
      ``multiprocessing_context``: ``"fork"``, ``"spawn"``, ``"forkserver"`` or a context; the
      platform's default otherwise). Batch ``k`` goes to worker ``k % num_workers``, which fetches
      and collates the whole batch; each worker keeps ``prefetch_factor`` (default 2) batches in
      flight, and the batches come back in the sampler's order (``in_order=False``: as they are
      ready). Each worker seeds ``random``, numpy and minitorch as PyTorch's do, sets
      ``get_worker_info()`` and calls ``worker_init_fn(worker_id)``. ``timeout`` (seconds, 0 = no
      limit) bounds the wait for one batch; ``persistent_workers=True`` keeps the workers between
      epochs. As in PyTorch, with ``"spawn"`` (Windows, macOS) the dataset and functions must be
      picklable (no lambdas) and the script needs ``if __name__ == "__main__":``.
    - ``pin_memory`` and ``pin_memory_device`` are accepted and do nothing: batches are numpy
      arrays on the CPU (cupy arrays reach the GPU with ``.to("cuda")``), there is no page-locked
      memory to copy through.

    For a ``TensorDataset`` (or a ``Subset`` of one) with ``default_collate``, a batch is cut from
    each tensor with the whole index array at once (``X[indices]``) instead of one sample at a
    time: same batches, much faster.
    """

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None, num_workers=0,
                 collate_fn=None, pin_memory=False, drop_last=False, timeout=0, worker_init_fn=None,
                 multiprocessing_context=None, generator=None, *, prefetch_factor=None,
                 persistent_workers=False, pin_memory_device="", in_order=True):
        stream = isinstance(dataset, IterableDataset)
        if not (stream or hasattr(dataset, "__getitem__")):
            raise TypeError(
                f"DataLoader: the dataset must define __getitem__ and __len__ (a map-style dataset) or be an "
                f"IterableDataset, got a {type(dataset).__name__}."
            )
        if shuffle is not None:
            flag("DataLoader", "shuffle", shuffle)
        drop_last = flag("DataLoader", "drop_last", drop_last)
        if batch_size is not None:
            batch_size = count("DataLoader", "batch_size", batch_size)
        _exclusive(dataset, batch_size, shuffle, sampler, batch_sampler, drop_last)
        self.num_workers = checks.integer("DataLoader", "num_workers", num_workers, minimum=0)
        self.timeout = checks.real("DataLoader", "timeout", timeout, minimum=0)
        self.prefetch_factor = self._prefetch(prefetch_factor)
        self.persistent_workers = flag("DataLoader", "persistent_workers", persistent_workers)
        if self.persistent_workers and self.num_workers == 0:
            raise ValueError("DataLoader: persistent_workers option needs num_workers > 0.")
        for name, fn in (("collate_fn", collate_fn), ("worker_init_fn", worker_init_fn)):
            if fn is not None and not callable(fn):
                raise TypeError(f"DataLoader: {name} must be a function or None, got {fn!r}.")
        _rng("DataLoader", generator)  # checks the generator's type now rather than at the first epoch
        self.multiprocessing_context = self._context(multiprocessing_context)
        self.dataset, self.generator, self.worker_init_fn = dataset, generator, worker_init_fn
        self.pin_memory = flag("DataLoader", "pin_memory", pin_memory)
        self.pin_memory_device = pin_memory_device
        self.in_order = flag("DataLoader", "in_order", in_order)
        if batch_sampler is not None:
            batch_size, drop_last = None, False
        if sampler is None and not stream:
            sampler = RandomSampler(dataset, generator=generator) if shuffle else SequentialSampler(dataset)
        if batch_size is not None and sampler is not None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.batch_size, self.drop_last = batch_size, drop_last
        self.sampler, self.batch_sampler = sampler, batch_sampler
        # a stream is batched by its fetcher, without a batch sampler
        self._auto_collation = batch_sampler is not None or (stream and batch_size is not None)
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn
        self._workers = None  # the persistent workers, once started

    def _prefetch(self, prefetch_factor):
        if prefetch_factor is not None and self.num_workers == 0:
            raise ValueError(
                "DataLoader: prefetch_factor option could only be specified in multiprocessing; let "
                "num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to None."
            )
        if self.num_workers == 0:
            return None
        return 2 if prefetch_factor is None else checks.integer("DataLoader", "prefetch_factor",
                                                                prefetch_factor, minimum=1)

    @staticmethod
    def _context(context):
        if isinstance(context, str):
            methods = multiprocessing.get_all_start_methods()
            checks.choice("DataLoader", "multiprocessing_context", context, methods)
            return multiprocessing.get_context(context)
        if context is not None and not hasattr(context, "Process"):
            raise TypeError(
                f"DataLoader: multiprocessing_context must be a start method name or a multiprocessing "
                f"context, got {context!r}."
            )
        return context

    def __len__(self):
        """The number of batches in one epoch (for an IterableDataset: from ``len(dataset)``)."""
        if not isinstance(self.dataset, IterableDataset):
            return len(self.batch_sampler if self._auto_collation else self.sampler)
        n = len(self.dataset)
        if self.batch_size is None:
            return n
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def _fetcher(self):
        """A picklable recipe for this loader's fetcher (workers build their own from it)."""
        return functools.partial(make_fetcher, self.dataset, self._auto_collation, self.batch_size,
                                 self.collate_fn, self.drop_last)

    def _tasks(self):
        """What each batch is fetched from: index lists (or single indices), or nothing for a stream."""
        if isinstance(self.dataset, IterableDataset):
            return itertools.repeat(None)
        return iter(self.batch_sampler if self._auto_collation else self.sampler)

    def __iter__(self):
        if self.num_workers == 0:
            return self._in_process()
        if not self.persistent_workers:
            return _Workers(self)
        if self._workers is None:
            self._workers = _Workers(self)
        else:
            self._workers.start_epoch()
        return self._workers

    def _in_process(self):
        fetcher = self._fetcher()()
        for task in self._tasks():
            try:
                batch = fetcher.fetch(task)
            except StopIteration:  # the stream has ended
                return
            yield batch


class _Workers:
    """One epoch (or, with persistent workers, every epoch) of batches from worker processes."""

    def __init__(self, loader):
        self.loader = loader
        context = loader.multiprocessing_context or multiprocessing.get_context()
        # PyTorch draws the base seed from the loader's generator; a spawned child stream gives one
        # (new each time, repeated by manual_seed) without moving the generator, so the sampler's
        # draws, and with them the batches, are the same as with num_workers=0
        base_seed = int(_rng("DataLoader", loader.generator).spawn(1)[0].integers(0, 2**63))
        n = loader.num_workers
        self.result_queue = context.Queue()
        self.index_queues = [context.Queue() for _ in range(n)]
        self.processes = [
            context.Process(
                target=worker_loop, daemon=True,
                args=(loader._fetcher(), loader.dataset, self.index_queues[k], self.result_queue, k, n,
                      base_seed, loader.worker_init_fn),
            )
            for k in range(n)
        ]
        for process in self.processes:
            process.start()
        self.alive = True
        self._begin()

    def _begin(self):
        n = self.loader.num_workers
        self.tasks, self.next_id = self.loader._tasks(), 0
        self.pending, self.ready = {}, {}  # task id -> worker id (sent, not yet yielded); task id -> batch
        self.streaming = [True] * n  # False once a worker's copy of an IterableDataset has ended
        self.turns = itertools.cycle(range(n))
        for _ in range(self.loader.prefetch_factor * n):
            self._send()

    def start_epoch(self):
        """Persistent workers: drop what is left of the last epoch and restart every worker's stream."""
        for k, index_queue in enumerate(self.index_queues):
            index_queue.put(Resume(k))
        resumed = 0
        while resumed < len(self.index_queues):
            resumed += isinstance(self._receive()[0], Resume)
        self._begin()

    def _send(self):
        """Give the next task to the next worker whose stream has not ended (round robin)."""
        for _ in range(len(self.streaming)):
            worker = next(self.turns)
            if self.streaming[worker]:
                break
        else:
            return
        task = next(self.tasks, StopIteration)
        if task is StopIteration:
            return
        self.index_queues[worker].put((self.next_id, task))
        self.pending[self.next_id] = worker
        self.next_id += 1

    def __iter__(self):
        return self

    def __len__(self):
        return len(self.loader)

    def __next__(self):
        while True:
            task_id = self._next_ready()
            if task_id is not None:
                batch = self.ready.pop(task_id)
                del self.pending[task_id]
                self._send()
                if isinstance(batch, _Failure):
                    batch.reraise()
                return batch
            if not self.pending:
                if not self.loader.persistent_workers:
                    self.shutdown()
                raise StopIteration
            task_id, batch = self._receive()
            if isinstance(batch, StreamEnded):
                self.streaming[self.pending.pop(task_id)] = False
            else:
                self.ready[task_id] = batch

    def _next_ready(self):
        if not self.loader.in_order:
            return next(iter(self.ready), None)
        first = min(self.pending, default=None)
        return first if first in self.ready else None

    def _receive(self):
        """The next ``(task id, batch)`` from any worker; RuntimeError on a dead worker or a timeout."""
        timeout, start = self.loader.timeout, time.monotonic()
        while True:
            try:
                return self.result_queue.get(timeout=min(POLL_SECONDS, timeout) if timeout else POLL_SECONDS)
            except queue.Empty:
                dead = [p.pid for p in self.processes if not p.is_alive()]
                if dead:
                    self.shutdown()
                    raise RuntimeError(
                        f"DataLoader worker (pid(s) {dead}) exited unexpectedly; run with num_workers=0 "
                        f"to see the error in this process."
                    ) from None
                if timeout and time.monotonic() - start >= timeout:
                    raise RuntimeError(f"DataLoader timed out after {timeout:g} seconds.") from None

    def shutdown(self):
        """Stop the workers (asking first, then terminating the ones that do not stop)."""
        if not self.alive:
            return
        self.alive = False
        for index_queue in self.index_queues:
            index_queue.put(None)
        for process in self.processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
        for q in (*self.index_queues, self.result_queue):
            q.cancel_join_thread()
            q.close()

    def __del__(self):
        if getattr(self, "alive", False):
            self.shutdown()
