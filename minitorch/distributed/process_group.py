"""The default process group: every rank of one ``mpiexec`` launch (MPI's ``COMM_WORLD``).

``init_process_group`` connects this process to the others of its launch, as PyTorch's does; the
rendezvous is MPI's (``mpiexec`` starts the ranks and tells each its place), so ``init_method``
and ``MASTER_ADDR``/``MASTER_PORT`` only need to agree with it. mpi4py is imported here, lazily:
``import minitorch`` works without it.
"""
import datetime
import enum
import importlib.util
import os

__all__ = [
    "Backend", "ReduceOp", "init_process_group", "is_available", "is_initialized", "is_mpi_available",
    "get_backend", "get_rank", "get_world_size", "destroy_process_group", "DistributedNotInitializedError",
]

# PyTorch's default timeout for collectives: a rank that waits longer raises instead of hanging.
default_pg_timeout = datetime.timedelta(minutes=30)
INSTALL_HINT = 'pip install -e ".[distributed]" (mpi4py and an MPI library from PyPI)'


class DistributedNotInitializedError(RuntimeError, ValueError):
    """A call of ``minitorch.distributed`` made before ``init_process_group()``: a RuntimeError, and a
    ValueError as PyTorch raises for it, so either ``except`` clause catches it."""


class Backend(str):
    """The name of a communication backend; minitorch has one, ``"mpi"`` (``Backend.MPI``)."""

    MPI = "mpi"
    GLOO = "gloo"
    NCCL = "nccl"


class RedOpType(enum.Enum):
    """The values of ``ReduceOp`` (PyTorch's names and numbers)."""

    SUM = 0
    AVG = 1
    PRODUCT = 2
    MIN = 3
    MAX = 4
    BAND = 5
    BOR = 6
    BXOR = 7


class ReduceOp:
    """How a reducing collective combines the ranks' tensors, elementwise: ``ReduceOp.SUM``, ``AVG``
    (the mean: SUM, then a division), ``PRODUCT``, ``MIN``, ``MAX``, and on integers ``BAND``, ``BOR``,
    ``BXOR``. As in PyTorch, each is a member of ``ReduceOp.RedOpType``."""

    RedOpType = RedOpType
    SUM, AVG, PRODUCT, MIN, MAX = RedOpType.SUM, RedOpType.AVG, RedOpType.PRODUCT, RedOpType.MIN, RedOpType.MAX
    BAND, BOR, BXOR = RedOpType.BAND, RedOpType.BOR, RedOpType.BXOR


class _World:
    """The state of the default process group (one per process)."""

    comm = None
    backend = None
    timeout = default_pg_timeout


def mpi():
    """mpi4py's ``MPI`` module (importing it starts MPI), or a clear error when it is not installed."""
    if not is_mpi_available():
        raise RuntimeError(f"minitorch.distributed needs mpi4py, which is not installed: {INSTALL_HINT}.")
    from mpi4py import MPI

    return MPI


def is_available():
    """Whether ``minitorch.distributed`` can run here: True when mpi4py is installed."""
    return is_mpi_available()


def is_mpi_available():
    """Whether the MPI backend (mpi4py) is installed."""
    return importlib.util.find_spec("mpi4py") is not None


def is_initialized():
    """Whether ``init_process_group`` has been called (and not undone by ``destroy_process_group``)."""
    return _World.comm is not None


def _env_int(name):
    value = os.environ.get(name)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"init_process_group: the environment variable {name} must be an integer, got "
                         f"{value!r}.") from None


def _agree(name, given, mpi_value, where):
    if given is not None and given != -1 and given != mpi_value:
        raise ValueError(
            f"init_process_group: {name}={given} ({where}) but MPI says {mpi_value}; ranks are started by mpiexec, "
            f"so start the script with python -m minitorch.distributed.run -n N script.py (or mpiexec -n N ...), "
            f"or leave {name} out."
        )


