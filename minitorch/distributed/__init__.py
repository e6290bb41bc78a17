"""``minitorch.distributed``: several processes training one model, with ``torch.distributed``'s names,
on MPI (mpi4py: ``pip install -e ".[distributed]"``).

Launch N ranks of a script (each gets ``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK``, ... as with torchrun)::

    python -m minitorch.distributed.run -n 2 train.py --epochs 3

and in the script::

    import minitorch.distributed as dist
    dist.init_process_group("mpi")
    model = minitorch.nn.parallel.DistributedDataParallel(model)   # gradients averaged over ranks

- the process group: ``init_process_group``, ``is_available``, ``is_initialized``, ``get_rank``,
  ``get_world_size``, ``get_backend``, ``barrier``, ``destroy_process_group``
- collectives on tensors, in place: ``all_reduce`` (with ``ReduceOp.SUM/AVG/PRODUCT/MIN/MAX``),
  ``broadcast``, ``all_gather``, ``all_gather_into_tensor``, ``reduce``, ``reduce_scatter``,
  ``reduce_scatter_tensor``, ``gather``, ``scatter``; point to point: ``send``, ``recv``,
  ``isend``, ``irecv``; on objects: ``all_gather_object``, ``broadcast_object_list``.
  ``async_op=True`` returns a work handle (``wait()``, ``is_completed()``): an MPI non-blocking request.
- cuda tensors: handed to MPI directly when the MPI is CUDA-aware (``MINITORCH_CUDA_AWARE_MPI=1``),
  otherwise staged through host memory (copied to numpy, communicated, copied back).
- a collective that waits longer than ``init_process_group``'s ``timeout`` (a rank died, or made
  different calls) raises a RuntimeError instead of hanging.

Only the default group (every rank) exists: ``new_group`` is not implemented.
"""
from .collectives import (
    all_gather, all_gather_into_tensor, all_reduce, barrier, broadcast, gather, irecv, isend, recv, reduce,
    reduce_scatter, reduce_scatter_tensor, scatter, send,
)
from .objects import all_gather_object, broadcast_object_list
from .process_group import (
    Backend, DistributedNotInitializedError, GroupMember, ReduceOp, default_pg_timeout, destroy_process_group,
    get_backend, get_rank, get_world_size, init_process_group, is_available, is_initialized, is_mpi_available,
)
from .work import Work

group = GroupMember  # PyTorch's ``dist.group.WORLD``

__all__ = [
    "Backend", "DistributedNotInitializedError", "ReduceOp", "Work", "all_gather", "all_gather_into_tensor",
    "all_gather_object", "all_reduce", "barrier", "broadcast", "broadcast_object_list", "default_pg_timeout",
    "destroy_process_group", "gather", "get_backend", "get_rank", "get_world_size", "group", "init_process_group",
    "irecv", "is_available", "is_initialized", "is_mpi_available", "isend", "recv", "reduce", "reduce_scatter",
    "reduce_scatter_tensor", "scatter", "send",
]
