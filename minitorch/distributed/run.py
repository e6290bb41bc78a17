"""The launcher: ``python -m minitorch.distributed.run -n 4 train.py args...`` starts 4 ranks of
``train.py`` with ``mpiexec``, torchrun-style.

Each rank gets PyTorch's ``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK``, ``LOCAL_WORLD_SIZE``,
``MASTER_ADDR`` and ``MASTER_PORT`` (taken from MPI's own numbering, see
``minitorch.distributed.bootstrap``), so a script written for torchrun runs unchanged, with
``dist.init_process_group("mpi")``. Options:

- ``-n N`` / ``--nproc-per-node N`` (also torchrun's ``--nproc_per_node``): the number of ranks;
  ``mpiexec -n N``.
- ``--hostfile FILE``: run across machines, as MPI does: one line per host (MPICH: ``host:slots``;
  Open MPI: ``host slots=N``), passed to ``mpiexec -hostfile``; ``-n`` is then the total number of
  ranks. Every host needs the same Python environment at the same path, and passwordless ssh.
  ``MASTER_ADDR`` defaults to the file's first host.
- ``--master-addr``, ``--master-port``: what the scripts see in ``MASTER_ADDR``/``MASTER_PORT``
  (informative: MPI's launcher already connected the ranks).
- ``-m``: run a module (``python -m``) instead of a script.
- ``--mpiexec PATH``: the launcher to use (default: the one installed beside this Python, by the
  ``distributed`` extra's MPI wheel, else the first on the PATH).

The exit code is mpiexec's: nonzero when any rank failed (an exception in one rank aborts all).
"""
import argparse
import os
import shutil
import subprocess
import sys

__all__ = ["find_mpiexec", "command", "main"]


def find_mpiexec():
    """mpiexec from this environment (a wheel puts it beside python), else from the PATH; None if absent."""
    folders = [os.path.dirname(sys.executable), os.path.join(sys.prefix, "bin"),
               os.path.join(sys.prefix, "Library", "bin"), os.environ.get("PATH", "")]
    return shutil.which("mpiexec", path=os.pathsep.join(folders))


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m minitorch.distributed.run",
        description="Start N ranks of a training script on MPI, with torchrun's environment variables.")
    parser.add_argument("-n", "--nproc-per-node", "--nproc_per_node", dest="nproc", type=int, default=1,
                        help="number of ranks (processes) to start (default 1)")
    parser.add_argument("--hostfile", help="MPI hostfile listing the machines (passed to mpiexec -hostfile)")
    parser.add_argument("--master-addr", "--master_addr", dest="master_addr", default=None,
                        help="MASTER_ADDR for the scripts (default: 127.0.0.1, or the hostfile's first host)")
    parser.add_argument("--master-port", "--master_port", dest="master_port", default="29500",
                        help="MASTER_PORT for the scripts (default 29500)")
    parser.add_argument("-m", "--module", action="store_true", help="run the target as a module (python -m)")
    parser.add_argument("--mpiexec", default=None, help="path of mpiexec (default: found beside python, or PATH)")
    parser.add_argument("script", help="the training script (or module, with -m)")
    parser.add_argument("script_args", nargs=argparse.REMAINDER, help="the script's own arguments")
    return parser


def _first_host(hostfile):
    with open(hostfile) as f:
        for line in f:
            words = line.split("#")[0].split()
            if words:
                return words[0].split(":")[0]
    raise ValueError(f"minitorch.distributed.run: the hostfile {hostfile} lists no host.")


def command(argv):
    """The mpiexec command line that ``main(argv)`` runs (a list of strings)."""
    args = _parser().parse_args(argv)
    if args.nproc < 1:
        raise ValueError(f"minitorch.distributed.run: -n must be at least 1, got {args.nproc}.")
    mpiexec = args.mpiexec or find_mpiexec()
    if mpiexec is None:
        raise RuntimeError('minitorch.distributed.run: mpiexec was not found; pip install -e ".[distributed]" '
                           "installs mpi4py and an MPI (with its mpiexec) from PyPI.")
    master_addr = args.master_addr or (_first_host(args.hostfile) if args.hostfile else "127.0.0.1")
    hosts = ["-hostfile", args.hostfile] if args.hostfile else []
    return [mpiexec, "-n", str(args.nproc), *hosts, sys.executable, "-m", "minitorch.distributed.bootstrap",
            "--master-addr", master_addr, "--master-port", str(args.master_port), *(["-m"] if args.module else []),
            args.script, *args.script_args]


def main(argv=None):
    """Run the ranks and return mpiexec's exit code."""
    return subprocess.call(command(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    sys.exit(main())
