"""Every lesson runs end to end, in fast mode, and its asserts (the claims it makes) hold.

Each lesson is a script (jupytext percent format) run in a fresh interpreter, as a
student would run it: ``MINITORCH_FAST=1 python lessons/NN_topic.py``. Fast mode
shrinks data and epochs; the lesson's asserts still check every claim it makes.
"""
import os
import pathlib
import subprocess
import sys

import pytest

LESSONS = sorted((pathlib.Path(__file__).resolve().parents[2] / "lessons").glob("[0-9][0-9]_*.py"))


def test_there_are_lessons():
    assert LESSONS, "no lessons found in lessons/"


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_runs_and_its_claims_hold(lesson, tmp_path):
    env = dict(os.environ, MINITORCH_FAST="1", MPLBACKEND="Agg", LESSON_OUTPUT_DIR=str(tmp_path),
               OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, str(lesson)], cwd=lesson.parent, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"{lesson.name} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}"
