"""Collectives and point-to-point calls on tensors, in place, as ``torch.distributed``'s.

Each call checks its arguments, starts MPI non-blocking requests on the tensors' buffers and
returns a ``Work`` with ``async_op=True``; otherwise it waits (None is returned, the output
tensors hold the result). Every rank of the group must make the same calls in the same order.
"""
import numpy as np

from ..device import array_module
from ..tensor import Tensor
from .process_group import ReduceOp, check_group, mpi, world
from .work import Buffer, Work

__all__ = [
    "all_reduce", "broadcast", "all_gather", "all_gather_into_tensor", "reduce", "reduce_scatter",
    "reduce_scatter_tensor", "gather", "scatter", "send", "recv", "isend", "irecv", "barrier",
]

_MPI_OPS = {ReduceOp.SUM: "SUM", ReduceOp.AVG: "SUM", ReduceOp.PRODUCT: "PROD", ReduceOp.MIN: "MIN",
            ReduceOp.MAX: "MAX", ReduceOp.BAND: "BAND", ReduceOp.BOR: "BOR", ReduceOp.BXOR: "BXOR"}


def _start(name, group):
    """The communicator for call ``name`` (after the checks every call shares)."""
    check_group(name, group)
    return world(name)


def _tensor(name, arg, value):
    if not isinstance(value, Tensor):
        raise TypeError(f"{name}: {arg} must be a minitorch.Tensor, got {type(value).__name__}.")
    return value


def _tensor_list(name, arg, values, like, size):
    """``values``: a list of ``size`` tensors of ``like``'s shape and dtype."""
    if not isinstance(values, (list, tuple)) or len(values) != size:
        got = f"{len(values)} entries" if isinstance(values, (list, tuple)) else type(values).__name__
        raise ValueError(f"{name}: {arg} must be a list of world_size={size} tensors, got {got}.")
    for i, t in enumerate(values):
        _tensor(name, f"{arg}[{i}]", t)
        if t.shape != like.shape or t.dtype != like.dtype:
            raise ValueError(f"{name}: {arg}[{i}] has shape {tuple(t.shape)} and dtype {t.dtype}; every entry "
                             f"must have the tensor's shape {tuple(like.shape)} and dtype {like.dtype}.")
    return values


def _numel(name, output, input, size, words):
    """``output`` holds ``size`` times ``input``'s elements (all_gather_into_tensor, reduce_scatter_tensor)."""
    if output.numel() != size * input.numel() or output.dtype != input.dtype:
        raise ValueError(f"{name}: {words} (world_size={size}), in the same dtype; got output "
                         f"{tuple(output.shape)} {output.dtype} and input {tuple(input.shape)} {input.dtype}.")


def _reduce_op(name, op, *tensors):
    """MPI's operation for ``op`` (a ``ReduceOp``); AVG is SUM then a division, for floating tensors."""
    if not isinstance(op, ReduceOp.RedOpType):
        raise TypeError(f"{name}: op must be a minitorch.distributed.ReduceOp (SUM, AVG, PRODUCT, MIN, MAX, "
                        f"BAND, BOR, BXOR), got {op!r}.")
    if op is ReduceOp.AVG and not all(t.is_floating_point() for t in tensors):
        raise ValueError(f"{name}: ReduceOp.AVG needs floating-point tensors; use SUM for integer tensors.")
    return getattr(mpi(), _MPI_OPS[op])


def _rank(name, arg, value, group_value, size, required=True):
    """A rank argument (``src``/``dst``, or PyTorch's ``group_src``/``group_dst``: the same here)."""
    if value is not None and group_value is not None:
        raise ValueError(f"{name}: pass {arg} or group_{arg}, not both.")
    value = group_value if value is None else value
    if value is None:
        if required:
            raise ValueError(f"{name}: {arg} (the rank) is required.")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 0 <= value < size:
        raise ValueError(f"{name}: {arg} must be a rank between 0 and {size - 1}, got {value!r}.")
    return int(value)


def _after(buffers, op=None, size=1):
    """What runs when the requests complete: AVG's division, then the copies back into the tensors."""
    def then():
        for b in buffers:
            if op is ReduceOp.AVG:
                b.array /= size
            b.finish()
    return then


def _done(work, async_op):
    if async_op:
        return work
    work.wait()
    return None


def _empty(like, shape):
    """A new buffer of ``shape`` in ``like``'s dtype, where MPI works (host, or GPU for a CUDA-aware MPI)."""
    return array_module(like).empty(shape, dtype=like.dtype)


