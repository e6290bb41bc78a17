"""Starting real MPI ranks for the tests of minitorch.distributed.

``run_ranks(worker, *args)`` runs ``tests/distributed/workers/<worker>.py`` on 2 ranks in ONE
launch (startup is the slow part, so each worker checks many things) and returns the finished
process. Without mpi4py or mpiexec the test skips, saying how to install them.
"""
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from minitorch.distributed.run import find_mpiexec

WORKERS = Path(__file__).parent / "workers"


def _launch(command, timeout):
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired as error:
        pytest.fail(f"{command} hung for {timeout} s (a rank waiting forever):\n{error.stdout}\n{error.stderr}")


@pytest.fixture
def run_ranks():
    """``run_ranks(worker, *args, launcher=False, timeout=60)``: 2 ranks of a worker script, via
    plain ``mpiexec -n 2 python`` or, with ``launcher=True``, ``python -m minitorch.distributed.run``."""
    if importlib.util.find_spec("mpi4py") is None or find_mpiexec() is None:
        pytest.skip('mpi4py or mpiexec is not installed (pip install -e ".[distributed]")')

    def run(worker, *args, launcher=False, timeout=60):
        script = str(WORKERS / f"{worker}.py")
        if launcher:
            command = [sys.executable, "-m", "minitorch.distributed.run", "-n", "2", script, *args]
        else:
            command = [find_mpiexec(), "-n", "2", sys.executable, script, *args]
        return _launch(command, timeout)

    return run
