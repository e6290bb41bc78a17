"""``minitorch.multiprocessing``: Python's ``multiprocessing``, plus what PyTorch adds for tensors
(``import minitorch.multiprocessing as mp`` where a program has ``import torch.multiprocessing as mp``).

- Every name of Python's ``multiprocessing`` (``Process``, ``Queue``, ``Pool``, ``Lock``, ``Event``,
  ``Manager``, ``get_context``, ``set_start_method``, ``cpu_count``, ...), the same objects.
- ``spawn(fn, args, nprocs)`` / ``start_processes``: run ``fn(i, *args)`` in ``nprocs`` processes; a
  child's exception is raised again in the parent (``ProcessRaisedException``), see ``spawn.py``.
- Shared tensors: ``Tensor.share_memory_()`` / ``Module.share_memory()`` move the values into shared
  memory (``shared.py``), so that the processes started afterwards (fork or spawn) and those that
  receive the tensor over a ``Queue`` read and write the same numbers: Hogwild training, as in
  PyTorch's ``mnist_hogwild`` example::

      model.share_memory()
      workers = [mp.Process(target=train, args=(rank, model)) for rank in range(4)]

  Unlike PyTorch, a tensor that is not shared is *copied* when sent to another process (PyTorch moves
  it into shared memory on the way). "cuda" tensors cannot be shared (PyTorch uses CUDA IPC, which
  minitorch does not have): ``share_memory_`` on one raises a RuntimeError.
- Sharing strategies (``get_sharing_strategy``...): PyTorch passes shared memory either as file
  descriptors or as named files. minitorch always uses named blocks (``SharedMemory``); both
  strategy names are accepted and remembered, and change nothing.
"""
import multiprocessing
import sys
from multiprocessing import *  # noqa: F401,F403  (the standard library's names, as torch re-exports them)

from .. import checks
from .shared import register_reductions
from .spawn import (  # noqa: F401  (re-exported, as torch.multiprocessing has them)
    ProcessContext, ProcessException, ProcessExitedException, ProcessRaisedException, SpawnContext, spawn,
    start_processes)

__all__ = ["set_sharing_strategy", "get_sharing_strategy", "get_all_sharing_strategies", *multiprocessing.__all__]

_all_sharing_strategies = {"file_system"} if sys.platform == "darwin" else {"file_descriptor", "file_system"}
_sharing_strategy = "file_system" if sys.platform == "darwin" else "file_descriptor"


def get_all_sharing_strategies():
    """The sharing strategies PyTorch supports on this platform (a set); all behave alike here."""
    return set(_all_sharing_strategies)


def get_sharing_strategy():
    """The sharing strategy set last (PyTorch's default for the platform at first)."""
    return _sharing_strategy


def set_sharing_strategy(new_strategy):
    """Choose how shared memory is passed between processes: one of ``get_all_sharing_strategies()``.
    Accepted and remembered; minitorch always passes shared memory as a named block."""
    global _sharing_strategy
    _sharing_strategy = checks.choice("set_sharing_strategy", "new_strategy", new_strategy,
                                      sorted(_all_sharing_strategies))


register_reductions()
