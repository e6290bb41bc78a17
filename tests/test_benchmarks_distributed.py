"""Smoke test of benchmarks/distributed.py: the ring model's arithmetic, and one tiny run on 1 and 2
real MPI ranks that writes the JSON, chart and summary. Speed is never asserted.

The run needs the ``distributed`` extra (mpi4py and mpiexec) and skips without it.
"""
import importlib.util
import json
import os
import sys

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)  # pytest runs with --import-mode=importlib: benchmarks/ is not on the path

TINY = {"batch": 4, "channels": [2, 4], "hidden": 8, "warmup": 1, "steps": 2, "rounds": 1,
        "sizes": [4096, 65536]}


@pytest.fixture(scope="module")
def bench():
    """benchmarks.distributed, with the environment put back afterwards (the harness pins threads)."""
    saved_env = dict(os.environ)
    from benchmarks import distributed

    yield distributed
    os.environ.clear()
    os.environ.update(saved_env)


def test_the_fit_recovers_alpha_and_beta(bench):
    alpha, beta = 30e-6, 2e9
    sizes = [4096, 65536, 2**20, 2**24]
    seconds = [bench.ring_seconds(2, n, alpha, beta) for n in sizes]
    assert np.allclose(bench.fit_alpha_beta(sizes, seconds), (alpha, beta), rtol=1e-9)
    with pytest.raises(ValueError, match="at least two message sizes"):
        bench.fit_alpha_beta([4096], [1e-3])


def test_the_ring_model(bench):
    # 2 (p-1) alpha + 2 (p-1)/p n / beta: at p = 4, 6 alpha + 1.5 n / beta
    assert bench.ring_seconds(4, 1000, 1.0, 100.0) == pytest.approx(6 + 15)
    rows = [bench.modelled_efficiency(p, 1.0, 0.5, 1e8, 1e-5, 1e9) for p in (2, 8, 64, 512)]
    for row in rows:
        assert 0 < row["no_overlap"] <= row["overlap"] <= 1
        assert row["no_overlap"] == pytest.approx(1 / (1 + row["comm_over_compute"]))
    assert [r["no_overlap"] for r in rows] == sorted((r["no_overlap"] for r in rows), reverse=True)
    hidden = bench.modelled_efficiency(8, 1.0, 0.9, 1e6, 1e-6, 1e10)  # communication shorter than backward
    assert hidden["overlap"] == 1.0 and hidden["no_overlap"] < 1.0


@pytest.mark.skipif(importlib.util.find_spec("mpi4py") is None,
                    reason='mpi4py is not installed (pip install -e ".[distributed]")')
def test_a_tiny_run_on_one_and_two_ranks(bench, tmp_path):
    from minitorch.distributed.run import find_mpiexec

    if find_mpiexec() is None:
        pytest.skip('mpiexec is not installed (pip install -e ".[distributed]")')
    report = bench.run(config=TINY, log=lambda *args: None)
    paths = bench.write(report, str(tmp_path))
    assert sorted(os.path.basename(p) for p in paths) == ["distributed.json", "distributed.md", "distributed.png"]
    assert json.loads((tmp_path / "distributed.json").read_text())["suite"] == "distributed"
    measured = report["measured"]
    for p in ("ranks_1", "ranks_2"):
        row = measured[p]
        assert row["step_s"] == pytest.approx(row["forward_s"] + row["backward_s"] + row["optimizer_s"])
        assert row["step_s"] > 0 and row["gradient_bytes"] == 4 * row["parameters"]
    assert measured["efficiency_2"] == pytest.approx(measured["ranks_1"]["step_s"] / measured["ranks_2"]["step_s"])
    assert [r["bytes"] for r in report["allreduce"]["points"]] == TINY["sizes"]
    assert all(r["seconds"] > 0 and r["mpi4py_seconds"] > 0 for r in report["allreduce"]["points"])
    assert [r["ranks"] for r in report["model"]["this_machine"]] == [2, 8, 64, 512]
    text = (tmp_path / "distributed.md").read_text()
    assert "Horovod" in text and "arXiv:2006.15704" in text and "| 512 |" in text
