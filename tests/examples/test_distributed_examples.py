"""The cnn and gpt examples with ``--distributed``, on 2 real MPI ranks (one launch each: startup is slow).

They must train (the loss falls), report the same numbers on every rank (metrics combined over the
ranks), keep the replicas equal, and write their files from rank 0 alone. Without mpi4py or
mpiexec these tests skip, saying how to install them.
"""
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from minitorch.distributed.run import find_mpiexec

WORKER = Path(__file__).parent / "workers" / "distributed_examples.py"
pytestmark = pytest.mark.skipif(importlib.util.find_spec("mpi4py") is None or find_mpiexec() is None,
                                reason='mpi4py or mpiexec is not installed (pip install -e ".[distributed]")')


def launch(*args, timeout=240):
    """``python -m minitorch.distributed.run -n 2 ARGS``, finished, with one BLAS thread per rank."""
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, "-m", "minitorch.distributed.run", "-n", "2", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, env=env)
    assert proc.returncode == 0, f"{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}"
    return proc


def test_cnn_and_gpt_train_on_two_ranks_and_rank_0_alone_writes(tmp_path):
    launch(WORKER, tmp_path)
    ranks = [json.loads((tmp_path / f"rank{r}.json").read_text()) for r in (0, 1)]
    assert [r["world"] for r in ranks] == [2, 2]
    for example in ("cnn", "gpt"):
        assert ranks[0][example]["history"] == ranks[1][example]["history"]  # combined over the ranks
    cnn_loss = ranks[0]["cnn"]["history"]["train_loss"]
    gpt_loss = ranks[0]["gpt"]["history"]["train_loss"]
    assert cnn_loss[-1] < cnn_loss[0] and gpt_loss[-1] < gpt_loss[0]
    assert ranks[0]["gpt"]["weights"] == ranks[1]["gpt"]["weights"]  # DDP kept the replicas equal
    assert ranks[0]["gpt"]["sample"] and ranks[1]["gpt"]["sample"] is None
    assert {p.name for p in (tmp_path / "cnn-rank0").iterdir()} == {"curves.png", "confusion_matrix.png",
                                                                    "filters.png", "cnn.npz"}
    assert {p.name for p in (tmp_path / "gpt-rank0").iterdir()} == {"sample.txt", "loss.png", "attention.png",
                                                                    "gpt.npz"}
    assert not (tmp_path / "cnn-rank1").exists() and not (tmp_path / "gpt-rank1").exists()


def test_the_distributed_flag_from_the_command_line(tmp_path):
    proc = launch("-m", "minitorch.examples", "gpt", "--distributed", "--steps", 4, "--eval-every", 2,
                  "--layers", 1, "--heads", 2, "--width", 16, "--context", 8, "--batch-size", 4,
                  "--corpus-chars", 2000, "--sample-length", 5, "--out", tmp_path)
    assert proc.stdout.count("validation loss: GPT") == 1  # rank 0 alone prints the report
    assert sorted(p.name for p in tmp_path.iterdir()) == ["attention.png", "gpt.npz", "loss.png", "sample.txt"]
