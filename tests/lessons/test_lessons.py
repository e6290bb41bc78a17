"""Every lesson runs end to end, in fast mode, and its asserts (the claims it makes) hold.

Each lesson is a script (jupytext percent format) run in a fresh interpreter, as a
student would run it: ``MINITORCH_FAST=1 python lessons/NN_topic.py``. Fast mode
shrinks data and epochs; the lesson's asserts still check every claim it makes.
"""
import importlib.util
import os
import pathlib
import subprocess
import sys

import pytest

LESSONS = sorted((pathlib.Path(__file__).resolve().parents[2] / "lessons").glob("[0-9][0-9]_*.py"))


def test_there_are_lessons():
    assert LESSONS, "no lessons found in lessons/"


def run_lesson(lesson, out_dir):
    """Run one lesson as a script in fast mode; its output (stdout) once it has passed."""
    env = dict(os.environ, MINITORCH_FAST="1", MPLBACKEND="Agg", LESSON_OUTPUT_DIR=str(out_dir),
               OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, str(lesson)], cwd=lesson.parent, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"{lesson.name} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}"
    return proc.stdout


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_runs_and_its_claims_hold(lesson, tmp_path):
    run_lesson(lesson, tmp_path)


def test_distributed_lesson_trains_on_real_mpi_ranks(tmp_path):
    """Without MPI lesson 12 simulates its ranks (and says so); with the extra it must use real ones."""
    if importlib.util.find_spec("mpi4py") is None:
        pytest.skip("mpi4py is not installed (pip install -e '.[distributed]')")
    (lesson,) = [p for p in LESSONS if p.stem.startswith("12_")]
    assert "MPI ran with 2 processes." in run_lesson(lesson, tmp_path)
