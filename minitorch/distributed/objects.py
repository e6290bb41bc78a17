"""Collectives on picklable Python objects, as ``torch.distributed``'s: ``all_gather_object`` and
``broadcast_object_list``. The objects travel as pickled bytes (sizes first, then the bytes), with
the same timeout as every other collective.
"""
import pickle

import numpy as np

from .collectives import _rank, _start
from .work import Work

__all__ = ["all_gather_object", "broadcast_object_list"]


def all_gather_object(object_list, obj, group=None):
    """``object_list[r]`` becomes rank r's ``obj``, on every rank (``object_list``: world_size entries)."""
    name = "all_gather_object"
    comm = _start(name, group)
    if not isinstance(object_list, list) or len(object_list) != comm.size:
        raise ValueError(f"{name}: object_list must be a list of world_size={comm.size} entries, got {object_list!r}.")
    data = np.frombuffer(pickle.dumps(obj), dtype=np.uint8)
    sizes = np.empty(comm.size, dtype=np.int64)
    Work(name, [comm.Iallgather(np.array([data.size], dtype=np.int64), sizes)]).wait()
    gathered = np.empty(int(sizes.sum()), dtype=np.uint8)
    Work(name, [comm.Iallgatherv(data, (gathered, sizes))]).wait()
    ends = np.cumsum(sizes)
    object_list[:] = [pickle.loads(gathered[end - size:end].tobytes()) for size, end in zip(sizes, ends)]


def broadcast_object_list(object_list, src=None, group=None, device=None, group_src=None):
    """Every rank's ``object_list`` entries become rank ``src``'s (lists of the same length on every rank).
    ``device`` is accepted for PyTorch's sake (objects travel through the host)."""
    name = "broadcast_object_list"
    comm = _start(name, group)
    root = _rank(name, "src", src, group_src, comm.size, required=False) or 0
    if not isinstance(object_list, list):
        raise TypeError(f"{name}: object_list must be a list, got {type(object_list).__name__}.")
    data = np.frombuffer(pickle.dumps(object_list), dtype=np.uint8) if comm.rank == root else None
    size = np.array([0 if data is None else data.size], dtype=np.int64)
    Work(name, [comm.Ibcast(size, root=root)]).wait()
    data = np.empty(int(size[0]), dtype=np.uint8) if data is None else data.copy()
    Work(name, [comm.Ibcast(data, root=root)]).wait()
    received = pickle.loads(data.tobytes())
    if len(received) != len(object_list):
        raise ValueError(f"{name}: rank {root} sent {len(received)} objects but this rank's list has "
                         f"{len(object_list)}; give every rank a list of the same length.")
    object_list[:] = received