def init_process_group(backend=None, init_method=None, timeout=None, world_size=-1, rank=-1, store=None,
                       group_name="", pg_options=None, device_id=None):
    """Join this process to the default group of its launch (PyTorch's signature).

    - ``backend``: ``"mpi"`` (or None); ``"gloo"`` and ``"nccl"`` (what GPU scripts pass) are accepted
      and run on MPI too, which also carries cuda tensors; ``get_backend()`` says ``"mpi"``.
    - ``init_method``: None or ``"env://"`` (PyTorch's default), where ``RANK`` and ``WORLD_SIZE``,
      when set (by ``python -m minitorch.distributed.run``, or torchrun-style by hand), must agree with
      MPI's own numbering; ``"tcp://..."``/``"file://..."`` are accepted and not needed (mpiexec
      already connected the ranks). ``world_size``/``rank``, when given, must agree likewise.
    - ``timeout`` (a ``datetime.timedelta``, default 30 minutes): how long a collective waits for the
      other ranks before it raises a RuntimeError instead of hanging.
    - ``store``, ``group_name``, ``pg_options``, ``device_id``: accepted for PyTorch's sake; unused.

    Run without mpiexec, the process is a group of one (rank 0 of world size 1).
    """
    op = "init_process_group"
    if is_initialized():
        raise RuntimeError(f"{op}: trying to initialize the default process group twice; call "
                           f"destroy_process_group() first.")
    if backend is not None and str(backend).lower() not in ("mpi", "gloo", "nccl"):
        raise ValueError(
            f"{op}: backend {backend!r} is not available in minitorch; the backend here is 'mpi' (mpi4py), which "
            f"also carries cuda tensors (see minitorch.distributed): pass backend='mpi' ('gloo' and 'nccl' run on it)."
        )
    if init_method is not None and not str(init_method).startswith(("env://", "tcp://", "file://")):
        raise ValueError(f"{op}: init_method must be 'env://', 'tcp://...' or 'file://...', got {init_method!r}.")
    if timeout is None:
        timeout = default_pg_timeout
    if not isinstance(timeout, datetime.timedelta) or timeout.total_seconds() <= 0:
        raise TypeError(f"{op}: timeout must be a positive datetime.timedelta, got {timeout!r}.")
    comm = mpi().COMM_WORLD
    _agree("world_size", world_size, comm.size, "argument")
    _agree("rank", rank, comm.rank, "argument")
    if init_method is None or str(init_method).startswith("env://"):
        _agree("WORLD_SIZE", _env_int("WORLD_SIZE"), comm.size, "environment variable")
        _agree("RANK", _env_int("RANK"), comm.rank, "environment variable")
    _World.comm, _World.backend, _World.timeout = comm, Backend.MPI, timeout


def world(op):
    """The default group's communicator, or the error that ``op`` was called before init."""
    if _World.comm is None:
        raise DistributedNotInitializedError(
            f"{op}: the default process group has not been initialized; call "
            f"minitorch.distributed.init_process_group() first."
        )
    return _World.comm


def check_group(op, group):
    """Only the default group exists: ``group`` must be None (or ``group.WORLD``)."""
    if group is not None and group is not GroupMember.WORLD:
        raise ValueError(f"{op}: only the default group (group=None) exists in minitorch; new_group() is not "
                         f"implemented, got group={group!r}.")


class GroupMember:
    """PyTorch's ``group.WORLD``: a name for the default group (the same as ``group=None``)."""

    WORLD = object()


def timeout_seconds():
    """The group's timeout for collectives, in seconds."""
    return _World.timeout.total_seconds()


def get_backend(group=None):
    """The default group's backend: ``"mpi"``."""
    check_group("get_backend", group)
    world("get_backend")
    return _World.backend


def get_rank(group=None):
    """This process's rank in the default group (0 to world size - 1)."""
    check_group("get_rank", group)
    return world("get_rank").rank


def get_world_size(group=None):
    """The number of processes in the default group."""
    check_group("get_world_size", group)
    return world("get_world_size").size


def destroy_process_group(group=None):
    """Leave the default group; ``init_process_group`` may then be called again. MPI itself stays up
    until the process exits (it cannot be restarted within a process)."""
    check_group("destroy_process_group", group)
    world("destroy_process_group")
    _World.comm, _World.backend, _World.timeout = None, None, default_pg_timeout