def _store(tensors, stacked):
    """Copy ``stacked[i]`` into ``tensors[i]`` (in place)."""
    for t, values in zip(tensors, stacked):
        t._array[...] = array_module(t._array).asarray(values)
        t._version[0] += 1


def all_reduce(tensor, op=ReduceOp.SUM, group=None, async_op=False):
    """Every rank's ``tensor`` becomes the elementwise ``op`` (SUM, AVG, MAX, ...) of all ranks' tensors."""
    name = "all_reduce"
    comm = _start(name, group)
    buffer = Buffer(_tensor(name, "tensor", tensor))
    request = comm.Iallreduce(mpi().IN_PLACE, buffer.array, op=_reduce_op(name, op, tensor))
    return _done(Work(name, [request], _after([buffer], op, comm.size)), async_op)


def broadcast(tensor, src=None, group=None, async_op=False, group_src=None):
    """Every rank's ``tensor`` becomes rank ``src``'s."""
    name = "broadcast"
    comm = _start(name, group)
    root = _rank(name, "src", src, group_src, comm.size)
    buffer = Buffer(_tensor(name, "tensor", tensor))
    return _done(Work(name, [comm.Ibcast(buffer.array, root=root)], _after([buffer])), async_op)


def all_gather(tensor_list, tensor, group=None, async_op=False):
    """``tensor_list[r]`` becomes rank r's ``tensor``, on every rank (``tensor_list``: world_size tensors)."""
    name = "all_gather"
    comm = _start(name, group)
    _tensor_list(name, "tensor_list", tensor_list, _tensor(name, "tensor", tensor), comm.size)
    source = Buffer(tensor).array
    stacked = _empty(source, (comm.size, *source.shape))
    request = comm.Iallgather(source, stacked)
    return _done(Work(name, [request], lambda: _store(tensor_list, stacked)), async_op)


def all_gather_into_tensor(output_tensor, input_tensor, group=None, async_op=False):
    """``output_tensor`` becomes the ranks' ``input_tensor`` s one after the other (concatenated along
    dim 0, or stacked: any output shape of world_size times the input's elements)."""
    name = "all_gather_into_tensor"
    comm = _start(name, group)
    output = _tensor(name, "output_tensor", output_tensor)
    _numel(name, output, _tensor(name, "input_tensor", input_tensor), comm.size,
           "output_tensor must hold world_size times input_tensor's elements")
    out = Buffer(output)
    request = comm.Iallgather(Buffer(input_tensor).array, out.array)
    return _done(Work(name, [request], _after([out])), async_op)


def reduce(tensor, dst=None, op=ReduceOp.SUM, group=None, async_op=False, group_dst=None):
    """Rank ``dst``'s ``tensor`` becomes the elementwise ``op`` of all ranks' tensors (the others keep theirs)."""
    name = "reduce"
    comm = _start(name, group)
    root = _rank(name, "dst", dst, group_dst, comm.size)
    mpi_op = _reduce_op(name, op, _tensor(name, "tensor", tensor))
    buffer = Buffer(tensor)
    if comm.rank == root:
        request = comm.Ireduce(mpi().IN_PLACE, buffer.array, op=mpi_op, root=root)
        return _done(Work(name, [request], _after([buffer], op, comm.size)), async_op)
    return _done(Work(name, [comm.Ireduce(buffer.array, None, op=mpi_op, root=root)]), async_op)


def reduce_scatter(output, input_list, op=ReduceOp.SUM, group=None, async_op=False):
    """``output`` on rank r becomes the ``op`` over ranks of their ``input_list[r]``."""
    name = "reduce_scatter"
    comm = _start(name, group)
    _tensor_list(name, "input_list", input_list, _tensor(name, "output", output), comm.size)
    mpi_op = _reduce_op(name, op, output, *input_list)
    out = Buffer(output)
    send = _empty(out.array, (comm.size, *out.array.shape))
    for i, t in enumerate(input_list):
        send[i] = Buffer(t).array
    request = comm.Ireduce_scatter_block(send, out.array, op=mpi_op)
    return _done(Work(name, [request], _after([out], op, comm.size)), async_op)


def reduce_scatter_tensor(output, input, op=ReduceOp.SUM, group=None, async_op=False):
    """``output`` on rank r becomes the ``op`` over ranks of the r-th of world_size equal chunks of ``input``."""
    name = "reduce_scatter_tensor"
    comm = _start(name, group)
    _numel(name, _tensor(name, "input", input), _tensor(name, "output", output), comm.size,
           "input must hold world_size times output's elements")
    mpi_op = _reduce_op(name, op, output, input)
    out = Buffer(output)
    request = comm.Ireduce_scatter_block(Buffer(input).array, out.array, op=mpi_op)
    return _done(Work(name, [request], _after([out], op, comm.size)), async_op)


