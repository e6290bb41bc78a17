"""What each rank runs first under ``python -m minitorch.distributed.run``: torchrun's environment
from MPI's, then the user's script (or module) as ``__main__``.

``mpiexec`` tells each process its place in its own variables (MPICH and Intel MPI: ``PMI_RANK``,
``PMI_SIZE``, ``MPI_LOCALRANKID``, ``MPI_LOCALNRANKS``; Open MPI: ``OMPI_COMM_WORLD_RANK``, ...).
This module copies them to PyTorch's ``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK``, ``LOCAL_WORLD_SIZE``,
with ``MASTER_ADDR``/``MASTER_PORT`` from the launcher, so scripts written for torchrun find what
they read. An exception that escapes the script aborts every rank (``MPI_Abort``), as
``python -m mpi4py`` does, so the other ranks stop instead of waiting for it forever.

    python -m minitorch.distributed.bootstrap [--master-addr A] [--master-port P] [-m] script [args...]
"""
import os
import runpy
import sys
import traceback

__all__ = ["torchrun_environment", "main"]

# torchrun's name -> the variables that MPI launchers set for it, in order of preference
_SOURCES = {
    "RANK": ("PMI_RANK", "OMPI_COMM_WORLD_RANK", "PMIX_RANK"),
    "WORLD_SIZE": ("PMI_SIZE", "OMPI_COMM_WORLD_SIZE"),
    "LOCAL_RANK": ("MPI_LOCALRANKID", "OMPI_COMM_WORLD_LOCAL_RANK"),
    "LOCAL_WORLD_SIZE": ("MPI_LOCALNRANKS", "OMPI_COMM_WORLD_LOCAL_SIZE"),
}


def torchrun_environment(environ, master_addr="127.0.0.1", master_port=29500):
    """torchrun's variables for this rank, from the MPI launcher's ones in ``environ`` (a dict).

    >>> env = torchrun_environment({"PMI_RANK": "1", "PMI_SIZE": "2", "MPI_LOCALRANKID": "1", "MPI_LOCALNRANKS": "2"})
    >>> env["RANK"], env["WORLD_SIZE"], env["LOCAL_RANK"], env["LOCAL_WORLD_SIZE"], env["MASTER_ADDR"]
    ('1', '2', '1', '2', '127.0.0.1')
    """
    found = {name: next((environ[s] for s in sources if s in environ), None) for name, sources in _SOURCES.items()}
    if found["RANK"] is None or found["WORLD_SIZE"] is None:  # an unknown launcher: ask MPI itself
        from mpi4py import MPI

        local = MPI.COMM_WORLD.Split_type(MPI.COMM_TYPE_SHARED)
        found = {"RANK": MPI.COMM_WORLD.rank, "WORLD_SIZE": MPI.COMM_WORLD.size, "LOCAL_RANK": local.rank,
                 "LOCAL_WORLD_SIZE": local.size}
    found["LOCAL_RANK"] = found["RANK"] if found["LOCAL_RANK"] is None else found["LOCAL_RANK"]
    found["LOCAL_WORLD_SIZE"] = found["WORLD_SIZE"] if found["LOCAL_WORLD_SIZE"] is None else found["LOCAL_WORLD_SIZE"]
    found.update(MASTER_ADDR=master_addr, MASTER_PORT=master_port)
    return {name: str(value) for name, value in found.items()}


def _abort_all_ranks(code):
    """End every rank (the others may be waiting for this one) when MPI runs with several ranks."""
    sys.stderr.flush()
    MPI = sys.modules.get("mpi4py.MPI")
    if MPI is not None and MPI.Is_initialized() and not MPI.Is_finalized() and MPI.COMM_WORLD.size > 1:
        MPI.COMM_WORLD.Abort(code)


def _run(args, as_module):
    """Run the script; an exception or a nonzero ``sys.exit`` in it aborts every rank."""
    try:
        if as_module:
            runpy.run_module(args[0], run_name="__main__", alter_sys=True)
        else:
            sys.path[0] = os.path.dirname(os.path.abspath(args[0]))
            runpy.run_path(args[0], run_name="__main__")
    except SystemExit as exit:
        if exit.code not in (None, 0):
            _abort_all_ranks(exit.code if isinstance(exit.code, int) else 1)
        raise
    except BaseException:
        traceback.print_exc()
        _abort_all_ranks(1)
        raise


def main(argv=None):
    """Set the environment, then run the script (or ``-m`` module) with its arguments as ``__main__``."""
    args = list(sys.argv[1:] if argv is None else argv)
    options = {"--master-addr": "127.0.0.1", "--master-port": "29500"}
    while args and args[0] in options:
        options[args[0]] = args[1]
        args = args[2:]
    as_module = bool(args) and args[0] == "-m"
    args = args[1:] if as_module else args
    if not args:
        sys.exit("usage: python -m minitorch.distributed.bootstrap [--master-addr A] [--master-port P] [-m] "
                 "script [args...]")
    os.environ.update(torchrun_environment(os.environ, options["--master-addr"], options["--master-port"]))
    sys.argv = args
    _run(args, as_module)


if __name__ == "__main__":
    main()