def gather(tensor, gather_list=None, dst=None, group=None, async_op=False, group_dst=None):
    """On rank ``dst``, ``gather_list[r]`` becomes rank r's ``tensor`` (other ranks pass no list)."""
    name = "gather"
    comm = _start(name, group)
    root = _rank(name, "dst", dst, group_dst, comm.size, required=False) or 0
    source = Buffer(_tensor(name, "tensor", tensor)).array
    if comm.rank != root:
        if gather_list:
            raise ValueError(f"{name}: gather_list must be None on ranks other than dst={root}.")
        return _done(Work(name, [comm.Igather(source, None, root=root)]), async_op)
    _tensor_list(name, "gather_list", gather_list, tensor, comm.size)
    stacked = _empty(source, (comm.size, *source.shape))
    request = comm.Igather(source, stacked, root=root)
    return _done(Work(name, [request], lambda: _store(gather_list, stacked)), async_op)


def scatter(tensor, scatter_list=None, src=None, group=None, async_op=False, group_src=None):
    """Rank r's ``tensor`` becomes rank ``src``'s ``scatter_list[r]`` (other ranks pass no list)."""
    name = "scatter"
    comm = _start(name, group)
    root = _rank(name, "src", src, group_src, comm.size, required=False) or 0
    out = Buffer(_tensor(name, "tensor", tensor))
    send = None
    if comm.rank == root:
        _tensor_list(name, "scatter_list", scatter_list, tensor, comm.size)
        send = _empty(out.array, (comm.size, *out.array.shape))
        for i, t in enumerate(scatter_list):
            send[i] = Buffer(t).array
    elif scatter_list:
        raise ValueError(f"{name}: scatter_list must be None on ranks other than src={root}.")
    return _done(Work(name, [comm.Iscatter(send, out.array, root=root)], _after([out])), async_op)


def _peer(name, arg, value, group_value, comm):
    peer = _rank(name, arg, value, group_value, comm.size)
    if peer == comm.rank:
        raise ValueError(f"{name}: {arg}={peer} is this process's own rank; send to and receive from another rank.")
    return peer


def _send(name, tensor, dst, group, tag, group_dst):
    comm = _start(name, group)
    dst = _peer(name, "dst", dst, group_dst, comm)
    buffer = Buffer(_tensor(name, "tensor", tensor))
    return Work(name, [comm.Isend(buffer.array, dest=dst, tag=tag)])


def _recv(name, tensor, src, group, tag, group_src):
    comm = _start(name, group)
    src = None if src is None and group_src is None else _peer(name, "src", src, group_src, comm)
    buffer = Buffer(_tensor(name, "tensor", tensor))
    request = comm.Irecv(buffer.array, source=mpi().ANY_SOURCE if src is None else src, tag=tag)
    return Work(name, [request], _after([buffer]))


def isend(tensor, dst=None, group=None, tag=0, group_dst=None):
    """Start sending ``tensor`` to rank ``dst``; returns a ``Work`` (``wait()`` before changing ``tensor``)."""
    return _send("isend", tensor, dst, group, tag, group_dst)


def irecv(tensor, src=None, group=None, tag=0, group_src=None):
    """Start receiving into ``tensor`` from rank ``src`` (None: any rank); returns a ``Work`` whose
    ``source`` is the sender's rank once complete."""
    return _recv("irecv", tensor, src, group, tag, group_src)


def send(tensor, dst=None, group=None, tag=0, group_dst=None):
    """Send ``tensor`` to rank ``dst`` (which calls ``recv``); returns when it is sent."""
    _send("send", tensor, dst, group, tag, group_dst).wait()


def recv(tensor, src=None, group=None, tag=0, group_src=None):
    """Receive into ``tensor`` from rank ``src`` (None: any rank); returns the sender's rank."""
    work = _recv("recv", tensor, src, group, tag, group_src)
    work.wait()
    return work.source


def barrier(group=None, async_op=False, device_ids=None, timeout=None):
    """Wait until every rank has reached this call. ``device_ids`` is accepted for PyTorch's sake;
    ``timeout`` (a ``datetime.timedelta``) overrides the group's for this wait."""
    name = "barrier"
    work = Work(name, [_start(name, group).Ibarrier()])
    if async_op:
        return work
    work.wait(timeout)
    return None
